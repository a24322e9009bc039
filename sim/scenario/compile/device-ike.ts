/**
 * A site device's `ike:` settings, as the scenario read them, into the World's terms
 * (sim/gateway/device-ike.ts's `DeviceIke`): proposals without their text, `pfsGroup: none`
 * as no PFS (null), `dpd: off` as no DPD (null), `initiate` defaulting to true. Keys the
 * scenario left out stay absent, so the device keeps the mirror of the Azure side there.
 * Refuses nothing: the schema (sim/scenario/schema/device-ike.ts) checked every value.
 */
import type { DeviceIke } from '../../gateway/device-ike.js';
import type { DeviceIkeSettings } from '../types.js';

/** The World's form of a device's IKE settings; null when the device has none. */
export function compileDeviceIke(ike: DeviceIkeSettings | undefined): DeviceIke | null {
  if (ike === undefined) return null;
  const out: { -readonly [K in keyof DeviceIke]: DeviceIke[K] } = { initiate: ike.initiate ?? true };
  if (ike.version !== undefined) out.version = ike.version;
  if (ike.ikeProposals !== undefined) out.ikeProposals = ike.ikeProposals.map((p) => p.value);
  if (ike.espProposals !== undefined) out.espProposals = ike.espProposals.map((p) => p.value);
  if (ike.dhGroup !== undefined) out.dhGroup = ike.dhGroup;
  if (ike.pfsGroup !== undefined) out.pfsGroup = ike.pfsGroup === 'none' ? null : ike.pfsGroup;
  if (ike.ikeLifetime !== undefined) out.ikeLifetime = ike.ikeLifetime;
  if (ike.childLifetime !== undefined) out.childLifetime = ike.childLifetime;
  if (ike.childLifeKilobytes !== undefined) out.childLifeKilobytes = ike.childLifeKilobytes;
  if (ike.dpd !== undefined) out.dpdDelay = ike.dpd === 'off' ? null : ike.dpd;
  if (ike.identity !== undefined) out.identity = ike.identity;
  if (ike.selectors !== undefined) out.selectors = ike.selectors.map((p) => ({ local: p.local, remote: p.remote }));
  return out;
}
