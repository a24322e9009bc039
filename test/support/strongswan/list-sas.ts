/**
 * Test support: `swanctl --list-sas` text (strongSwan 5.9, src/swanctl/commands/list_sas.c)
 * as typed IKE SAs with their CHILD_SAs.
 *
 * Owns reading the lines the interop tests assert on: an IKE SA's name, unique id, state,
 * version, SPIs (and which side charon is: the `*`), local and remote identity and
 * endpoint, its algorithms; a CHILD_SA's name, id, reqid, state, mode (with `-in-UDP`),
 * protocol and algorithms, SPIs with byte and packet counters, and traffic selectors.
 * Timer lines (`established 3s ago, ...`) and task lines are kept as text only.
 * Refuses text it does not recognise at a place where it expects an SA line: it throws
 * (test code: a format change must fail the tests, not pass them with half an SA).
 */

export interface ListedEndpoint {
  /** The identity, `%any` before authentication. */
  readonly id: string;
  readonly host: string;
  readonly port: number;
}

export interface ListedChildSa {
  readonly name: string;
  readonly uniqueId: number;
  readonly reqid: string;
  readonly state: string;
  /** `TUNNEL`, `TRANSPORT`, ... */
  readonly mode: string;
  /** ESP in UDP (NAT-T or a faked NAT). */
  readonly udpEncapsulated: boolean;
  readonly protocol: string;
  /** `AES_CBC-256/HMAC_SHA1_96`, as swanctl prints it. */
  readonly algorithms: string;
  /** Hex SPIs as printed (inbound is charon's own). */
  readonly spiIn: string | null;
  readonly spiOut: string | null;
  readonly bytesIn: number | null;
  readonly packetsIn: number | null;
  readonly bytesOut: number | null;
  readonly packetsOut: number | null;
  readonly localTs: readonly string[];
  readonly remoteTs: readonly string[];
  /** Lines this parser keeps as text (`installed 0s ago, rekeying in ...`). */
  readonly other: readonly string[];
}

export interface ListedIkeSa {
  /** The connection name, `(unnamed)` while a responder has not picked a config. */
  readonly name: string;
  readonly uniqueId: number;
  readonly state: string;
  readonly version: 1 | 2;
  /** Hex SPIs (IKEv1: the cookies). */
  readonly spiI: string;
  readonly spiR: string;
  /** Whether charon is the initiator of this SA (the `*` is on SPIi). */
  readonly charonIsInitiator: boolean;
  readonly local: ListedEndpoint;
  readonly remote: ListedEndpoint;
  /** `AES_CBC-256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024`, or null before a proposal is chosen. */
  readonly algorithms: string | null;
  readonly children: readonly ListedChildSa[];
  readonly other: readonly string[];
}

const IKE_LINE = /^(\S+): #(\d+), (\S+), IKEv([12]), ([0-9a-f]+)_i(\*?) ([0-9a-f]+)_r(\*?)$/;
const ENDPOINT_LINE = /^ {2}(local |remote) '(.*)' @ (\S+)\[(\d+)\]/;
const IKE_ALGS_LINE = /^ {2}([A-Z0-9_]+(?:-\d+)?(?:\/[A-Z0-9_]+(?:-\d+)?)+)$/;
const CHILD_LINE = /^ {2}(\S+): #(\d+), reqid (\S+), (\S+), ([A-Z]+)(-in-UDP)?, ([A-Z]+):(.*)$/;
const SPI_LINE = /^ {4}(in |out) ([0-9a-f]+)(?:\/\S+)?(?: \([^)]*\))?, +(\d+) bytes, +(\d+) packets/;
const TS_LINE = /^ {4}(local |remote) (.*)$/;

interface ChildDraft {
  name: string;
  uniqueId: number;
  reqid: string;
  state: string;
  mode: string;
  udpEncapsulated: boolean;
  protocol: string;
  algorithms: string;
  spiIn: string | null;
  spiOut: string | null;
  bytesIn: number | null;
  packetsIn: number | null;
  bytesOut: number | null;
  packetsOut: number | null;
  localTs: string[];
  remoteTs: string[];
  other: string[];
}

interface IkeDraft {
  name: string;
  uniqueId: number;
  state: string;
  version: 1 | 2;
  spiI: string;
  spiR: string;
  charonIsInitiator: boolean;
  local: ListedEndpoint | null;
  remote: ListedEndpoint | null;
  algorithms: string | null;
  children: ChildDraft[];
  other: string[];
}

function finishIke(d: IkeDraft, line: number): ListedIkeSa {
  if (!d.local || !d.remote) throw new Error(`swanctl --list-sas: IKE SA ${d.name} #${d.uniqueId} (before line ${line}) lacks its local or remote line`);
  return { ...d, local: d.local, remote: d.remote };
}

/** Every IKE SA of `swanctl --list-sas` output, in its order; [] for empty output. */
export function parseListSas(text: string): ListedIkeSa[] {
  const out: ListedIkeSa[] = [];
  let ike: IkeDraft | null = null;
  let child: ChildDraft | null = null;
  const lines = text.split('\n');
  for (const [i, line] of lines.entries()) {
    if (line.trim().length === 0) continue;
    const ikeLine = IKE_LINE.exec(line);
    if (ikeLine) {
      if (ike) out.push(finishIke(ike, i + 1));
      const [, name, id, state, version, spiI, starI, spiR] = ikeLine;
      ike = {
        name: name!,
        uniqueId: Number(id),
        state: state!,
        version: version === '1' ? 1 : 2,
        spiI: spiI!,
        spiR: spiR!,
        charonIsInitiator: starI === '*',
        local: null,
        remote: null,
        algorithms: null,
        children: [],
        other: [],
      };
      child = null;
      continue;
    }
    if (!ike) throw new Error(`swanctl --list-sas line ${i + 1}: expected an IKE SA line, got ${JSON.stringify(line)}`);
    const current: IkeDraft = ike;
    if (child) {
      const spi = SPI_LINE.exec(line);
      if (spi) {
        const [, dir, value, bytes, packets] = spi;
        if (dir === 'in ') Object.assign(child, { spiIn: value!, bytesIn: Number(bytes), packetsIn: Number(packets) });
        else Object.assign(child, { spiOut: value!, bytesOut: Number(bytes), packetsOut: Number(packets) });
        continue;
      }
      const ts = TS_LINE.exec(line);
      if (ts) {
        const list = ts[2]!.split(' ').filter((s) => s.length > 0);
        if (ts[1] === 'local ') child.localTs = list;
        else child.remoteTs = list;
        continue;
      }
      if (line.startsWith('    ')) {
        child.other.push(line.trim());
        continue;
      }
    }
    const childLine = CHILD_LINE.exec(line);
    if (childLine) {
      const [, name, id, reqid, state, mode, udp, protocol, algorithms] = childLine;
      child = {
        name: name!,
        uniqueId: Number(id),
        reqid: reqid!,
        state: state!,
        mode: mode!,
        udpEncapsulated: udp !== undefined,
        protocol: protocol!,
        algorithms: algorithms!,
        spiIn: null,
        spiOut: null,
        bytesIn: null,
        packetsIn: null,
        bytesOut: null,
        packetsOut: null,
        localTs: [],
        remoteTs: [],
        other: [],
      };
      current.children.push(child);
      continue;
    }
    const endpoint = ENDPOINT_LINE.exec(line);
    if (endpoint && !child) {
      const [, side, id, host, port] = endpoint;
      const e: ListedEndpoint = { id: id!, host: host!, port: Number(port) };
      if (side === 'local ') current.local = e;
      else current.remote = e;
      continue;
    }
    const algs = IKE_ALGS_LINE.exec(line);
    if (algs && !child) {
      current.algorithms = algs[1]!;
      continue;
    }
    if (line.startsWith('  ') && !child) {
      current.other.push(line.trim());
      continue;
    }
    throw new Error(`swanctl --list-sas line ${i + 1}: not an SA line this parser knows: ${JSON.stringify(line)}`);
  }
  if (ike) out.push(finishIke(ike, lines.length));
  return out;
}
