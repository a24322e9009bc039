/**
 * Tunnels and their SAs: one tunnel is an SA pair, one SA each way. SPIs and keys come
 * from deriveSaKeys (seed, connection, SA label, transform): the one function the IKE work
 * replaces. An SPI already used towards the same destination is re-derived with a counter
 * in the label (never seen in practice, but lookups by SPI and destination need it unique).
 */
import { DEFAULT_TRANSFORM, DEFAULT_PATH_MTU } from '../../gateway/esp-sizes.js';
import type { EndKindCode } from '../../gateway/world.js';
import { deriveSaKeys } from '../../ipsec/keys.js';
import { DEFAULT_REPLAY_WINDOW } from '../../ipsec/replay.js';
import { transformByProposal } from '../../ipsec/transforms.js';
import type { Transform } from '../../ipsec/transforms.js';
import type { Prefix } from '../types.js';
import type { CompileState } from './state.js';

function addSa(
  st: CompileState, name: string, connection: number, tunnel: number, outerSrc: number, outerDst: number,
  fromKind: EndKindCode, from: number, toKind: EndKindCode, to: number, selSrc: Prefix, selDst: Prefix,
): number {
  const { s, sas, usedSpis: used } = st;
  const connName = st.connections[connection]!.name;
  const conf = s.connections[connection];
  const transform = transformOf(conf?.transform);
  let keys = deriveSaKeys(s.seed, connName, name, transform);
  for (let k = 1; used.has(`${keys.spi}/${outerDst}`); k++) keys = deriveSaKeys(s.seed, connName, `${name}#${k}`, transform);
  used.add(`${keys.spi}/${outerDst}`);
  const mtu = conf?.mtu ?? DEFAULT_PATH_MTU;
  sas.push({
    name, connection, tunnel, spi: keys.spi, outerSrc, outerDst, fromKind, from, toKind, to, selSrc, selDst,
    transform: transform.name, encKey: keys.encKey, authKey: keys.authKey, mtu, replayWindow: conf?.replayWindow ?? DEFAULT_REPLAY_WINDOW,
  });
  return sas.length - 1;
}

/**
 * Make a tunnel (an SA pair) between end A and end B; returns [saAtoB, saBtoA]. The SAs
 * take their transform, path MTU and replay window from connection `connA` and `connB`
 * (a P2S connection, past the scenario's, gets the defaults).
 */
export function addTunnel(
  st: CompileState, name: string, connA: number, connB: number, aKind: EndKindCode, a: number, aIp: number, bKind: EndKindCode, b: number, bIp: number,
  aSel: Prefix, bSel: Prefix, downReason: number, downDetail: string,
): [number, number] {
  const t = st.tunnels.length;
  const out = addSa(st, `${name}/out`, connA, t, aIp, bIp, aKind, a, bKind, b, aSel, bSel);
  const inn = addSa(st, `${name}/in`, connB, t, bIp, aIp, bKind, b, aKind, a, bSel, aSel);
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
