/**
 * Seeded variants of a teaching lab: the same lesson with other addresses, so each student
 * of a class works on numbers of their own.
 *
 * Every IPv4 address and prefix written in a lab's files (its scenario, solution and
 * lesson text) that lies inside a private block (10/8, 172.16/12, 192.168/16) is moved by
 * one XOR per block, chosen from the seed. The XOR touches only bits that are network bits
 * of every prefix the files write inside that block (and never the last octet), so a prefix stays a prefix (no host
 * bits), host parts stay as they are (Azure's reserved first addresses, a VM's offset in its
 * subnet), and every relation between two of them holds in the variant as in the original:
 * containment, overlap, longest match, disjointness. A prefix that holds the whole block
 * (10.0.0.0/8, 0.0.0.0/0) and every address outside the blocks (public addresses) stay as
 * written. Variant 0 is the lab as written. Pure text in, text out.
 */
import { Prng } from './util/prng.js';

/** The private blocks a variant moves addresses within: network and length. */
const BLOCKS: readonly (readonly [number, number])[] = [
  [0x0a000000, 8],
  [0xac100000, 12],
  [0xc0a80000, 16],
];

/** The largest variant number `vgw lab start --variant` takes. */
export const MAX_LAB_VARIANT = 999_999;

/** An IPv4 address or prefix in text, not part of a longer dotted or numbered run. */
const ADDRESS = /(?<![\d.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?(?![\d.])/g;

interface Written {
  readonly addr: number;
  readonly len: number;
}

function* written(text: string): Generator<Written & { readonly at: number; readonly text: string }> {
  for (const m of text.matchAll(ADDRESS)) {
    const octets = [m[1], m[2], m[3], m[4]].map(Number);
    if (octets.some((o) => o > 255)) continue;
    const len = m[5] === undefined ? 32 : Number(m[5]);
    if (len > 32) continue;
    const addr = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
    yield { addr, len, at: m.index, text: m[0] };
  }
}

const netmask = (len: number): number => (len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0);
const inBlock = (w: Written, net: number, len: number): boolean => w.len >= len && ((w.addr ^ net) & netmask(len)) >>> 0 === 0;

/** A lab variant: per private block, the XOR that moves what lies inside it. */
export interface LabVariant {
  readonly variant: number;
  /** One per block of BLOCKS, 0 where the files leave the block no freedom. */
  readonly masks: readonly number[];
}

/**
 * Variant `variant` of a lab whose files are `texts`: for each block, the bits between the
 * block's length and the shortest prefix written inside it, filled from the seed (never all
 * zero when there is a bit to fill, so a variant differs from the lab where it can).
 */
export function planLabVariant(texts: readonly string[], variant: number): LabVariant {
  const shortest = BLOCKS.map(() => 33);
  for (const t of texts) {
    for (const w of written(t)) {
      BLOCKS.forEach(([net, len], k) => {
        // A prefix longer than the block, inside it (the block itself and what holds it stay as written).
        if (w.len > len && inBlock(w, net, len) && w.len < shortest[k]!) shortest[k] = w.len;
      });
    }
  }
  const rng = new Prng(variant, 'lab-variant');
  const masks = BLOCKS.map(([, len], k) => {
    // The last octet stays as written: a host keeps its place in its /24 (never a .0 or .255 it did not have).
    const bits = Math.min(shortest[k]!, 24) - len;
    if (variant === 0 || bits <= 0) return 0;
    // A value of `bits` bits, not 0, placed right after the block's own bits.
    const v = 1 + rng.int((1 << bits) - 1);
    return (v << (32 - len - bits)) >>> 0;
  });
  return { variant, masks };
}

function formatAddr(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/** `text` with every address and prefix moved as variant `v` says. */
export function applyLabVariant(text: string, v: LabVariant): string {
  if (v.masks.every((m) => m === 0)) return text;
  let out = '';
  let last = 0;
  for (const w of written(text)) {
    const k = BLOCKS.findIndex(([net, len]) => inBlock(w, net, len));
    if (k < 0 || v.masks[k] === 0) continue;
    const moved = (w.addr ^ (v.masks[k]! & netmask(w.len))) >>> 0;
    out += text.slice(last, w.at) + formatAddr(moved) + (w.text.includes('/') ? `/${w.len}` : '');
    last = w.at + w.text.length;
  }
  return out + text.slice(last);
}
