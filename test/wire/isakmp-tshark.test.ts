/**
 * tshark 4.0 as the independent decoder of the IKEv1 codecs. A pcap of one Azure policy-based
 * negotiation between two public addresses on UDP 500: Main Mode 1-4 in the clear, then MM5-6,
 * Quick Mode 1-3 and two Informationals encrypted with AES-256-CBC. The encryption is done here,
 * in the test, with node:crypto and an arbitrary key given to tshark's ikev1_decryption_table, with
 * the IVs RFC 2409 Appendix B prescribes (phase 1: SHA1(g^xi | g^xr); phase 2: SHA1(last phase-1
 * block | M-ID)), so tshark decrypts them itself and reads the payloads, both padding styles
 * included. Every field listed below is compared, frame by frame, with a value computed from the
 * typed representation that was encoded (not from the bytes). Then the names: each number of
 * `isakmp-names.ts` against Wireshark's value strings (`tshark -G values`), and each known vendor
 * ID against the vendor Wireshark recognises in it.
 *
 * tshark must be installed (.ci/run installs it): without it these tests FAIL, they do not skip.
 */
import { execFileSync } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as ipv4 from '../../sim/wire/ipv4.js';
import {
  attributeNumber,
  DhGroup,
  encodeEncrypted,
  encodeMessage,
  encodePayloads,
  EncapsulationMode,
  ExchangeType,
  IdType,
  IkeAttribute,
  IkeAuthMethod,
  IkeEncryption,
  IkeHash,
  IpsecAttribute,
  IpsecAuthAlgorithm,
  KNOWN_VENDOR_IDS,
  LifeType,
  NotifyType,
  PayloadType,
  plaintextOf,
  ProtocolId,
  type IsakmpMessage,
  type IsakmpPadding,
  type IsakmpPayload,
} from '../../sim/wire/isakmp.js';
import { PcapWriter } from '../../sim/wire/pcap.js';
import * as udp from '../../sim/wire/udp.js';
import { toHex } from './hex.js';
import { policyBasedExchange, vid } from './isakmp-shapes.js';

function tsharkVersion(): string | null {
  try {
    return execFileSync('tshark', ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0] ?? '';
  } catch {
    return null;
  }
}

const AES_BLOCK = 16;
const KEY = createHash('sha256').update('vgwsim isakmp tshark test key').digest();

/** One frame of the capture: the message, and how it travelled. */
interface Sent {
  readonly message: IsakmpMessage;
  readonly padding: IsakmpPadding | null;
}

/** Build the capture; returns its path, the ikev1_decryption_table row and the frames in order. */
function buildCapture(): { file: string; uatRow: string; frames: Sent[] } {
  const ex = policyBasedExchange(42);
  const mm = ex.mainMode;
  const w = new PcapWriter();
  const frames: Sent[] = [];
  const send = (fromInitiator: boolean, m: IsakmpMessage, bytes: Uint8Array, padding: IsakmpPadding | null): void => {
    const [src, dst] = fromInitiator ? [ex.initiator, ex.responder] : [ex.responder, ex.initiator];
    const u = { srcPort: 500, dstPort: 500, checksummed: true, payload: bytes };
    const datagram = new Uint8Array(udp.bufferLen(u));
    udp.emit(u, datagram, 0, src, dst);
    w.add(frames.length + 1, ipv4.build(ipv4.ipv4Repr({ src, dst, protocol: 17, payloadLength: datagram.length }), datagram));
    frames.push({ message: m, padding });
  };
  const encrypt = (m: IsakmpMessage, iv: Uint8Array, padding: IsakmpPadding): { bytes: Uint8Array; lastBlock: Uint8Array } => {
    const { firstPayload, plaintext } = plaintextOf(m.payloads, AES_BLOCK, padding);
    const c = createCipheriv('aes-256-cbc', KEY, iv);
    c.setAutoPadding(false);
    const body = Buffer.concat([c.update(plaintext), c.final()]);
    return { bytes: encodeEncrypted({ header: m.header, firstPayload, body }), lastBlock: body.subarray(body.length - AES_BLOCK) };
  };
  const sha1 = (...parts: Uint8Array[]): Uint8Array => {
    const h = createHash('sha1');
    for (const p of parts) h.update(p);
    return h.digest().subarray(0, AES_BLOCK);
  };
  const mid = (m: IsakmpMessage): Uint8Array => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(m.header.messageId);
    return b;
  };
  const keData = (m: IsakmpMessage): Uint8Array => {
    const ke = m.payloads[0];
    if (ke?.kind !== 'ke') throw new Error('MM3/MM4 start with KE');
    return ke.data;
  };

  for (let i = 0; i < 4; i++) send(i % 2 === 0, mm[i]!, encodeMessage(mm[i]!), null);
  // A chatty device's MM1 carrying every known vendor ID (one frame, in the clear), the
  // prefix ones with what peers append: Cisco Unity a 2-byte version, the fragmentation VID its
  // capability flags, Windows a 4-byte version.
  const suffix: Record<string, number[]> = { 'Cisco Unity': [1, 0], FRAGMENTATION: [0x80, 0, 0, 0], 'MS NT5 ISAKMPOAKLEY': [0, 0, 0, 9] };
  const chatty: IsakmpMessage = { header: mm[0]!.header, payloads: KNOWN_VENDOR_IDS.map((v) => vid(v.name, suffix[v.name] ?? [])) };
  send(true, chatty, encodeMessage(chatty), null);

  let r = encrypt(mm[4]!, sha1(keData(mm[2]!), keData(mm[3]!)), 'rfc2409');
  send(true, mm[4]!, r.bytes, 'rfc2409');
  r = encrypt(mm[5]!, r.lastBlock, 'zeros');
  send(false, mm[5]!, r.bytes, 'zeros');
  const phase1Last = r.lastBlock;
  let iv = sha1(phase1Last, mid(ex.quickMode[0]!));
  ex.quickMode.forEach((m, i) => {
    const padding: IsakmpPadding = i === 1 ? 'zeros' : 'rfc2409';
    const q = encrypt(m, iv, padding);
    send(i % 2 === 0, m, q.bytes, padding);
    iv = q.lastBlock;
  });
  ex.informational.forEach((m, i) => {
    const padding: IsakmpPadding = i === 0 ? 'rfc2409' : 'zeros';
    send(false, m, encrypt(m, sha1(phase1Last, mid(m)), padding).bytes, padding);
  });

  const dir = mkdtempSync(join(tmpdir(), 'vgw-isakmp-'));
  const file = join(dir, 'ikev1.pcap');
  writeFileSync(file, w.bytes());
  return { file, uatRow: `${toHex(mm[0]!.header.initiatorCookie)},${KEY.toString('hex')}`, frames };
}

/** Fields compared in every frame (an absent field reads as ''). */
const FIELDS = [
  'isakmp.ispi', 'isakmp.rspi', 'isakmp.version', 'isakmp.exchangetype', 'isakmp.flag_e', 'isakmp.messageid', 'isakmp.typepayload',
  'isakmp.sa.doi', 'isakmp.sa.situation', 'isakmp.prop.number', 'isakmp.prop.protoid', 'isakmp.spisize', 'isakmp.prop.transforms', 'isakmp.spi',
  'isakmp.trans.number', 'isakmp.trans.id',
  'isakmp.ike.attr.type', 'isakmp.ike.attr.format', 'isakmp.ike.attr.encryption_algorithm', 'isakmp.ike.attr.hash_algorithm',
  'isakmp.ike.attr.authentication_method', 'isakmp.ike.attr.group_description', 'isakmp.ike.attr.life_type', 'isakmp.ike.attr.life_duration',
  'isakmp.ike.attr.key_length',
  'isakmp.ipsec.attr.type', 'isakmp.ipsec.attr.format', 'isakmp.ipsec.attr.life_type', 'isakmp.ipsec.attr.life_duration',
  'isakmp.ipsec.attr.group_description', 'isakmp.ipsec.attr.encap_mode', 'isakmp.ipsec.attr.auth_algorithm', 'isakmp.ipsec.attr.key_length',
  'isakmp.key_exchange.data', 'isakmp.nonce', 'isakmp.ike.nat_hash', 'isakmp.vid_bytes', 'isakmp.hash',
  'isakmp.id.type', 'isakmp.id.protoid', 'isakmp.id.port', 'isakmp.id.data.ipv4_addr', 'isakmp.id.data.ipv4_subnet',
  'isakmp.notify.doi', 'isakmp.notify.protoid', 'isakmp.notify.msgtype', 'isakmp.delete.protoid', 'isakmp.spinum', 'isakmp.delete.spi',
  'isakmp.extradata',
] as const;

const PHASE1_VALUE_FIELDS: ReadonlyMap<number, string> = new Map([
  [IkeAttribute.ENCRYPTION_ALGORITHM, 'isakmp.ike.attr.encryption_algorithm'],
  [IkeAttribute.HASH_ALGORITHM, 'isakmp.ike.attr.hash_algorithm'],
  [IkeAttribute.AUTHENTICATION_METHOD, 'isakmp.ike.attr.authentication_method'],
  [IkeAttribute.GROUP_DESCRIPTION, 'isakmp.ike.attr.group_description'],
  [IkeAttribute.LIFE_TYPE, 'isakmp.ike.attr.life_type'],
  [IkeAttribute.LIFE_DURATION, 'isakmp.ike.attr.life_duration'],
  [IkeAttribute.KEY_LENGTH, 'isakmp.ike.attr.key_length'],
]);
const PHASE2_VALUE_FIELDS: ReadonlyMap<number, string> = new Map([
  [IpsecAttribute.SA_LIFE_TYPE, 'isakmp.ipsec.attr.life_type'],
  [IpsecAttribute.SA_LIFE_DURATION, 'isakmp.ipsec.attr.life_duration'],
  [IpsecAttribute.GROUP_DESCRIPTION, 'isakmp.ipsec.attr.group_description'],
  [IpsecAttribute.ENCAPSULATION_MODE, 'isakmp.ipsec.attr.encap_mode'],
  [IpsecAttribute.AUTHENTICATION_ALGORITHM, 'isakmp.ipsec.attr.auth_algorithm'],
  [IpsecAttribute.KEY_LENGTH, 'isakmp.ipsec.attr.key_length'],
]);

function dotted(a: number): string {
  return [a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255].join('.');
}

/** What tshark should show for `sent`, computed from the representation. */
function expectedFields(sent: Sent): Map<string, string[]> {
  const m = sent.message;
  const f = new Map<string, string[]>();
  const add = (field: string, v: string | number): void => {
    f.set(field, [...(f.get(field) ?? []), String(v)]);
  };
  add('isakmp.ispi', toHex(m.header.initiatorCookie));
  add('isakmp.rspi', toHex(m.header.responderCookie));
  add('isakmp.version', '0x10');
  add('isakmp.exchangetype', m.header.exchangeType);
  add('isakmp.flag_e', sent.padding ? 1 : 0);
  add('isakmp.messageid', `0x${m.header.messageId.toString(16).padStart(8, '0')}`);
  for (const p of m.payloads) addPayload(p, add);
  if (sent.padding) {
    const chain = encodePayloads(m.payloads).length;
    const pad = AES_BLOCK - (chain % AES_BLOCK);
    const bytes = new Uint8Array(pad);
    if (sent.padding === 'rfc2409') bytes[pad - 1] = pad - 1;
    add('isakmp.extradata', toHex(bytes));
  }
  return f;
}

function addPayload(p: IsakmpPayload, add: (field: string, v: string | number) => void): void {
  add('isakmp.typepayload', p.kind === 'unknown' ? p.payloadType : ({ sa: 1, ke: 4, id: 5, hash: 8, nonce: 10, notify: 11, delete: 12, 'vendor-id': 13, 'nat-d': 20 } as const)[p.kind]);
  switch (p.kind) {
    case 'sa':
      add('isakmp.sa.doi', p.doi);
      add('isakmp.sa.situation', p.situation.toString(16).padStart(8, '0'));
      for (const prop of p.proposals) {
        add('isakmp.typepayload', 2);
        add('isakmp.prop.number', prop.number);
        add('isakmp.prop.protoid', prop.protocol);
        add('isakmp.spisize', prop.spi.length);
        add('isakmp.prop.transforms', prop.transforms.length);
        if (prop.spi.length > 0) add('isakmp.spi', toHex(prop.spi));
        const phase1 = prop.protocol === ProtocolId.ISAKMP;
        for (const t of prop.transforms) {
          add('isakmp.typepayload', 3);
          add('isakmp.trans.number', t.number);
          add('isakmp.trans.id', t.id);
          for (const a of t.attributes) {
            const prefix = phase1 ? 'isakmp.ike.attr' : 'isakmp.ipsec.attr';
            add(`${prefix}.type`, a.type);
            add(`${prefix}.format`, a.format === 'tv' ? 1 : 0);
            const valueField = (phase1 ? PHASE1_VALUE_FIELDS : PHASE2_VALUE_FIELDS).get(a.type);
            if (valueField) add(valueField, attributeNumber(a) ?? NaN);
          }
        }
      }
      return;
    case 'ke':
      add('isakmp.key_exchange.data', toHex(p.data));
      return;
    case 'nonce':
      add('isakmp.nonce', toHex(p.data));
      return;
    case 'nat-d':
      add('isakmp.ike.nat_hash', toHex(p.hash));
      return;
    case 'vendor-id':
      add('isakmp.vid_bytes', toHex(p.data));
      return;
    case 'hash':
      add('isakmp.hash', toHex(p.data));
      return;
    case 'id':
      add('isakmp.id.protoid', p.protocol);
      add('isakmp.id.port', p.port);
      if (p.identity.kind === 'ipv4') {
        add('isakmp.id.type', IdType.IPV4_ADDR);
        add('isakmp.id.data.ipv4_addr', dotted(p.identity.address));
      } else if (p.identity.kind === 'ipv4-subnet') {
        add('isakmp.id.type', IdType.IPV4_ADDR_SUBNET);
        add('isakmp.id.data.ipv4_addr', dotted(p.identity.address));
        add('isakmp.id.data.ipv4_subnet', dotted(p.identity.mask));
      } else {
        throw new Error(`no expectation written for identity ${p.identity.kind}`);
      }
      return;
    case 'notify':
      add('isakmp.notify.doi', p.doi);
      add('isakmp.notify.protoid', p.protocol);
      add('isakmp.spisize', p.spi.length);
      add('isakmp.notify.msgtype', p.notifyType);
      if (p.spi.length > 0) add('isakmp.spi', toHex(p.spi));
      return;
    case 'delete':
      add('isakmp.delete.protoid', p.protocol);
      add('isakmp.spisize', p.spiSize);
      add('isakmp.spinum', p.spis.length);
      for (const spi of p.spis) add('isakmp.delete.spi', toHex(spi));
      return;
    case 'unknown':
      throw new Error('no unknown payloads in this capture');
  }
}

let capture: ReturnType<typeof buildCapture>;

beforeAll(() => {
  capture = buildCapture();
});

function tsharkFields(fields: readonly string[]): string[][] {
  const out = execFileSync(
    'tshark',
    [
      '-r', capture.file,
      '-o', `uat:ikev1_decryption_table:${capture.uatRow}`,
      '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=|',
      ...fields.flatMap((f) => ['-e', f]),
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 16 << 20 },
  );
  return out.split('\n').filter((l) => l.length > 0).map((l) => l.split('\t'));
}

describe('tshark decodes what the IKEv1 codec encodes', () => {
  it('tshark is installed (CI installs it; this test fails without it)', () => {
    expect(tsharkVersion(), 'tshark not found: install it as .ci/run does').not.toBeNull();
  });

  it('every field of every frame: MM1-4 in the clear, MM5-6, QM1-3 and Informationals decrypted by tshark', () => {
    expect(tsharkVersion(), 'tshark not found').not.toBeNull();
    const rows = tsharkFields(['frame.number', 'udp.length', 'isakmp.length', ...FIELDS, '_ws.malformed', '_ws.expert.message']);
    expect(rows.length).toBe(capture.frames.length);
    let decrypted = 0;
    for (const [i, row] of rows.entries()) {
      const sent = capture.frames[i]!;
      const where = `frame ${row[0]}`;
      // The header's length is the whole UDP payload, ciphertext included.
      expect(Number(row[2]), `${where} isakmp.length`).toBe(Number(row[1]) - 8);
      const expected = expectedFields(sent);
      FIELDS.forEach((field, k) => {
        expect(row[3 + k] ?? '', `${where} ${field}`).toBe((expected.get(field) ?? []).join('|'));
      });
      expect(row[3 + FIELDS.length] ?? '', `${where} malformed`).toBe('');
      if (sent.padding) decrypted++;
    }
    expect(decrypted).toBe(7);
  });

  it('names each known vendor ID as Wireshark recognises it', () => {
    const rows = tsharkFields(['frame.number', 'isakmp.vid_bytes', 'isakmp.vid_string']);
    const chatty = rows[4]!; // frame 5: the MM1 with every known vendor ID
    const recognised = (chatty[2] ?? '').split('|');
    expect(recognised.length).toBe(KNOWN_VENDOR_IDS.length);
    // Wireshark's name of each vendor ID (packet-isakmp.c's vendor ID table), for ours.
    const wireshark: Record<string, string> = {
      'NAT-T (RFC 3947)': 'RFC 3947 Negotiation of NAT-Traversal in the IKE',
      'draft-ietf-ipsec-nat-t-ike-03': 'draft-ietf-ipsec-nat-t-ike-03',
      'draft-ietf-ipsec-nat-t-ike-02': 'draft-ietf-ipsec-nat-t-ike-02',
      'draft-ietf-ipsec-nat-t-ike-02\\n': 'draft-ietf-ipsec-nat-t-ike-02\\n',
      DPD: 'RFC 3706 DPD (Dead Peer Detection)',
      XAuth: 'XAUTH',
      strongSwan: 'strongSwan',
      'Cisco Unity': 'CISCO-UNITY',
      FRAGMENTATION: 'Cisco Fragmentation',
      'MS NT5 ISAKMPOAKLEY': 'MS NT5 ISAKMPOAKLEY',
      'KAME/racoon': 'KAME/racoon',
    };
    KNOWN_VENDOR_IDS.forEach((v, i) => {
      expect(recognised[i], v.name).toBe(wireshark[v.name]);
    });
  });
});

describe('the numbers of isakmp-names.ts are the numbers Wireshark names the same way', () => {
  /** Wireshark's value strings of `field`: its first table (IKEv1's, where IKEv2 has another), value → name. */
  let values: Map<string, Map<number, string>>;

  beforeAll(() => {
    const out = execFileSync('tshark', ['-G', 'values'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 << 20 });
    values = new Map();
    const last = new Map<string, number>();
    const done = new Set<string>();
    for (const line of out.split('\n')) {
      const cols = line.split('\t');
      if ((cols[0] !== 'V' && cols[0] !== 'R') || !cols[1]?.startsWith('isakmp.')) continue;
      const field = cols[1];
      if (done.has(field)) continue;
      const low = Number(cols[2]);
      const high = cols[0] === 'R' ? Number(cols[3]) : low;
      const name = (cols[0] === 'R' ? cols[4] : cols[3]) ?? '';
      if (low < (last.get(field) ?? -1)) {
        done.add(field); // a second table for the same field: IKEv2's
        continue;
      }
      last.set(field, low);
      if (!values.has(field)) values.set(field, new Map());
      if (low === high) values.get(field)!.set(low, name);
    }
  });

  const normal = (s: string): string => s.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_|_$/g, '');

  /** Each entry of `table` must carry Wireshark's name for its number (normalised), or the spelling in `differs`. */
  function agree(table: Readonly<Record<string, number>>, field: string, differs: Record<string, string> = {}): void {
    const ws = values.get(field);
    expect(ws, field).toBeDefined();
    for (const [name, n] of Object.entries(table)) {
      const theirs = ws!.get(n);
      expect(theirs, `${field} ${n} (${name})`).toBeDefined();
      expect(normal(theirs!), `${field} ${n}`).toBe(normal(differs[name] ?? name));
    }
  }

  it('notify message types, ID types, attribute types and values', () => {
    expect(tsharkVersion(), 'tshark not found').not.toBeNull();
    agree(NotifyType, 'isakmp.notify.msgtype');
    agree(IdType, 'isakmp.id.type');
    agree(IkeAttribute, 'isakmp.ike.attr.type');
    agree(IpsecAttribute, 'isakmp.ipsec.attr.type', { EXTENDED_SEQUENCE_NUMBER: 'Extended (64-bit) Sequence Number' });
    agree(IkeEncryption, 'isakmp.ike.attr.encryption_algorithm');
    agree(IkeHash, 'isakmp.ike.attr.hash_algorithm');
    agree(IkeAuthMethod, 'isakmp.ike.attr.authentication_method', {
      RSA_ENCRYPTION: 'Encryption with RSA',
      REVISED_RSA_ENCRYPTION: 'Revised encryption with RSA',
    });
    agree(LifeType, 'isakmp.ike.attr.life_type');
    agree(LifeType, 'isakmp.ipsec.attr.life_type');
    agree(EncapsulationMode, 'isakmp.ipsec.attr.encap_mode');
    agree(IpsecAuthAlgorithm, 'isakmp.ipsec.attr.auth_algorithm');
    agree(ProtocolId, 'isakmp.prop.protoid', { AH: 'IPSEC_AH', ESP: 'IPSEC_ESP' });
  });

  it('exchange types and payload types (Wireshark spells them out)', () => {
    agree(ExchangeType, 'isakmp.exchangetype', {
      MAIN_MODE: 'Identity Protection (Main Mode)',
      AUTH_ONLY: 'Authentication Only',
      TRANSACTION: 'Transaction (Config Mode)',
      QUICK_MODE: 'Quick Mode',
      NEW_GROUP_MODE: 'New Group Mode',
    });
    agree(PayloadType, 'isakmp.typepayload', {
      NONE: 'NONE / No Next Payload',
      SA: 'Security Association',
      KE: 'Key Exchange',
      ID: 'Identification',
      CERT: 'Certificate',
      CERTREQ: 'Certificate Request',
      NOTIFICATION: 'Notification',
      CONFIGURATION: 'Attributes',
      NAT_D: 'NAT-D (RFC 3947)',
      NAT_OA: 'NAT-OA (RFC 3947)',
      NAT_D_DRAFT: 'NAT-D (draft-ietf-ipsec-nat-t-ike-01 to 03)',
      NAT_OA_DRAFT: 'NAT-OA (draft-ietf-ipsec-nat-t-ike-01 to 03)',
      FRAGMENT: 'Cisco-Fragmentation',
    });
  });

  it('DH groups: Wireshark names each with the kind and size ours carries', () => {
    const ws = values.get('isakmp.ike.attr.group_description')!;
    for (const [name, n] of Object.entries(DhGroup)) {
      const theirs = ws.get(n) ?? '';
      const [kind, ...sizes] = name.split('_');
      expect(theirs.toUpperCase(), `${n} ${name}`).toContain(kind);
      for (const size of sizes) expect(theirs, `${n} ${name}`).toContain(size);
    }
    // The Azure policy-based group.
    expect(ws.get(DhGroup.MODP_1024)).toBe('Alternate 1024-bit MODP group');
  });
});
