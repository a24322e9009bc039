/**
 * IPv4 fragmentation (RFC 791 §3.2, "Fragmentation and Reassembly" procedure).
 *
 * Owns splitting one IPv4 packet into fragments that each fit an MTU: data split on 8-byte
 * boundaries, offsets added to the packet's own offset (so an already-fragmented packet
 * can be fragmented again), MF set on all but the last (which keeps the original MF), the
 * header checksum recomputed. Options: all go into the first fragment; only options with
 * the copy flag (type bit 0x80) go into the others (RFC 791 "copied" flag), padded to 4.
 *
 * Refused (typed error, never a throw): bytes that do not parse as IPv4, a packet with DF
 * set that does not fit (`df-set`: the caller drops it with reason mtu and answers ICMP
 * "fragmentation needed"), and an MTU too small to carry 8 data bytes after the header.
 * A packet that fits is returned as is (same bytes, not a copy).
 */
import { type WireError } from './errors.js';
import { emit, headerLength, parse, type Ipv4Repr } from './ipv4.js';

/** Why a packet could not be fragmented. */
export type FragmentError =
  | { readonly code: 'df-set'; readonly message: string; readonly mtu: number; readonly length: number }
  | { readonly code: 'mtu-too-small'; readonly message: string; readonly mtu: number }
  | { readonly code: 'malformed'; readonly message: string; readonly wire: WireError };

/** Fragments in order, or why not. */
export type FragmentResult =
  | { readonly ok: true; readonly value: Uint8Array[] }
  | { readonly ok: false; readonly error: FragmentError };

/** Options that RFC 791 says to copy into every fragment (copy flag set), padded to 4 bytes. */
function copiedOptions(options: Uint8Array): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < options.length) {
    const type = options[i]!;
    if (type === 0) break; // end of option list
    if (type === 1) {
      i += 1; // NOP: not copied, its padding role is redone below
      continue;
    }
    const len = options[i + 1] ?? 0;
    if (len < 2 || i + len > options.length) break; // malformed tail: copy nothing more
    if (type & 0x80) for (let j = 0; j < len; j++) out.push(options[i + j]!);
    i += len;
  }
  while (out.length % 4 !== 0) out.push(0);
  return Uint8Array.from(out);
}

/**
 * Split `packet` (one IPv4 packet) so that every fragment's total length is ≤ `mtu`.
 * The payload is the `payloadLength` bytes after the header; trailing link padding is dropped.
 */
export function fragment(packet: Uint8Array, mtu: number): FragmentResult {
  const p = parse(packet);
  if (!p.ok) return { ok: false, error: { code: 'malformed', message: p.error.message, wire: p.error } };
  const repr = p.value;
  const hl = headerLength(repr);
  const total = hl + repr.payloadLength;
  if (total <= mtu) return { ok: true, value: [packet] };
  if (repr.dontFragment) {
    return { ok: false, error: { code: 'df-set', message: `packet of ${total} bytes exceeds MTU ${mtu} and DF is set`, mtu, length: total } };
  }
  const laterOptions = copiedOptions(repr.options);
  const laterHl = 20 + laterOptions.length;
  const firstRoom = Math.floor((mtu - hl) / 8) * 8;
  const laterRoom = Math.floor((mtu - laterHl) / 8) * 8;
  if (firstRoom < 8 || laterRoom < 8) {
    return { ok: false, error: { code: 'mtu-too-small', message: `MTU ${mtu} cannot carry 8 data bytes after a ${hl}-byte header`, mtu } };
  }
  const payload = packet.subarray(hl, total);
  const out: Uint8Array[] = [];
  let done = 0;
  while (done < payload.length) {
    const first = done === 0;
    const room = first ? firstRoom : laterRoom;
    const chunk = Math.min(room, payload.length - done);
    const last = done + chunk === payload.length;
    const fr: Ipv4Repr = {
      ...repr,
      options: first ? repr.options : laterOptions,
      moreFragments: last ? repr.moreFragments : true,
      fragmentOffset: repr.fragmentOffset + done,
      payloadLength: chunk,
    };
    const buf = new Uint8Array(headerLength(fr) + chunk);
    const h = emit(fr, buf, 0);
    buf.set(payload.subarray(done, done + chunk), h);
    out.push(buf);
    done += chunk;
  }
  return { ok: true, value: out };
}

/** Reassembled packet, or why not. */
export type ReassembleResult =
  | { readonly ok: true; readonly value: Uint8Array; /** The whole datagram's header. */ readonly header: Ipv4Repr }
  | { readonly ok: false; readonly message: string };

/**
 * Reassemble the fragments of one datagram (RFC 791 reassembly, all fragments in hand):
 * same source, destination, protocol and identification; offsets contiguous from 0; the
 * last without MF. The header is the first fragment's (its options), MF and offset cleared,
 * total length and checksum recomputed. A single unfragmented packet is returned as is.
 */
export function reassemble(fragments: readonly Uint8Array[]): ReassembleResult {
  const parts: { repr: Ipv4Repr; bytes: Uint8Array }[] = [];
  for (const f of fragments) {
    const p = parse(f);
    if (!p.ok) return { ok: false, message: `fragment: ${p.error.message}` };
    parts.push({ repr: p.value, bytes: f });
  }
  if (parts.length === 0) return { ok: false, message: 'no fragments' };
  if (parts.length === 1 && !parts[0]!.repr.moreFragments && parts[0]!.repr.fragmentOffset === 0) return { ok: true, value: parts[0]!.bytes, header: parts[0]!.repr };
  parts.sort((a, b) => a.repr.fragmentOffset - b.repr.fragmentOffset);
  const head = parts[0]!.repr;
  let next = 0;
  for (const p of parts) {
    const r = p.repr;
    if (r.src !== head.src || r.dst !== head.dst || r.protocol !== head.protocol || r.identification !== head.identification) {
      return { ok: false, message: 'fragments of different datagrams' };
    }
    if (r.fragmentOffset !== next) return { ok: false, message: `gap or overlap at offset ${next}` };
    next += r.payloadLength;
  }
  if (parts[parts.length - 1]!.repr.moreFragments) return { ok: false, message: 'last fragment missing' };
  const whole: Ipv4Repr = { ...head, moreFragments: false, fragmentOffset: 0, payloadLength: next };
  const out = new Uint8Array(headerLength(whole) + next);
  let o = emit(whole, out, 0);
  for (const p of parts) {
    const hl = headerLength(p.repr);
    out.set(p.bytes.subarray(hl, hl + p.repr.payloadLength), o);
    o += p.repr.payloadLength;
  }
  return { ok: true, value: out, header: whole };
}
