/**
 * Tunnels and their SAs: one tunnel is an SA pair, one SA each way. The SAs of a
 * Site-to-Site or VNet-to-VNet tunnel are slots without keys: IKE negotiates their SPIs and
 * keys while the run goes on (sim/gateway/ike-plane.ts). A point-to-site client's SAs (SSTP
 * in 2016, not IKE) get theirs here from deriveSaKeys (seed, connection, SA label,
 * transform); an SPI already used towards the same destination is re-derived with a counter
 * in the label (lookups by SPI and destination need it unique).
 */
import { DEFAULT_TRANSFORM, DEFAULT_PATH_MTU } from '../../gateway/esp-sizes.js';
import type { EndKindCode } from '../../gateway/world.js';
import { deriveSaKeys } from '../../ipsec/keys.js';
import type { SaKeys } from '../../ipsec/keys.js';
import { DEFAULT_REPLAY_WINDOW } from '../../ipsec/replay.js';
import { transformByProposal } from '../../ipsec/transforms.js';
import type { Transform } from '../../ipsec/transforms.js';
import type { Prefix } from '../types.js';
import type { CompileState } from './state.js';

function addSa(
  st: CompileState, name: string, connection: number, tunnel: number, outerSrc: number, outerDst: number,
  fromKind: EndKindCode, from: number, toKind: EndKindCode, to: number, selSrc: Prefix, selDst: Prefix, negotiated: boolean,
): number {
  const { s, sas, usedSpis: used } = st;
  const connName = st.connections[connection]!.name;
  const conf = s.connections[connection];
  const transform = transformOf(conf?.transform);
  let keys: SaKeys | null = null;
  if (!negotiated) {
    keys = deriveSaKeys(s.seed, connName, name, transform);
    for (let k = 1; used.has(`${keys.spi}/${outerDst}`); k++) keys = deriveSaKeys(s.seed, connName, `${name}#${k}`, transform);
    used.add(`${keys.spi}/${outerDst}`);
  }
  const mtu = conf?.mtu ?? DEFAULT_PATH_MTU;
  sas.push({
    name, connection, tunnel, outerSrc, outerDst, fromKind, from, toKind, to, selSrc, selDst,
    transform: transform.name, keys, mtu, replayWindow: conf?.replayWindow ?? DEFAULT_REPLAY_WINDOW,
  });
  return sas.length - 1;
}

/**
 * Make a tunnel (an SA pair) between end A and end B; returns [saAtoB, saBtoA]. The SAs
 * take their transform, path MTU and replay window from connection `connA` and `connB`
 * (a P2S connection, past the scenario's, gets the defaults). `negotiated`: IKE keys the
 * SAs during the run (Site-to-Site, VNet-to-VNet); else they get seed-derived keys now.
 */
export function addTunnel(
  st: CompileState, name: string, connA: number, connB: number, aKind: EndKindCode, a: number, aIp: number, bKind: EndKindCode, b: number, bIp: number,
  aSel: Prefix, bSel: Prefix, downReason: number, downDetail: string, negotiated: boolean,
): [number, number] {
  const t = st.tunnels.length;
  const out = addSa(st, `${name}/out`, connA, t, aIp, bIp, aKind, a, bKind, b, aSel, bSel, negotiated);
  const inn = addSa(st, `${name}/in`, connB, t, bIp, aIp, bKind, b, aKind, a, bSel, aSel, negotiated);
  st.tunnels.push({ name, connection: connA, saOut: out, saIn: inn, downReason, downDetail });
  return [out, inn];
}

/** A connection's ESP transform (checked against the gateway's offers by checkScenario), or Azure's first offer. */
function transformOf(proposal: string | undefined): Transform {
  const t = transformByProposal(proposal ?? DEFAULT_TRANSFORM.name);
  if (t.ok) return t.value;
  const d = transformByProposal(DEFAULT_TRANSFORM.name);
  if (!d.ok) throw new Error(`DEFAULT_TRANSFORM ${DEFAULT_TRANSFORM.name}: ${d.error.message}`);
  return d.value;
}
