/**
 * PacketBatch: the packets in flight, held as parallel typed arrays (struct of arrays),
 * the way vector packet processors hold a frame. Index i is one packet; a graph node reads
 * and writes its fields in place. Nothing here allocates per packet.
 *
 * `src`/`dst` are always the inner (original) addresses; while a packet is inside a tunnel,
 * `sa` holds the index of the SA that carries it, `wireLen` its size on the wire, and the
 * `esp*` columns its ESP facts (sequence number, ESP packets, tampering).
 */

/** Final outcome of a packet (`outcome` array). */
const Outcome = {
  IN_FLIGHT: 0,
  DELIVERED: 1,
  DROPPED: 2,
  INTERNET: 3,
} as const;
export type OutcomeCode = (typeof Outcome)[keyof typeof Outcome];
export const OUTCOME_NAMES = ['in-flight', 'delivered', 'dropped', 'internet'] as const;

/** How many connections one packet's path can record (transit paths cross two). */
const MAX_VIA = 4;

// Exported through second bindings: V8 reads exported bindings through a cell with a TDZ
// (hole) check at every use but folds a module's own consts, and push and addVia run for
// every packet.
const OUTCOME_CODES: typeof Outcome = Outcome;
const MAX_VIA_EXPORT: typeof MAX_VIA = MAX_VIA;
export { OUTCOME_CODES as Outcome, MAX_VIA_EXPORT as MAX_VIA };

export class PacketBatch {
  // Fields are `declare`d and set only in the constructor: a class field declaration would
  // first define each as undefined, and V8 would then track them as "any value", checking the
  // map of every array on every access instead of knowing it from the field.
  declare readonly capacity: number;
  declare n: number;
  declare readonly src: Uint32Array;
  declare readonly dst: Uint32Array;
  declare readonly proto: Uint8Array;
  declare readonly sport: Uint16Array;
  declare readonly dport: Uint16Array;
  /** IPv4 total length of the inner packet. */
  declare readonly len: Uint16Array;
  /** Size on the wire of the current hop (inner, or outer when encapsulated). */
  declare readonly wireLen: Uint16Array;
  declare readonly ttl: Uint8Array;
  /** Bit 0: DF. */
  declare readonly flags: Uint8Array;
  /** Virtual time of the packet, seconds. */
  declare readonly time: Float64Array;
  /** Flow index and 1-based packet number in its flow. */
  declare readonly flow: Int32Array;
  declare readonly seq: Int32Array;
  /**
   * The argument of the graph node the packet is queued for: which subnet, gateway, SA...
   * Each node declares what it reads here (sim/gateway/nodes/).
   */
  declare readonly arg: Int32Array;
  /** SA carrying the packet: set by esp-encrypt, -1 once esp-decrypt opened it (not set before its first encryption). */
  declare readonly sa: Int32Array;
  /** ESP sequence number the packet was sent with (set by the seal, kept after for traces); the first, when fragmented. */
  declare readonly espSeq: Uint32Array;
  /** ESP packets the packet became (more than 1: fragmented before encryption); set by the seal. */
  declare readonly espCount: Uint8Array;
  /** 1 when `inject:` entries tampered with its ESP packet on the Internet link (the link keeps which), else 0; set to 0 as the packet is handed to a tampering link. */
  declare readonly espTamper: Uint8Array;
  /** 1 when the receiving gateway's SKU bucket refused its ESP packet as it was sent (the receiver drops it), else 0; set by the sender. */
  declare readonly espOverSku: Uint8Array;
  declare readonly outcome: Uint8Array;
  /** Drop reason code (index into DROP_REASON_NAMES), set when the packet is dropped (read only then). */
  declare readonly reason: Uint8Array;
  /** Hops taken (loop guard; a TTL of 255 around a two-stage loop takes 510). */
  declare readonly hops: Uint16Array;
  /** Connections crossed: MAX_VIA slots per packet, -1 empty. */
  declare readonly via: Int32Array;
  /** 1 when this packet's hops emit trace events. */
  declare readonly trace: Uint8Array;
  /**
   * How many packets of the batch are traced. Nodes skip their trace work when it is 0, so
   * their hot loop makes no call (V8 then keeps the arrays' checks out of the loop).
   */
  declare traced: number;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.n = 0;
    this.src = new Uint32Array(capacity);
    this.dst = new Uint32Array(capacity);
    this.proto = new Uint8Array(capacity);
    this.sport = new Uint16Array(capacity);
    this.dport = new Uint16Array(capacity);
    this.len = new Uint16Array(capacity);
    this.wireLen = new Uint16Array(capacity);
    this.ttl = new Uint8Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.time = new Float64Array(capacity);
    this.flow = new Int32Array(capacity);
    this.seq = new Int32Array(capacity);
    this.arg = new Int32Array(capacity);
    this.sa = new Int32Array(capacity);
    this.espSeq = new Uint32Array(capacity);
    this.espCount = new Uint8Array(capacity);
    this.espTamper = new Uint8Array(capacity);
    this.espOverSku = new Uint8Array(capacity);
    this.outcome = new Uint8Array(capacity);
    this.reason = new Uint8Array(capacity);
    this.hops = new Uint16Array(capacity);
    this.via = new Int32Array(capacity * MAX_VIA);
    this.trace = new Uint8Array(capacity);
    this.traced = 0;
  }

  /** Forget all packets (arrays are reused). */
  clear(): void {
    this.n = 0;
    this.traced = 0;
  }

  /**
   * Append a packet in clear at its origin; returns its index. Fields not given are reset,
   * except those the nodes write before any read (`sa`, `espSeq`, `espCount`,
   * `espTamper`, `espOverSku`, `reason`): a push runs for every packet sent.
   */
  push(
    src: number,
    dst: number,
    proto: number,
    sport: number,
    dport: number,
    len: number,
    ttl: number,
    df: boolean,
    time: number,
    flow: number,
    seq: number,
    trace: boolean,
  ): number {
    const i = this.n++;
    this.src[i] = src;
    this.dst[i] = dst;
    this.proto[i] = proto;
    this.sport[i] = sport;
    this.dport[i] = dport;
    this.len[i] = len;
    this.wireLen[i] = len;
    this.ttl[i] = ttl;
    this.flags[i] = df ? 1 : 0;
    this.time[i] = time;
    this.flow[i] = flow;
    this.seq[i] = seq;
    this.arg[i] = -1;
    this.outcome[i] = Outcome.IN_FLIGHT;
    this.hops[i] = 0;
    this.trace[i] = trace ? 1 : 0;
    if (trace) this.traced++;
    // The MAX_VIA (4) slots, unrolled: this runs once per packet sent.
    const via = this.via;
    const v = i * (MAX_VIA satisfies 4);
    via[v] = -1;
    via[v + 1] = -1;
    via[v + 2] = -1;
    via[v + 3] = -1;
    return i;
  }

  /** Record that packet i crossed connection `conn` (first MAX_VIA crossings kept). */
  addVia(i: number, conn: number): void {
    const base = i * MAX_VIA;
    for (let k = 0; k < MAX_VIA; k++) {
      const v = this.via[base + k]!;
      if (v === conn) return;
      if (v === -1) {
        this.via[base + k] = conn;
        return;
      }
    }
  }
}
