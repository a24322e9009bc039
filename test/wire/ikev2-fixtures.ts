/**
 * Test fixtures: the IKEv2 messages of ike-2016.md §1.1 (IKE_SA_INIT, IKE_AUTH, CREATE_CHILD_SA
 * for child and IKE rekey, INFORMATIONAL delete and liveness) and the failure answers of §1.5,
 * with Azure's 2016 route-based values (AES-256-CBC, HMAC-SHA1-96, PRF-HMAC-SHA1, MODP-1024),
 * random fields drawn from a seeded Prng. Encrypted messages carry their inner payloads
 * separately, with SK contents of arbitrary bytes.
 */
import {
  AuthMethod,
  DhGroup,
  EncrId,
  ExchangeType,
  IdType,
  IntegId,
  EsnId,
  encodeInner,
  keyLengthAttribute,
  notifyPayload,
  NotifyType,
  PrfId,
  ProtocolId,
  spi32Bytes,
  TransformType,
  ANY_IPV4_SELECTOR,
  type Ikev2Header,
  type Ikev2Message,
  type Ikev2Payload,
  type Proposal,
} from '../../sim/wire/ikev2.js';
import { Prng } from '../../sim/util/prng.js';

export function bytes(prng: Prng, n: number): Uint8Array {
  return prng.fill(new Uint8Array(n));
}

/** A non-zero 8-byte IKE SPI. */
export function ikeSpi(prng: Prng): Uint8Array {
  const s = bytes(prng, 8);
  s[0] |= 0x01;
  return s;
}

export function ikeProposal(number: number, spi: Uint8Array = new Uint8Array(0), encr: number = EncrId.AES_CBC, keyBits = 256): Proposal {
  return {
    number,
    protocol: ProtocolId.IKE,
    spi,
    transforms: [
      { type: TransformType.ENCR, id: encr, attributes: encr === EncrId.AES_CBC ? [keyLengthAttribute(keyBits)] : [] },
      { type: TransformType.PRF, id: PrfId.HMAC_SHA1, attributes: [] },
      { type: TransformType.INTEG, id: IntegId.HMAC_SHA1_96, attributes: [] },
      { type: TransformType.DH, id: DhGroup.MODP_1024, attributes: [] },
    ],
  };
}

export function espProposal(number: number, spi: number, pfsGroup?: number): Proposal {
  return {
    number,
    protocol: ProtocolId.ESP,
    spi: spi32Bytes(spi),
    transforms: [
      { type: TransformType.ENCR, id: EncrId.AES_CBC, attributes: [keyLengthAttribute(256)] },
      { type: TransformType.INTEG, id: IntegId.HMAC_SHA1_96, attributes: [] },
      ...(pfsGroup === undefined ? [] : [{ type: TransformType.DH, id: pfsGroup, attributes: [] }]),
      { type: TransformType.ESN, id: EsnId.NO_ESN, attributes: [] },
    ],
  };
}

/** A message and, when it is encrypted, the payloads inside its SK payload. */
export interface FixtureMessage {
  readonly name: string;
  readonly message: Ikev2Message;
  readonly inner?: readonly Ikev2Payload[];
}

const ip = (a: number, b: number, c: number, d: number): number => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

/** The messages of one tunnel's life, and the failure answers. */
export function exchangeMessages(prng: Prng): FixtureMessage[] {
  const spiI = ikeSpi(prng);
  const spiR = ikeSpi(prng);
  const zero = new Uint8Array(8);
  const hdr = (exchangeType: number, messageId: number, response: boolean, initiator = true, responderSpi = spiR): Ikev2Header => ({
    initiatorSpi: spiI,
    responderSpi,
    exchangeType,
    initiator,
    response,
    higherVersion: false,
    messageId,
  });
  const natd = (t: number): Ikev2Payload => notifyPayload(t, bytes(prng, 20));
  const ke = (): Ikev2Payload => ({ kind: 'KE', group: DhGroup.MODP_1024, data: bytes(prng, 128) });
  const nonce = (): Ikev2Payload => ({ kind: 'Nonce', data: bytes(prng, 32) });
  const ts: Ikev2Payload[] = [
    { kind: 'TSi', selectors: [ANY_IPV4_SELECTOR] },
    { kind: 'TSr', selectors: [{ kind: 'ipv4-range', ipProtocol: 0, startPort: 0, endPort: 65535, startAddress: ip(10, 1, 0, 0), endAddress: ip(10, 1, 255, 255) }] },
  ];
  // SK contents of arbitrary bytes, as long as AES-CBC (16-byte IV) and HMAC-SHA1-96 would make them.
  const encrypted = (name: string, header: Ikev2Header, inner: Ikev2Payload[]): FixtureMessage => {
    const { firstInner, plaintext } = encodeInner(inner, 16);
    return { name, message: { header, payloads: [], encrypted: { firstInner, data: bytes(prng, 16 + plaintext.length + 12) } }, inner };
  };
  return [
    {
      name: 'IKE_SA_INIT request',
      message: {
        header: hdr(ExchangeType.IKE_SA_INIT, 0, false, true, zero),
        payloads: [
          { kind: 'SA', proposals: [ikeProposal(1), ikeProposal(2, undefined, EncrId['3DES'])] },
          ke(),
          nonce(),
          natd(NotifyType.NAT_DETECTION_SOURCE_IP),
          natd(NotifyType.NAT_DETECTION_DESTINATION_IP),
        ],
      },
    },
    {
      name: 'IKE_SA_INIT response',
      message: {
        header: hdr(ExchangeType.IKE_SA_INIT, 0, true, false),
        payloads: [
          { kind: 'SA', proposals: [ikeProposal(1)] },
          ke(),
          nonce(),
          natd(NotifyType.NAT_DETECTION_SOURCE_IP),
          natd(NotifyType.NAT_DETECTION_DESTINATION_IP),
        ],
      },
    },
    {
      name: 'IKE_SA_INIT response N(NO_PROPOSAL_CHOSEN)',
      message: { header: hdr(ExchangeType.IKE_SA_INIT, 0, true, false, zero), payloads: [notifyPayload(NotifyType.NO_PROPOSAL_CHOSEN)] },
    },
    {
      name: 'IKE_SA_INIT response N(INVALID_KE_PAYLOAD)',
      message: {
        header: hdr(ExchangeType.IKE_SA_INIT, 0, true, false, zero),
        payloads: [notifyPayload(NotifyType.INVALID_KE_PAYLOAD, Uint8Array.of(0, DhGroup.MODP_2048))],
      },
    },
    encrypted('IKE_AUTH request', hdr(ExchangeType.IKE_AUTH, 1, false), [
      { kind: 'IDi', idType: IdType.IPV4_ADDR, data: Uint8Array.of(203, 0, 113, 7) },
      notifyPayload(NotifyType.INITIAL_CONTACT),
      { kind: 'IDr', idType: IdType.FQDN, data: new TextEncoder().encode('vpn.example.net') },
      { kind: 'AUTH', method: AuthMethod.PSK, data: bytes(prng, 20) },
      { kind: 'SA', proposals: [espProposal(1, 0xc1a0b0c1)] },
      ...ts,
    ]),
    encrypted('IKE_AUTH response', hdr(ExchangeType.IKE_AUTH, 1, true, false), [
      { kind: 'IDr', idType: IdType.IPV4_ADDR, data: Uint8Array.of(198, 51, 100, 9) },
      { kind: 'AUTH', method: AuthMethod.PSK, data: bytes(prng, 20) },
      { kind: 'SA', proposals: [espProposal(1, 0x5e55a001)] },
      ...ts,
    ]),
    encrypted('IKE_AUTH response N(AUTHENTICATION_FAILED)', hdr(ExchangeType.IKE_AUTH, 1, true, false), [
      notifyPayload(NotifyType.AUTHENTICATION_FAILED),
    ]),
    encrypted('IKE_AUTH response N(TS_UNACCEPTABLE)', hdr(ExchangeType.IKE_AUTH, 1, true, false), [
      { kind: 'IDr', idType: IdType.IPV4_ADDR, data: Uint8Array.of(198, 51, 100, 9) },
      { kind: 'AUTH', method: AuthMethod.PSK, data: bytes(prng, 20) },
      notifyPayload(NotifyType.TS_UNACCEPTABLE),
    ]),
    encrypted('CREATE_CHILD_SA child rekey request', hdr(ExchangeType.CREATE_CHILD_SA, 2, false), [
      notifyPayload(NotifyType.REKEY_SA, undefined, ProtocolId.ESP, spi32Bytes(0xc1a0b0c1)),
      { kind: 'SA', proposals: [espProposal(1, 0xc1a0b0c2, DhGroup.MODP_1024)] },
      nonce(),
      ke(),
      ...ts,
    ]),
    encrypted('CREATE_CHILD_SA IKE rekey request', hdr(ExchangeType.CREATE_CHILD_SA, 3, false), [
      { kind: 'SA', proposals: [ikeProposal(1, ikeSpi(prng))] },
      nonce(),
      ke(),
    ]),
    encrypted('INFORMATIONAL delete ESP request', hdr(ExchangeType.INFORMATIONAL, 4, false), [
      { kind: 'Delete', protocol: ProtocolId.ESP, spiSize: 4, spis: [spi32Bytes(0xc1a0b0c1), spi32Bytes(0xc1a0b0c2)] },
    ]),
    encrypted('INFORMATIONAL delete IKE request', hdr(ExchangeType.INFORMATIONAL, 5, false), [
      { kind: 'Delete', protocol: ProtocolId.IKE, spiSize: 0, spis: [] },
    ]),
    encrypted('INFORMATIONAL liveness response', hdr(ExchangeType.INFORMATIONAL, 0, true, false), []),
  ];
}
