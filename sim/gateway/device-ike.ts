/**
 * A site device's own IKE settings (the scenario's `device.ike:` block, read and compiled)
 * and how they turn the device's mirror-image configuration (ike-sides.ts) into the one the
 * device really uses. Every setting is optional: where the device says nothing it keeps the
 * mirror of the Azure side, so a scenario without `ike:` negotiates as before.
 *
 * Owns the rules of applying them: the device's IKE and ESP proposals replace the mirrored
 * ones; `dhGroup` then replaces the DH groups of every IKE proposal and `pfsGroup` those of
 * every ESP proposal (null: no PFS), whichever proposals they are; `initiate: false` keeps
 * the device from starting even where the caller asked it to (it never makes a device start
 * that the caller made the responder: who starts is the caller's choice). Refuses nothing:
 * the values were checked when the scenario was read. Does not touch the Azure side's
 * configuration. Pure: no Node, no clock.
 */
import type { DhGroup } from '../ike/dh-groups.js';
import type { IkeIdentity, IkeTunnelConfig, SelectorPair } from '../ike/endpoint.js';
import type { EspProposal, IkeProposal } from '../ike/proposals.js';

/** A device's IKE settings as compiled; an absent field means "as the Azure side's mirror". */
export interface DeviceIke {
  /** The IKE version the device speaks (absent: the gateway's, policy-based 1, route-based 2). */
  readonly version?: 1 | 2;
  /** IKE proposals in the device's preference order. */
  readonly ikeProposals?: readonly IkeProposal[];
  /** ESP proposals in the device's preference order. */
  readonly espProposals?: readonly EspProposal[];
  /** The one DH group of every IKE proposal. */
  readonly dhGroup?: DhGroup;
  /** The PFS group of every ESP proposal; null: no PFS. */
  readonly pfsGroup?: DhGroup | null;
  /** Seconds. */
  readonly ikeLifetime?: number;
  readonly childLifetime?: number;
  readonly childLifeKilobytes?: number;
  /** Seconds of idle before a liveness check; null: no DPD. */
  readonly dpdDelay?: number | null;
  /** The identity the device shows (IDi/IDr, IKEv1 ID). */
  readonly identity?: IkeIdentity;
  /** Whether the device may start negotiations (default true); the run's control plane reads it to decide who starts. */
  readonly initiate: boolean;
  /** The device's selector pairs (IKEv2 TSi/TSr, IKEv1 proxy IDs), from its own view. */
  readonly selectors?: readonly SelectorPair[];
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function sameEsp(a: EspProposal, b: EspProposal): boolean {
  return sameList(a.encryptions, b.encryptions) && sameList(a.integrities, b.integrities) && sameList(a.dhGroups, b.dhGroups);
}

/** ESP proposals with `groups` as every proposal's PFS groups; proposals that became equal are kept once. */
function withPfs(proposals: readonly EspProposal[], groups: readonly DhGroup[]): EspProposal[] {
  const out: EspProposal[] = [];
  for (const p of proposals) {
    const q: EspProposal = { ...p, dhGroups: groups };
    if (!out.some((o) => sameEsp(o, q))) out.push(q);
  }
  return out;
}

/** The device's configuration: `mirror` (ike-sides.ts's mirror of the Azure side) with the device's own settings applied. */
export function applyDeviceIke(mirror: IkeTunnelConfig, ike: DeviceIke | null): IkeTunnelConfig {
  if (ike === null) return mirror;
  const ikeBase = ike.ikeProposals ?? mirror.ikeProposals;
  const dh = ike.dhGroup;
  const espBase = ike.espProposals ?? mirror.espProposals;
  const pfs = ike.pfsGroup;
  return {
    ...mirror,
    version: ike.version ?? mirror.version,
    ikeProposals: dh === undefined ? ikeBase : ikeBase.map((p) => ({ ...p, dhGroups: [dh] })),
    espProposals: pfs === undefined ? espBase : withPfs(espBase, pfs === null ? [] : [pfs]),
    ikeLifetime: ike.ikeLifetime ?? mirror.ikeLifetime,
    childLifetime: ike.childLifetime ?? mirror.childLifetime,
    childLifeKilobytes: ike.childLifeKilobytes ?? mirror.childLifeKilobytes,
    dpdDelay: ike.dpdDelay === undefined ? mirror.dpdDelay : ike.dpdDelay,
    localId: ike.identity ?? mirror.localId,
    initiator: mirror.initiator && ike.initiate,
    selectors: ike.selectors ?? mirror.selectors,
  };
}
