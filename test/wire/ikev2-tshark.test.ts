/**
 * tshark as the independent decoder of the IKEv2 codecs: the §1.1 messages go as UDP 500
 * datagrams into a pcap (sim/wire/pcap.ts, udp.ts, ipv4.ts, as the ESP capture test does), and
 * the fields tshark 4.0 dissects are compared with what was encoded. Encrypted messages are
 * encrypted here with node:crypto (AES-256-CBC + HMAC-SHA1-96, and AES-256-GCM-16 for one IKE
 * SA) using the SK layout, and tshark gets the keys through its ikev2_decryption_table: its
 * ICV check and its decryption test the layout (header Length counting the ICV, the ranges
 * the ICV and the AEAD's associated data cover, the padding) and show the inner payloads' fields.
 * One IKE_AUTH carries an SK payload of arbitrary bytes under SPIs tshark has no keys for.
 *
 * tshark must be installed (.ci/run installs it): without it this test FAILS, it does not skip.
 */
import { createCipheriv, createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Prng } from '../../sim/util/prng.js';
import * as ipv4 from '../../sim/wire/ipv4.js';
import { IpProtocol } from '../../sim/wire/ipv4.js';
import { pcapFile } from '../../sim/wire/pcap.js';
import * as udp from '../../sim/wire/udp.js';
import {
  decodeMessage,
  encodeEncrypted,
  encodeInner,
  encodeMessage,
  layoutEncrypted,
  payloadTypeOf,
  spiKey,
  splitEncrypted,
  type Ikev2Message,
  type Ikev2Payload,
  type SkLayout,
} from '../../sim/wire/ikev2.js';
import { bytes, exchangeMessages, ikeSpi } from './ikev2-fixtures.js';
import { ip, toHex } from './hex.js';

const INITIATOR = ip('203.0.113.7');
const RESPONDER = ip('198.51.100.9');

function tsharkVersion(): string | null {
  try {
    return execFileSync('tshark', ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0] ?? '';
  } catch {
    return null;
  }
}

/** An IPv4/UDP 500 datagram carrying `ike`, from the initiator's address or the responder's. */
function datagram(ike: Uint8Array, fromInitiator: boolean, id: number): Uint8Array {
  const [src, dst] = fromInitiator ? [INITIATOR, RESPONDER] : [RESPONDER, INITIATOR];
  const u = { srcPort: 500, dstPort: 500, checksummed: true, payload: ike };
  const ip4 = ipv4.ipv4Repr({ src, dst, protocol: IpProtocol.UDP, payloadLength: udp.bufferLen(u), identification: id });
  const out = new Uint8Array(ipv4.bufferLen(ip4));
  udp.emit(u, out, ipv4.emit(ip4, out, 0), src, dst);
  return out;
}

interface CbcKeys {
  readonly ei: Uint8Array;
  readonly er: Uint8Array;
  readonly ai: Uint8Array;
  readonly ar: Uint8Array;
}

/** Encrypt `inner` with AES-256-CBC and HMAC-SHA1-96 into an SK message, keys by the sender (I flag). */
function encryptCbc(m: Ikev2Message, inner: readonly Ikev2Payload[], k: CbcKeys, prng: Prng): Uint8Array {
  const { firstInner, plaintext } = encodeInner(inner, 16);
  const iv = bytes(prng, 16);
  const cipher = createCipheriv('aes-256-cbc', m.header.initiator ? k.ei : k.er, iv).setAutoPadding(false);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const laid = encodeEncrypted(m.header, m.payloads, firstInner, iv, ciphertext, 12);
  const mac = createHmac('sha1', m.header.initiator ? k.ai : k.ar).update(laid.bytes.subarray(...laid.layout.integrity)).digest();
  laid.bytes.set(mac.subarray(0, 12), laid.layout.icv[0]);
  return laid.bytes;
}

/** Encrypt `inner` with AES-256-GCM (16-byte ICV, 8-byte IV, nonce = salt | IV, RFC 5282) into an SK message. */
function encryptGcm(m: Ikev2Message, inner: readonly Ikev2Payload[], keyAndSalt: Uint8Array, prng: Prng): { bytes: Uint8Array; layout: SkLayout } {
  const { firstInner, plaintext } = encodeInner(inner, 4);
  const iv = bytes(prng, 8);
  const laid = layoutEncrypted(m.header, m.payloads, firstInner, { ivLength: 8, ciphertextLength: plaintext.length, icvLength: 16 });
  const nonce = Buffer.concat([keyAndSalt.subarray(32), iv]);
  const cipher = createCipheriv('aes-256-gcm', keyAndSalt.subarray(0, 32), nonce, { authTagLength: 16 });
  cipher.setAAD(laid.bytes.subarray(...laid.layout.associatedData));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  laid.bytes.set(iv, laid.layout.iv[0]);
  laid.bytes.set(ciphertext, laid.layout.ciphertext[0]);
  laid.bytes.set(cipher.getAuthTag(), laid.layout.icv[0]);
  return laid;
}

const FIELDS = [
  'frame.number',
  'isakmp.ispi',
  'isakmp.rspi',
  'isakmp.nextpayload',
  'isakmp.version',
  'isakmp.exchangetype',
  'isakmp.flags',
  'isakmp.messageid',
  'isakmp.length',
  'isakmp.typepayload',
  'isakmp.prop.number',
  'isakmp.prop.protoid',
  'isakmp.spisize',
  'isakmp.spi',
  'isakmp.prop.transforms',
  'isakmp.tf.type',
  'isakmp.tf.id.encr',
  'isakmp.tf.id.prf',
  'isakmp.tf.id.integ',
  'isakmp.tf.id.dh',
  'isakmp.tf.id.esn',
  'isakmp.ike2.attr.key_length',
  'isakmp.key_exchange.dh_group',
  'isakmp.key_exchange.data',
  'isakmp.nonce',
  'isakmp.notify.protoid',
  'isakmp.notify.msgtype',
  'isakmp.notify.data',
  'isakmp.id.type',
  'isakmp.id.data.ipv4_addr',
  'isakmp.id.data.fqdn',
  'isakmp.auth.method',
  'isakmp.auth.data',
  'isakmp.ts.number',
  'isakmp.ts.type',
  'isakmp.ts.protoid',
  'isakmp.ts.start_port',
  'isakmp.ts.end_port',
  'isakmp.ts.start_ipv4',
  'isakmp.ts.end_ipv4',
  'isakmp.delete.protoid',
  'isakmp.spinum',
  'isakmp.delete.spi',
  'isakmp.enc.iv',
  'isakmp.enc.icd',
  'isakmp.enc.pad_length',
  '_ws.expert.message',
] as const;
type Field = (typeof FIELDS)[number];
type Row = Record<Field, string>;

/** One row of tshark fields per frame; a field met several times is joined with '|'. */
function tshark(pcap: string, uatRows: readonly string[], verbose = false): { rows: Row[]; text: string } {
  const keys = uatRows.flatMap((r) => ['-o', `uat:ikev2_decryption_table:${r}`]);
  const run = (args: string[]): string => execFileSync('tshark', ['-r', pcap, ...keys, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 16 << 20 });
  const out = run(['-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=|', ...FIELDS.flatMap((f) => ['-e', f])]);
  const rows = out
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const cols = l.split('\t');
      return Object.fromEntries(FIELDS.map((f, i) => [f, cols[i] ?? ''])) as Row;
    });
  return { rows, text: verbose ? run(['-V']) : '' };
}

const TRANSFORM_ID_FIELD: Readonly<Record<number, Field>> = {
  1: 'isakmp.tf.id.encr',
  2: 'isakmp.tf.id.prf',
  3: 'isakmp.tf.id.integ',
  4: 'isakmp.tf.id.dh',
  5: 'isakmp.tf.id.esn',
};

const dotted = (a: number): string => [a >>> 24, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff].join('.');

/** What the SK payload showed once decrypted: IV, ICV, Pad Length. */
interface Decrypted {
  readonly iv: Uint8Array;
  readonly icv: Uint8Array;
  readonly padLength: number;
}

/** A frame to compare: the message as encoded, and its inner payloads when tshark can decrypt them. */
interface Frame {
  readonly name: string;
  readonly message: Ikev2Message;
  readonly length: number;
  readonly inner: readonly Ikev2Payload[] | null;
  readonly decrypted: Decrypted | null;
}

/**
 * The fields tshark should show for a frame, derived from the typed message (not from its
 * bytes), in tshark's order: the header, then each payload's generic header and contents,
 * proposals and transforms as their own substructures, the SK payload's inner payloads after it.
 */
function expectedRow(f: Frame, frameNumber: number): Row {
  const e = new Map<Field, string[]>(FIELDS.map((k) => [k, []]));
  const add = (k: Field, v: string | number): void => void e.get(k)!.push(String(v));
  const h = f.message.header;
  const flags = (h.initiator ? 0x08 : 0) | (h.higherVersion ? 0x10 : 0) | (h.response ? 0x20 : 0);
  add('frame.number', frameNumber);
  add('isakmp.ispi', spiKey(h.initiatorSpi));
  add('isakmp.rspi', spiKey(h.responderSpi));
  add('isakmp.version', '0x20');
  add('isakmp.exchangetype', h.exchangeType);
  add('isakmp.flags', `0x${flags.toString(16).padStart(2, '0')}`);
  add('isakmp.messageid', `0x${h.messageId.toString(16).padStart(8, '0')}`);
  add('isakmp.length', f.length);
  const chain = (payloads: readonly Ikev2Payload[], after: number): void => {
    payloads.forEach((p, i) => {
      const type = payloadTypeOf(p);
      add('isakmp.typepayload', type);
      add('isakmp.nextpayload', i + 1 < payloads.length ? payloadTypeOf(payloads[i + 1]!) : after);
      contents(p);
    });
  };
  const spi = (b: Uint8Array): void => {
    add('isakmp.spisize', b.length);
    if (b.length > 0) add('isakmp.spi', toHex(b));
  };
  const contents = (p: Ikev2Payload): void => {
    switch (p.kind) {
      case 'SA':
        p.proposals.forEach((pr, i) => {
          add('isakmp.typepayload', 2);
          add('isakmp.nextpayload', i + 1 < p.proposals.length ? 2 : 0);
          add('isakmp.prop.number', pr.number);
          add('isakmp.prop.protoid', pr.protocol);
          spi(pr.spi);
          add('isakmp.prop.transforms', pr.transforms.length);
          pr.transforms.forEach((t, j) => {
            add('isakmp.typepayload', 3);
            add('isakmp.nextpayload', j + 1 < pr.transforms.length ? 3 : 0);
            add('isakmp.tf.type', t.type);
            add(TRANSFORM_ID_FIELD[t.type]!, t.id);
            for (const a of t.attributes) if (a.format === 'TV' && a.type === 14) add('isakmp.ike2.attr.key_length', a.value);
          });
        });
        return;
      case 'KE':
        add('isakmp.key_exchange.dh_group', p.group);
        add('isakmp.key_exchange.data', toHex(p.data));
        return;
      case 'Nonce':
        add('isakmp.nonce', toHex(p.data));
        return;
      case 'Notify':
        add('isakmp.notify.protoid', p.protocol);
        spi(p.spi);
        add('isakmp.notify.msgtype', p.notifyType);
        add('isakmp.notify.data', p.data.length > 0 ? toHex(p.data) : '<MISSING>'); // tshark's rendering of empty bytes
        return;
      case 'IDi':
      case 'IDr':
        add('isakmp.id.type', p.idType);
        if (p.idType === 1) add('isakmp.id.data.ipv4_addr', Array.from(p.data).join('.'));
        if (p.idType === 2) add('isakmp.id.data.fqdn', new TextDecoder().decode(p.data));
        return;
      case 'AUTH':
        add('isakmp.auth.method', p.method);
        add('isakmp.auth.data', toHex(p.data));
        return;
      case 'TSi':
      case 'TSr':
        add('isakmp.ts.number', p.selectors.length);
        for (const s of p.selectors) {
          if (s.kind !== 'ipv4-range') throw new Error('fixtures carry IPv4 selectors only');
          add('isakmp.ts.type', 7);
          add('isakmp.ts.protoid', s.ipProtocol);
          add('isakmp.ts.start_port', s.startPort);
          add('isakmp.ts.end_port', s.endPort);
          add('isakmp.ts.start_ipv4', dotted(s.startAddress));
          add('isakmp.ts.end_ipv4', dotted(s.endAddress));
        }
        return;
      case 'Delete':
        add('isakmp.delete.protoid', p.protocol);
        add('isakmp.spisize', p.spiSize);
        add('isakmp.spinum', p.spis.length);
        for (const s of p.spis) add('isakmp.delete.spi', toHex(s));
        return;
      default:
        throw new Error(`fixtures carry no ${p.kind} payload`);
    }
  };
  const first = f.message.payloads[0];
  add('isakmp.nextpayload', first ? payloadTypeOf(first) : f.message.encrypted ? 46 : 0);
  chain(f.message.payloads, f.message.encrypted ? 46 : 0);
  if (f.message.encrypted) {
    add('isakmp.typepayload', 46);
    add('isakmp.nextpayload', f.message.encrypted.firstInner);
    if (f.decrypted) {
      add('isakmp.enc.iv', toHex(f.decrypted.iv));
      add('isakmp.enc.icd', toHex(f.decrypted.icv));
      add('isakmp.enc.pad_length', f.decrypted.padLength);
    }
    if (f.inner) chain(f.inner, 0);
  }
  return Object.fromEntries(FIELDS.map((k) => [k, e.get(k)!.join('|')])) as Row;
}

/** A UAT row of Wireshark's ikev2_decryption_table (hex unquoted, enums quoted; ike-2016.md §3.1). */
function uatRow(spiI: Uint8Array, spiR: Uint8Array, ei: Uint8Array, er: Uint8Array, encr: string, ai: Uint8Array | null, ar: Uint8Array | null, integ: string): string {
  return [spiKey(spiI), spiKey(spiR), toHex(ei), toHex(er), `"${encr}"`, ai ? toHex(ai) : '', ar ? toHex(ar) : '', `"${integ}"`].join(',');
}

/** The capture: the §1.1 messages (CBC keys), an IKE_AUTH under an AES-GCM IKE SA, and one SK of arbitrary bytes. */
function buildCapture(): { dir: string; file: string; frames: Frame[]; rows: string[]; badIntegrityRow: string } {
  const prng = new Prng(2016, 'ikev2-tshark');
  const fixtures = exchangeMessages(prng);
  const cbc: CbcKeys = { ei: bytes(prng, 32), er: bytes(prng, 32), ai: bytes(prng, 20), ar: bytes(prng, 20) };
  const frames: Frame[] = [];
  const records: Uint8Array[] = [];
  const push = (name: string, ike: Uint8Array, message: Ikev2Message, inner: readonly Ikev2Payload[] | null, decrypted: Decrypted | null): void => {
    const d = decodeMessage(ike);
    expect(d.ok && d.value.header, name).toEqual(message.header);
    frames.push({ name, message, length: ike.length, inner, decrypted });
    records.push(datagram(ike, message.header.initiator, records.length));
  };
  for (const f of fixtures) {
    if (!f.inner) {
      push(f.name, encodeMessage(f.message), f.message, null, null);
      continue;
    }
    const ike = encryptCbc(f.message, f.inner, cbc, prng);
    const s = splitEncrypted(ike, { ivLength: 16, icvLength: 12, blockSize: 16 });
    if (!s.ok) throw new Error(`${f.name}: ${s.error.message}`);
    push(f.name, ike, f.message, f.inner, { iv: s.value.iv, icv: s.value.icv, padLength: encodeInner(f.inner, 16).plaintext.at(-1)! });
  }
  // An IKE SA with AES-256-GCM-16: the ICV is the AEAD tag over the associated data the layout names.
  const auth = fixtures.find((f) => f.name === 'IKE_AUTH request')!;
  const gcmHeader = { ...auth.message.header, initiatorSpi: ikeSpi(prng), responderSpi: ikeSpi(prng) };
  const gcmKeys = { ei: bytes(prng, 36), er: bytes(prng, 36) };
  const gcm = encryptGcm({ header: gcmHeader, payloads: [] }, auth.inner!, gcmKeys.ei, prng);
  const gcmMessage: Ikev2Message = { header: gcmHeader, payloads: [], encrypted: { firstInner: auth.message.encrypted!.firstInner, data: gcm.bytes.slice(gcm.layout.iv[0]) } };
  push('IKE_AUTH request, AES-GCM-16', gcm.bytes, gcmMessage, auth.inner!, {
    iv: gcm.bytes.slice(...gcm.layout.iv),
    icv: gcm.bytes.slice(...gcm.layout.icv),
    padLength: encodeInner(auth.inner!, 4).plaintext.at(-1)!,
  });
  // An SK payload of arbitrary bytes under SPIs tshark has no keys for.
  const opaque: Ikev2Message = { header: { ...gcmHeader, initiatorSpi: ikeSpi(prng), responderSpi: ikeSpi(prng) }, payloads: [], encrypted: { firstInner: 35, data: bytes(prng, 16 + 64 + 12) } };
  push('IKE_AUTH request, SK of arbitrary bytes', encodeMessage(opaque), opaque, null, null);

  const dir = mkdtempSync(join(tmpdir(), 'vgw-ikev2-'));
  const file = join(dir, 'ikev2.pcap');
  writeFileSync(file, pcapFile(records.map((b, i) => ({ time: i, bytes: b }))));
  const h = fixtures.find((f) => f.name === 'IKE_SA_INIT response')!.message.header;
  const cbcRow = (ai: Uint8Array): string => uatRow(h.initiatorSpi, h.responderSpi, cbc.ei, cbc.er, 'AES-CBC-256 [RFC3602]', ai, cbc.ar, 'HMAC_SHA1_96 [RFC2404]');
  const wrongAi = cbc.ai.slice();
  wrongAi[0] ^= 1;
  return {
    dir,
    file,
    frames,
    rows: [cbcRow(cbc.ai), uatRow(gcmHeader.initiatorSpi, gcmHeader.responderSpi, gcmKeys.ei, gcmKeys.er, 'AES-GCM-256 with 16 octet ICV [RFC5282]', null, null, 'NONE [RFC4306]')],
    badIntegrityRow: cbcRow(wrongAi),
  };
}

describe('IKEv2 codecs against tshark', () => {
  it('tshark is installed (CI installs it; this test fails without it)', () => {
    expect(tsharkVersion(), 'tshark not found: install it as .ci/run does').not.toBeNull();
  });

  it('every field tshark dissects equals the encoded message, decrypted SK contents included, with the ICV verified', () => {
    expect(tsharkVersion(), 'tshark not found').not.toBeNull();
    const { dir, file, frames, rows } = buildCapture();
    const { rows: got, text } = tshark(file, rows, true);
    rmSync(dir, { recursive: true });
    expect(got.length).toBe(frames.length);
    frames.forEach((f, i) => {
      const row = { ...got[i]! };
      // Without keys tshark cannot know the IV length and shows a guess; nothing of ours to compare.
      if (f.message.encrypted && !f.decrypted) row['isakmp.enc.iv'] = '';
      expect(row, f.name).toEqual(expectedRow(f, i + 1));
    });
    // Every decrypted frame's ICV was checked and found correct (CBC: HMAC; GCM: the AEAD tag).
    const decrypted = frames.filter((f) => f.decrypted).length;
    expect(decrypted).toBe(frames.filter((f) => f.message.encrypted).length - 1);
    expect(text.match(/Integrity Checksum Data: [0-9a-f]+ \(\d+ bytes\).*\[correct\]$/gm)?.length).toBe(decrypted);
  });

  it('negative control: a wrong SK_ai makes tshark report the bad checksum on the initiator\'s CBC messages', () => {
    expect(tsharkVersion(), 'tshark not found').not.toBeNull();
    const { dir, file, frames, badIntegrityRow } = buildCapture();
    const { rows: got } = tshark(file, [badIntegrityRow]);
    rmSync(dir, { recursive: true });
    const flagged = got.filter((r) => r['_ws.expert.message'].includes('IKEv2 Integrity Checksum Data is incorrect')).map((r) => Number(r['frame.number']));
    const initiatorCbc = frames.flatMap((f, i) => (f.decrypted && f.message.header.initiator && f.decrypted.icv.length === 12 ? [i + 1] : []));
    expect(initiatorCbc.length).toBeGreaterThan(0);
    expect(flagged).toEqual(initiatorCbc);
  });
});
