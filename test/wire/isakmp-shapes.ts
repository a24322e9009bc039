/**
 * Test data: the IKEv1 messages of a policy-based Azure 2016 tunnel, as typed representations.
 * Main Mode (6 messages) and Quick Mode (3) with Azure's values (ike-2016.md §2.2, §4.1): phase 1
 * AES-256-CBC, SHA1, DH group 2, PSK, 28,800 s; phase 2 ESP AES-256 + HMAC-SHA1, tunnel mode,
 * 3,600 s and 102,400,000 KB, no PFS; proxy IDs as ID_IPV4_ADDR_SUBNET. Random fields (cookies,
 * KE, nonces, hashes, SPIs) come from a seeded Prng.
 */
import {
  attribute,
  DhGroup,
  Doi,
  EncapsulationMode,
  EspTransformId,
  ExchangeType,
  IkeAttribute,
  IkeAuthMethod,
  IkeEncryption,
  IkeHash,
  IpsecAttribute,
  IpsecAuthAlgorithm,
  IsakmpTransformId,
  LifeType,
  NotifyType,
  ProtocolId,
  Situation,
  vendorIdBytes,
  type IsakmpHeaderFields,
  type IsakmpMessage,
  type IsakmpPayload,
  type SaPayload,
} from '../../sim/wire/isakmp.js';
import { Prng } from '../../sim/util/prng.js';
import { ip } from './hex.js';

export const AZURE_PHASE1_LIFETIME = 28_800;
export const AZURE_QM_SECONDS = 3_600;
export const AZURE_QM_KILOBYTES = 102_400_000;

/** The Azure policy-based phase-1 transform's attributes, in the order strongSwan sends them. */
export function azurePhase1Sa(transforms = 1): SaPayload {
  return {
    kind: 'sa',
    doi: Doi.IPSEC,
    situation: Situation.IDENTITY_ONLY,
    proposals: [
      {
        number: 1,
        protocol: ProtocolId.ISAKMP,
        spi: new Uint8Array(0),
        transforms: Array.from({ length: transforms }, (_, i) => ({
          number: i + 1,
          id: IsakmpTransformId.KEY_IKE,
          attributes: [
            attribute(IkeAttribute.ENCRYPTION_ALGORITHM, IkeEncryption.AES_CBC),
            attribute(IkeAttribute.KEY_LENGTH, 256),
            attribute(IkeAttribute.HASH_ALGORITHM, IkeHash.SHA),
            attribute(IkeAttribute.AUTHENTICATION_METHOD, IkeAuthMethod.PRE_SHARED_KEY),
            attribute(IkeAttribute.GROUP_DESCRIPTION, DhGroup.MODP_1024),
            attribute(IkeAttribute.LIFE_TYPE, LifeType.SECONDS),
            attribute(IkeAttribute.LIFE_DURATION, AZURE_PHASE1_LIFETIME),
          ],
        })),
      },
    ],
  };
}

/** The Azure policy-based Quick Mode SA: one ESP proposal with SPI `spi`, both lifetimes. */
export function azureQuickModeSa(spi: Uint8Array): SaPayload {
  return {
    kind: 'sa',
    doi: Doi.IPSEC,
    situation: Situation.IDENTITY_ONLY,
    proposals: [
      {
        number: 1,
        protocol: ProtocolId.ESP,
        spi,
        transforms: [
          {
            number: 1,
            id: EspTransformId.ESP_AES_CBC,
            attributes: [
              attribute(IpsecAttribute.SA_LIFE_TYPE, LifeType.SECONDS),
              attribute(IpsecAttribute.SA_LIFE_DURATION, AZURE_QM_SECONDS),
              attribute(IpsecAttribute.SA_LIFE_TYPE, LifeType.KILOBYTES),
              attribute(IpsecAttribute.SA_LIFE_DURATION, AZURE_QM_KILOBYTES),
              attribute(IpsecAttribute.ENCAPSULATION_MODE, EncapsulationMode.TUNNEL),
              attribute(IpsecAttribute.AUTHENTICATION_ALGORITHM, IpsecAuthAlgorithm.HMAC_SHA),
              attribute(IpsecAttribute.KEY_LENGTH, 256),
            ],
          },
        ],
      },
    ],
  };
}

/** A full policy-based negotiation's messages, with what the test needs to know about them. */
export interface PolicyBasedExchange {
  readonly initiator: number;
  readonly responder: number;
  /** MM1..MM6 (MM5 and MM6 travel encrypted). */
  readonly mainMode: readonly IsakmpMessage[];
  /** QM1..QM3 (all encrypted). */
  readonly quickMode: readonly IsakmpMessage[];
  /** Informational: proxy-ID refusal and ESP delete (encrypted). */
  readonly informational: readonly IsakmpMessage[];
}

/** A Vendor ID payload with the known ID `name`, followed by `suffix` (a version, as Windows sends). */
export function vid(name: string, suffix: readonly number[] = []): IsakmpPayload {
  const data = vendorIdBytes(name);
  if (!data) throw new Error(`no vendor ID ${name}`);
  return { kind: 'vendor-id', data: new Uint8Array([...data, ...suffix]) };
}

/** The messages of one tunnel between `initiator` and `responder` (dotted quads), from `seed`. */
export function policyBasedExchange(seed: number, initiator = '203.0.113.10', responder = '198.51.100.20'): PolicyBasedExchange {
  const prng = new Prng(seed, 'isakmp-shapes');
  const bytes = (n: number): Uint8Array => prng.fill(new Uint8Array(n));
  const cookieI = bytes(8);
  cookieI[0] |= 0x80; // never all zeros
  const cookieR = bytes(8);
  cookieR[0] |= 0x80;
  const phase1 = (responderCookie: Uint8Array): IsakmpHeaderFields => ({
    initiatorCookie: cookieI,
    responderCookie,
    exchangeType: ExchangeType.MAIN_MODE,
    messageId: 0,
    commit: false,
    authOnly: false,
  });
  const zero = new Uint8Array(8);
  const iAddr = ip(initiator);
  const rAddr = ip(responder);
  const mainMode: IsakmpMessage[] = [
    { header: phase1(zero), payloads: [azurePhase1Sa(), vid('NAT-T (RFC 3947)'), vid('DPD')] },
    { header: phase1(cookieR), payloads: [azurePhase1Sa(), vid('NAT-T (RFC 3947)'), vid('MS NT5 ISAKMPOAKLEY', [0, 0, 0, 9])] },
    {
      header: phase1(cookieR),
      payloads: [{ kind: 'ke', data: bytes(128) }, { kind: 'nonce', data: bytes(32) }, { kind: 'nat-d', hash: bytes(20) }, { kind: 'nat-d', hash: bytes(20) }],
    },
    {
      header: phase1(cookieR),
      payloads: [{ kind: 'ke', data: bytes(128) }, { kind: 'nonce', data: bytes(32) }, { kind: 'nat-d', hash: bytes(20) }, { kind: 'nat-d', hash: bytes(20) }],
    },
    {
      header: phase1(cookieR),
      payloads: [
        { kind: 'id', protocol: 17, port: 500, identity: { kind: 'ipv4', address: iAddr } },
        { kind: 'hash', data: bytes(20) },
        { kind: 'notify', doi: Doi.IPSEC, protocol: ProtocolId.ISAKMP, spi: new Uint8Array([...cookieI, ...cookieR]), notifyType: NotifyType.INITIAL_CONTACT, data: new Uint8Array(0) },
      ],
    },
    {
      header: phase1(cookieR),
      payloads: [{ kind: 'id', protocol: 17, port: 500, identity: { kind: 'ipv4', address: rAddr } }, { kind: 'hash', data: bytes(20) }],
    },
  ];
  const quick: IsakmpHeaderFields = { ...phase1(cookieR), exchangeType: ExchangeType.QUICK_MODE, messageId: prng.nextU32() || 1 };
  const proxy = (a: string, bits: number): IsakmpPayload => ({
    kind: 'id',
    protocol: 0,
    port: 0,
    identity: { kind: 'ipv4-subnet', address: ip(a), mask: bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0 },
  });
  const quickMode: IsakmpMessage[] = [
    { header: quick, payloads: [{ kind: 'hash', data: bytes(20) }, azureQuickModeSa(bytes(4)), { kind: 'nonce', data: bytes(32) }, proxy('10.1.0.0', 16), proxy('10.2.0.0', 16)] },
    { header: quick, payloads: [{ kind: 'hash', data: bytes(20) }, azureQuickModeSa(bytes(4)), { kind: 'nonce', data: bytes(32) }, proxy('10.1.0.0', 16), proxy('10.2.0.0', 16)] },
    { header: quick, payloads: [{ kind: 'hash', data: bytes(20) }] },
  ];
  const info = (messageId: number, payload: IsakmpPayload): IsakmpMessage => ({
    header: { ...phase1(cookieR), exchangeType: ExchangeType.INFORMATIONAL, messageId },
    payloads: [{ kind: 'hash', data: bytes(20) }, payload],
  });
  const informational = [
    info(prng.nextU32() || 2, { kind: 'notify', doi: Doi.IPSEC, protocol: ProtocolId.ESP, spi: bytes(4), notifyType: NotifyType.INVALID_ID_INFORMATION, data: new Uint8Array(0) }),
    info(prng.nextU32() || 3, { kind: 'delete', doi: Doi.IPSEC, protocol: ProtocolId.ESP, spiSize: 4, spis: [bytes(4)] }),
  ];
  return { initiator: iAddr, responder: rAddr, mainMode, quickMode, informational };
}
