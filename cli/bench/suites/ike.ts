/**
 * The `ike` suite: whole IKEv2 negotiations (IKE_SA_INIT + IKE_AUTH with the first child
 * SA, both endpoints in memory) of the route-based example's first connection, against the
 * bare crypto calls one negotiation makes (its floor: Diffie-Hellman, PRF, SK encryption and
 * integrity, replayed with the same arguments), on the default backend and on node-forge.
 */
import { compileWorld, DEFAULT_CRYPTO } from '../../../sim/index.js';
import { CRYPTO_BACKENDS, IkeWorkload } from '../../../sim/bench/index.js';
import { defineSuite, loadScenario } from './case.js';
import type { CaseThunk, SuiteOptions } from './case.js';

const SCENARIO = 's2s-route-based-multisite.yaml';
const PATH = 'negotiations, default backend';
const FLOOR = 'their bare crypto calls (the floor)';

function ikeCase(o: SuiteOptions): CaseThunk {
  const label = `ike ${SCENARIO}`;
  return {
    suite: 'ike', label,
    build() {
      const { world } = compileWorld(loadScenario(SCENARIO));
      const workload = new IkeWorkload(world, 0, o.seed, DEFAULT_CRYPTO);
      const forge = CRYPTO_BACKENDS.forge;
      return {
        suite: 'ike', name: label, unit: 'negotiations',
        params: { scenario: SCENARIO, connection: workload.azure.connection, datagrams: workload.datagrams },
        variants: [
          { name: PATH, role: 'subject', run: (c) => void workload.negotiate(DEFAULT_CRYPTO, c) },
          { name: FLOOR, role: 'baseline', floorOf: PATH, run: (c) => void workload.bare(DEFAULT_CRYPTO, c) },
          { name: 'negotiations, node-forge', role: 'baseline', run: (c) => void workload.negotiate(forge, c) },
        ],
        info: {
          exchange: 'IKE_SA_INIT + IKE_AUTH (PSK) with the first child SA, as the 2016-02 route-based gateway and a device that mirrors it negotiate it',
          cryptoCalls: Object.entries(workload.callCounts).map(([name, n]) => `${name} ${n}`).join(', ') + ' per negotiation',
          backend: DEFAULT_CRYPTO.name,
        },
      };
    },
  };
}

export const ikeSuite = defineSuite({
  name: 'ike',
  help: ['whole IKEv2 negotiations (IKE_SA_INIT + IKE_AUTH) in memory, against the bare', 'DH, PRF and SK crypto calls they make (their floor)'],
  plan: (o) => [ikeCase(o)],
});
