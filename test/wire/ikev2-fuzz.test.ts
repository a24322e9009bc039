/**
 * IKEv2 decoders never throw: every truncation of every §1.1 message, and seeded random byte
 * mutations (bounded), give a WireResult error of a known code or a valid decode; a valid
 * decode encodes to bytes that decode to the same value.
 */
import { describe, expect, it } from 'vitest';
import { Prng } from '../../sim/util/prng.js';
import { WIRE_ERROR_CODES } from '../../sim/wire/errors.js';
import { decodeInner, decodeMessage, encodeInner, encodeMessage, splitEncrypted, type Ikev2Payload } from '../../sim/wire/ikev2.js';
import { exchangeMessages } from './ikev2-fixtures.js';
import { toHex } from './hex.js';

const CODES = new Set<string>(WIRE_ERROR_CODES);
const fixtures = exchangeMessages(new Prng(2016, 'ikev2-fuzz-fixtures'));
const messages = fixtures.map((f) => encodeMessage(f.message));
const plaintexts = fixtures.filter((f) => f.inner).map((f) => encodeInner(f.inner!, 16));
const SK_SIZES = { ivLength: 16, icvLength: 12, blockSize: 16 };

type Result = { ok: true; value: unknown } | { ok: false; error: { code: string } };

function attempt(name: string, b: Uint8Array, f: () => Result): Result {
  try {
    return f();
  } catch (e) {
    throw new Error(`${name} threw on ${toHex(b)}: ${String(e)}`);
  }
}

/** Decode `b` every way; check errors are known codes and valid decodes survive a re-encode. */
function exercise(b: Uint8Array, firstInner: number): { accepted: number; codes: Set<string> } {
  let accepted = 0;
  const codes = new Set<string>();
  const m = attempt('decodeMessage', b, () => decodeMessage(b));
  const s = attempt('splitEncrypted', b, () => splitEncrypted(b, SK_SIZES));
  const i = attempt('decodeInner', b, () => decodeInner(firstInner, b));
  for (const r of [m, s, i]) {
    if (r.ok) accepted++;
    else if (!CODES.has(r.error.code)) throw new Error(`unknown error code ${r.error.code} on ${toHex(b)}`);
    else codes.add(r.error.code);
  }
  // A valid decode is a value the encoder takes, and its bytes decode to an equal value
  // (compared through a second encoding: equal values encode to equal bytes).
  const dm = decodeMessage(b);
  if (dm.ok) {
    const bytes = encodeMessage(dm.value);
    const again = decodeMessage(bytes);
    if (!again.ok || toHex(encodeMessage(again.value)) !== toHex(bytes)) throw new Error(`message does not survive a re-encode: ${toHex(b)}`);
  }
  const di = decodeInner(firstInner, b);
  if (di.ok) {
    const once = encodeInner(di.value as Ikev2Payload[], 1);
    const again = decodeInner(once.firstInner, once.plaintext);
    if (!again.ok || toHex(encodeInner(again.value, 1).plaintext) !== toHex(once.plaintext)) throw new Error(`inner payloads do not survive a re-encode: ${toHex(b)}`);
  }
  return { accepted, codes };
}

describe('IKEv2 decoders never throw', () => {
  it('every truncation of every message is refused as truncated, and never throws', () => {
    for (const b of messages) {
      for (let n = 0; n < b.length; n++) {
        const cut = b.subarray(0, n);
        const r = attempt('decodeMessage', cut, () => decodeMessage(cut));
        expect(!r.ok && r.error.code).toBe('truncated');
        exercise(cut, 0);
      }
    }
    for (const { firstInner, plaintext } of plaintexts) {
      for (let n = 0; n < plaintext.length; n++) exercise(plaintext.subarray(0, n), firstInner);
    }
  });

  it('seeded random mutations of messages and decrypted plaintexts (fixed seed, bounded)', () => {
    const prng = new Prng(20160101, 'ikev2-fuzz');
    let accepted = 0;
    const codes = new Set<string>();
    for (let k = 0; k < 4000; k++) {
      const fromPlain = k % 2 === 1;
      const seed = fromPlain ? prng.pick(plaintexts) : null;
      const b = (seed ? seed.plaintext : prng.pick(messages)).slice();
      const flips = 1 + prng.int(4);
      for (let j = 0; j < flips; j++) {
        // Past the header more often, so mutations reach the payload chain and substructures.
        const at = prng.next() < 0.8 && b.length > 28 ? 28 + prng.int(b.length - 28) : prng.int(b.length);
        b[at] = prng.nextU32() & 0xff;
      }
      const r = exercise(b, seed ? seed.firstInner : 0);
      accepted += r.accepted;
      for (const c of r.codes) codes.add(c);
    }
    // The mutations reached past the first checks: some decoded, and refusals came from several rules.
    expect(accepted).toBeGreaterThan(100);
    expect([...codes].sort()).toEqual(['bad-field', 'bad-length', 'bad-spi', 'bad-type', 'truncated', 'unsupported-version']);
  });
});
