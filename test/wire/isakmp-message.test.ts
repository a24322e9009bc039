/**
 * Whole IKEv1 messages: the six Main Mode and three Quick Mode shapes of an Azure policy-based
 * tunnel (and two Informationals) round-trip, cleartext and encrypted with both padding styles;
 * strongSwan's one-line summaries match the lines charon logged in the interop runs
 * (strongswan-interop.md §4); every truncation and seeded random mutations never throw, and what
 * still decodes re-encodes to the same meaning.
 */
import { describe, expect, it } from 'vitest';
import { WIRE_ERROR_CODES } from '../../sim/wire/errors.js';
import {
  decodeDecrypted,
  decodeIsakmp,
  decodePayloads,
  decodeSaBody,
  encodeEncrypted,
  encodeIsakmp,
  encodeMessage,
  encodePayloads,
  encodeSaBody,
  isakmpSummary,
  plaintextOf,
  walkPayloads,
  type IsakmpDatagram,
  type IsakmpMessage,
} from '../../sim/wire/isakmp.js';
import { Prng } from '../../sim/util/prng.js';
import { toHex } from './hex.js';
import { azurePhase1Sa, azureQuickModeSa, policyBasedExchange } from './isakmp-shapes.js';

const ex = policyBasedExchange(2016);
const AES_BLOCK = 16;

/** How a message of the exchange travels. */
function sealed(m: IsakmpMessage, padding: 'rfc2409' | 'zeros'): { datagram: Uint8Array; plaintext: Uint8Array } {
  const { firstPayload, plaintext } = plaintextOf(m.payloads, AES_BLOCK, padding);
  // The codec does not encrypt: a stand-in ciphertext of the same length is enough for the layout.
  const body = plaintext.map((b, i) => b ^ (i & 0xff) ^ 0x5a);
  return { datagram: encodeEncrypted({ header: m.header, firstPayload, body }), plaintext };
}

describe('Main Mode and Quick Mode shapes', () => {
  it('MM1-MM4 round-trip in the clear', () => {
    for (const [i, m] of ex.mainMode.slice(0, 4).entries()) {
      const bytes = encodeMessage(m);
      const d = decodeIsakmp(bytes);
      expect(d.ok, `MM${i + 1}`).toBe(true);
      if (!d.ok) continue;
      expect(d.value).toEqual({ kind: 'clear', ...m });
      expect(encodeIsakmp(d.value)).toEqual(bytes);
    }
  });

  for (const padding of ['rfc2409', 'zeros'] as const) {
    it(`MM5, MM6, QM1-QM3 and Informationals round-trip encrypted (${padding} padding)`, () => {
      for (const m of [...ex.mainMode.slice(4), ...ex.quickMode, ...ex.informational]) {
        const { datagram, plaintext } = sealed(m, padding);
        expect(plaintext.length % AES_BLOCK).toBe(0);
        const chainLength = encodePayloads(m.payloads).length;
        const pad = plaintext.length - chainLength;
        expect(pad).toBeGreaterThanOrEqual(1);
        expect(pad).toBeLessThanOrEqual(AES_BLOCK);
        // RFC 2409 §5.3: zeros, then the count of the zeros; strongSwan: zeros only.
        const tail = plaintext.subarray(chainLength);
        const zeros = padding === 'rfc2409' ? tail.subarray(0, pad - 1) : tail;
        expect(zeros.every((b) => b === 0)).toBe(true);
        if (padding === 'rfc2409') expect(tail[pad - 1]).toBe(pad - 1);

        const d = decodeIsakmp(datagram);
        expect(d.ok).toBe(true);
        if (!d.ok || d.value.kind !== 'encrypted') throw new Error('not an encrypted datagram');
        // The header's length counts the padded body; Next Payload names the first inner payload.
        expect((datagram[24]! << 24) | (datagram[25]! << 16) | (datagram[26]! << 8) | datagram[27]!).toBe(28 + plaintext.length);
        expect(datagram[19]! & 0x01).toBe(1);
        expect(d.value.firstPayload).toBe(datagram[16]);
        expect(encodeIsakmp(d.value)).toEqual(datagram);
        const inner = decodeDecrypted(d.value, plaintext);
        expect(inner.ok).toBe(true);
        if (!inner.ok) continue;
        expect(inner.value).toEqual({ message: m, padding: pad });
      }
    });
  }

  it('a block-aligned chain still gets a whole block of padding, in both styles', () => {
    // A HASH payload of 28 bytes behind its 4-byte header: a chain of exactly two blocks.
    const m: IsakmpMessage = { header: ex.quickMode[2]!.header, payloads: [{ kind: 'hash', data: new Uint8Array(28) }] };
    for (const padding of ['rfc2409', 'zeros'] as const) {
      const { plaintext } = plaintextOf(m.payloads, AES_BLOCK, padding);
      expect(plaintext.length).toBe(48);
    }
  });

  it('the decrypted-body decoder accepts padding of any content after the chain', () => {
    const m = ex.quickMode[0]!;
    const chain = encodePayloads(m.payloads);
    const withJunk = new Uint8Array([...chain, 0xde, 0xad, 0xbe, 0xef, 7]);
    const d = decodeDecrypted({ header: m.header, firstPayload: 8, body: new Uint8Array(0) }, withJunk);
    expect(d.ok && d.value.padding).toBe(5);
    expect(d.ok && d.value.message).toEqual(m);
  });
});

describe('strongSwan one-line summaries (lines charon logged, strongswan-interop.md §4)', () => {
  it('Main Mode', () => {
    expect(isakmpSummary(ex.mainMode[0]!)).toBe('ID_PROT request 0 [ SA V V ]');
    expect(isakmpSummary(ex.mainMode[1]!, 'response')).toBe('ID_PROT response 0 [ SA V V ]');
    expect(isakmpSummary(ex.mainMode[3]!, 'response')).toBe('ID_PROT response 0 [ KE No NAT-D NAT-D ]');
    expect(isakmpSummary(ex.mainMode[4]!)).toBe('ID_PROT request 0 [ ID HASH N(INITIAL_CONTACT) ]');
  });

  it('Quick Mode and Informational, message IDs unsigned', () => {
    // An M-ID above 2^31, which a signed 32-bit read would print negative.
    const qm = { ...ex.quickMode[0]!, header: { ...ex.quickMode[0]!.header, messageId: 2736258519 } };
    expect(isakmpSummary(qm)).toBe('QUICK_MODE request 2736258519 [ HASH SA No ID ID ]');
    const qm2 = ex.quickMode[1]!;
    expect(isakmpSummary(qm2, 'response')).toBe(`QUICK_MODE response ${qm2.header.messageId} [ HASH SA No ID ID ]`);
    const [refuse, del] = ex.informational;
    expect(isakmpSummary(refuse!)).toBe(`INFORMATIONAL_V1 request ${refuse!.header.messageId} [ HASH N(INVAL_ID) ]`);
    expect(isakmpSummary(del!)).toBe(`INFORMATIONAL_V1 request ${del!.header.messageId} [ HASH D ]`);
  });

  it('notify types and payload types strongSwan has no name for', () => {
    const m: IsakmpMessage = {
      header: ex.informational[0]!.header,
      payloads: [
        { kind: 'notify', doi: 1, protocol: 1, spi: new Uint8Array(0), notifyType: 16, data: new Uint8Array(0) },
        { kind: 'notify', doi: 1, protocol: 1, spi: new Uint8Array(0), notifyType: 2, data: new Uint8Array(0) },
        { kind: 'notify', doi: 1, protocol: 3, spi: new Uint8Array(4), notifyType: 36136, data: new Uint8Array(4) },
        { kind: 'unknown', payloadType: 99, body: new Uint8Array(2) },
        { kind: 'unknown', payloadType: 6, body: new Uint8Array(2) },
      ],
    };
    expect(isakmpSummary(m)).toBe(`INFORMATIONAL_V1 request ${m.header.messageId} [ N(PLD_MAL) N((2)) N(DPD) UNKN(99) CERT ]`);
    expect(isakmpSummary({ header: m.header, payloads: [] })).toBe(`INFORMATIONAL_V1 request ${m.header.messageId} [ ]`);
  });
});

describe('raw payload views for hashing', () => {
  it('walkPayloads gives each payload with and without its generic header, as it came', () => {
    const qm1 = ex.quickMode[0]!;
    const chain = encodePayloads(qm1.payloads);
    const raw = walkPayloads(chain, 8);
    expect(raw.ok).toBe(true);
    if (!raw.ok) return;
    expect(raw.value.payloads.map((p) => p.type)).toEqual([8, 1, 10, 5, 5]);
    expect(raw.value.end).toBe(chain.length);
    // HASH(1) covers every payload after HASH with their headers: the chain minus the first payload.
    const afterHash = raw.value.payloads.slice(1);
    expect(toHex(new Uint8Array(afterHash.flatMap((p) => [...p.bytes])))).toBe(toHex(chain.subarray(raw.value.payloads[0]!.bytes.length)));
    // The SA body (SAi_b) is the SA payload minus its generic header.
    const sa = qm1.payloads[1];
    if (sa?.kind !== 'sa') throw new Error('QM1 carries its SA second');
    expect(toHex(raw.value.payloads[1]!.body)).toBe(toHex(encodeSaBody(sa)));
    expect(raw.value.payloads[1]!.bytes.length).toBe(raw.value.payloads[1]!.body.length + 4);
  });
});

/** Every encoded form of the exchange: cleartext datagrams and the plaintext chains of the encrypted ones. */
function allEncodings(): { datagrams: Uint8Array[]; chains: { first: number; bytes: Uint8Array }[] } {
  const all = [...ex.mainMode, ...ex.quickMode, ...ex.informational];
  const datagrams = all.map(encodeMessage);
  const chains = all.map((m) => {
    const p = plaintextOf(m.payloads, AES_BLOCK, 'rfc2409');
    return { first: p.firstPayload, bytes: p.plaintext };
  });
  return { datagrams, chains };
}

const CODES = new Set<string>(WIRE_ERROR_CODES);

describe('malformed input is a value, never an exception', () => {
  it('every truncation of every message is refused as truncated', () => {
    const { datagrams, chains } = allEncodings();
    let checked = 0;
    for (const d of datagrams) {
      for (let n = 0; n < d.length; n++) {
        const r = decodeIsakmp(d.subarray(0, n));
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.error.code).toBe('truncated');
        checked++;
      }
    }
    for (const c of chains) {
      const chainLength = encodePayloads(decodePayloadsOrThrow(c.bytes, c.first)).length;
      for (let n = 0; n < chainLength; n++) {
        const r = decodePayloads(c.bytes.subarray(0, n), c.first);
        expect(r.ok, `chain cut at ${n}`).toBe(false);
        if (!r.ok) expect(r.error.code).toBe('truncated');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2000);
  });

  it('every truncation of a one-proposal SA body inside its proposal is refused', () => {
    for (const sa of [azurePhase1Sa(), azureQuickModeSa(new Uint8Array([1, 2, 3, 4]))]) {
      const body = encodeSaBody(sa);
      for (let n = 0; n < body.length; n++) {
        const r = decodeSaBody(body.subarray(0, n));
        if (n === 8) {
          // DOI and situation alone: an SA with no proposal, which the IKE layer refuses.
          expect(r.ok && r.value.proposals).toEqual([]);
        } else {
          expect(r.ok, `SA body cut at ${n}`).toBe(false);
          if (!r.ok) expect(r.error.code).toBe('truncated');
        }
      }
    }
  });

  it('seeded random mutations never throw; what decodes re-encodes to the same meaning', () => {
    const prng = new Prng(20160301, 'isakmp-fuzz');
    const { datagrams, chains } = allEncodings();
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 4000; i++) {
      const useChain = i % 2 === 1;
      const seed = useChain ? prng.pick(chains).bytes : prng.pick(datagrams);
      const first = useChain ? prng.pick(chains).first : 0;
      const b = seed.slice();
      const flips = 1 + prng.int(4);
      for (let k = 0; k < flips; k++) b[prng.int(b.length)] = prng.nextU32() & 0xff;
      const input = prng.next() < 0.2 ? b.subarray(0, prng.int(b.length + 1)) : b;
      let again: IsakmpDatagram | null = null;
      try {
        if (useChain) {
          const r = decodePayloads(input, first);
          if (r.ok) {
            accepted++;
            const back = decodePayloads(encodePayloads(r.value.payloads), first);
            expect(back.ok && back.value.payloads).toEqual(r.value.payloads);
          } else {
            refused++;
            expect(CODES.has(r.error.code)).toBe(true);
          }
        } else {
          const r = decodeIsakmp(input);
          if (r.ok) {
            accepted++;
            const back = decodeIsakmp(encodeIsakmp(r.value));
            again = back.ok ? back.value : null;
            expect(again).toEqual(r.value);
          } else {
            refused++;
            expect(CODES.has(r.error.code)).toBe(true);
          }
        }
      } catch (e) {
        throw new Error(`threw on ${toHex(input)} (first payload ${first}): ${String(e)}`);
      }
    }
    expect(accepted).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  });
});

function decodePayloadsOrThrow(bytes: Uint8Array, first: number) {
  const r = decodePayloads(bytes, first);
  if (!r.ok) throw new Error(r.error.message);
  return r.value.payloads;
}
