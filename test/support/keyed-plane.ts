/**
 * An ESP plane whose every SA slot already holds an SA (keys made from the slot number), for
 * tests that drive the graph's nodes without the IKE control plane a run would have.
 */
import { EspPlane } from '../../sim/gateway/esp-plane.js';
import type { World } from '../../sim/gateway/world.js';
import type { CryptoBackend } from '../../sim/ipsec/crypto.js';
import { transformByProposal } from '../../sim/ipsec/transforms.js';

export function keyedEspPlane(world: World, crypto: CryptoBackend, capacity: number, seed = 0): EspPlane {
  const esp = new EspPlane(world, crypto, capacity, seed);
  world.sas.forEach((w, k) => {
    if (esp.sad.at(k) !== null) return;
    const t = transformByProposal(w.transform);
    if (!t.ok) throw new Error(t.error.message);
    const problem = esp.slots.install(k, {
      spi: 0x1000 + k, transform: t.value,
      encKey: new Uint8Array(t.value.encryption.keyLength).fill(k + 1), authKey: new Uint8Array(t.value.integrity.keyLength).fill(k + 2),
    });
    if (problem) throw new Error(problem);
  });
  return esp;
}
