/**
 * The numbers of IKEv1 (ISAKMP, RFC 2408; IKE, RFC 2409; IPsec DOI, RFC 2407; NAT-T, RFC 3947;
 * DPD, RFC 3706) as data, with the functions that name them.
 *
 * Owns the tables only: exchange types, payload types, notify message types, protocol IDs,
 * transform IDs, phase-1 (IKE) and phase-2 (IPsec) SA attribute types and their values, and
 * identification types. Names are the RFCs' (IANA "ISAKMP" and "IPsec" registries), written
 * with underscores so they can be keys; strongSwan spells most of them the same way
 * (`transform_attribute.h`, `proposal_substructure.c`, `notify_payload.h`). A number with no
 * name here is still a valid number: the codecs keep it, the name functions say `UNKNOWN(n)`.
 * The short names strongSwan prints in its one-line message summaries live in
 * `isakmp-summary.ts`, because they differ from these.
 */

/** Exchange types (RFC 2408 §3.1 and §4; RFC 2409 §5.5 Quick Mode, §5.6 New Group Mode). */
export const ExchangeType = {
  /** Identity Protection, called Main Mode in RFC 2409. */
  MAIN_MODE: 2,
  AUTH_ONLY: 3,
  AGGRESSIVE: 4,
  INFORMATIONAL: 5,
  /** Mode Config / XAuth (draft-dukes-ike-mode-cfg); strongSwan accepts it. */
  TRANSACTION: 6,
  QUICK_MODE: 32,
  NEW_GROUP_MODE: 33,
} as const;

/** Payload types (RFC 2408 §3.1; NAT-D and NAT-OA from RFC 3947 §3.2, §5.2). */
export const PayloadType = {
  NONE: 0,
  SA: 1,
  PROPOSAL: 2,
  TRANSFORM: 3,
  KE: 4,
  ID: 5,
  CERT: 6,
  CERTREQ: 7,
  HASH: 8,
  SIGNATURE: 9,
  NONCE: 10,
  NOTIFICATION: 11,
  DELETE: 12,
  VENDOR_ID: 13,
  /** The Mode Config attribute payload (draft-dukes-ike-mode-cfg). */
  CONFIGURATION: 14,
  NAT_D: 20,
  NAT_OA: 21,
  /** The pre-RFC 3947 drafts' NAT-D and NAT-OA, and Cisco's IKE fragment (strongSwan knows all three). */
  NAT_D_DRAFT: 130,
  NAT_OA_DRAFT: 131,
  FRAGMENT: 132,
} as const;

/**
 * Notify message types: errors 1-30 (RFC 2408 §3.14.1), status CONNECTED (ibid.),
 * RESPONDER_LIFETIME / REPLAY_STATUS / INITIAL_CONTACT (RFC 2407 §4.6.3), DPD (RFC 3706 §5).
 */
export const NotifyType = {
  INVALID_PAYLOAD_TYPE: 1,
  DOI_NOT_SUPPORTED: 2,
  SITUATION_NOT_SUPPORTED: 3,
  INVALID_COOKIE: 4,
  INVALID_MAJOR_VERSION: 5,
  INVALID_MINOR_VERSION: 6,
  INVALID_EXCHANGE_TYPE: 7,
  INVALID_FLAGS: 8,
  INVALID_MESSAGE_ID: 9,
  INVALID_PROTOCOL_ID: 10,
  INVALID_SPI: 11,
  INVALID_TRANSFORM_ID: 12,
  ATTRIBUTES_NOT_SUPPORTED: 13,
  NO_PROPOSAL_CHOSEN: 14,
  BAD_PROPOSAL_SYNTAX: 15,
  PAYLOAD_MALFORMED: 16,
  INVALID_KEY_INFORMATION: 17,
  INVALID_ID_INFORMATION: 18,
  INVALID_CERT_ENCODING: 19,
  INVALID_CERTIFICATE: 20,
  CERT_TYPE_UNSUPPORTED: 21,
  INVALID_CERT_AUTHORITY: 22,
  INVALID_HASH_INFORMATION: 23,
  AUTHENTICATION_FAILED: 24,
  INVALID_SIGNATURE: 25,
  ADDRESS_NOTIFICATION: 26,
  NOTIFY_SA_LIFETIME: 27,
  CERTIFICATE_UNAVAILABLE: 28,
  UNSUPPORTED_EXCHANGE_TYPE: 29,
  UNEQUAL_PAYLOAD_LENGTHS: 30,
  CONNECTED: 16384,
  RESPONDER_LIFETIME: 24576,
  REPLAY_STATUS: 24577,
  INITIAL_CONTACT: 24578,
  R_U_THERE: 36136,
  R_U_THERE_ACK: 36137,
} as const;

/** Domain of interpretation (RFC 2407 §4.2): the only one defined for IPsec. */
export const Doi = { IPSEC: 1 } as const;

/** IPsec DOI situation bits (RFC 2407 §4.2). */
export const Situation = { IDENTITY_ONLY: 1, SECRECY: 2, INTEGRITY: 4 } as const;

/** Security protocol IDs in proposals, notifications and deletes (RFC 2407 §4.4.1). */
export const ProtocolId = { ISAKMP: 1, AH: 2, ESP: 3, IPCOMP: 4 } as const;

/** The phase-1 transform ID (RFC 2407 §4.4.2). */
export const IsakmpTransformId = { KEY_IKE: 1 } as const;

/** ESP transform IDs (RFC 2407 §4.4.4; AES RFC 3602, CTR RFC 3686, CCM/GCM RFC 4309/4106, GMAC RFC 4543). */
export const EspTransformId = {
  ESP_DES_IV64: 1,
  ESP_DES: 2,
  ESP_3DES: 3,
  ESP_RC5: 4,
  ESP_IDEA: 5,
  ESP_CAST: 6,
  ESP_BLOWFISH: 7,
  ESP_3IDEA: 8,
  ESP_DES_IV32: 9,
  ESP_RC4: 10,
  ESP_NULL: 11,
  ESP_AES_CBC: 12,
  ESP_AES_CTR: 13,
  ESP_AES_CCM_8: 14,
  ESP_AES_CCM_12: 15,
  ESP_AES_CCM_16: 16,
  ESP_AES_GCM_8: 18,
  ESP_AES_GCM_12: 19,
  ESP_AES_GCM_16: 20,
  ESP_NULL_AUTH_AES_GMAC: 23,
} as const;

/** Phase-1 SA attribute types (RFC 2409 Appendix A). */
export const IkeAttribute = {
  ENCRYPTION_ALGORITHM: 1,
  HASH_ALGORITHM: 2,
  AUTHENTICATION_METHOD: 3,
  GROUP_DESCRIPTION: 4,
  GROUP_TYPE: 5,
  GROUP_PRIME: 6,
  GROUP_GENERATOR_ONE: 7,
  GROUP_GENERATOR_TWO: 8,
  GROUP_CURVE_A: 9,
  GROUP_CURVE_B: 10,
  LIFE_TYPE: 11,
  LIFE_DURATION: 12,
  PRF: 13,
  KEY_LENGTH: 14,
  FIELD_SIZE: 15,
  GROUP_ORDER: 16,
} as const;

/** Phase-1 encryption algorithms (RFC 2409 Appendix A; AES-CBC RFC 3602 §5.2 uses 7). */
export const IkeEncryption = {
  DES_CBC: 1,
  IDEA_CBC: 2,
  BLOWFISH_CBC: 3,
  RC5_R16_B64_CBC: 4,
  '3DES_CBC': 5,
  CAST_CBC: 6,
  AES_CBC: 7,
  CAMELLIA_CBC: 8,
} as const;

/** Phase-1 hash algorithms (RFC 2409 Appendix A; SHA-2 from RFC 4868 §2.2). */
export const IkeHash = { MD5: 1, SHA: 2, TIGER: 3, SHA2_256: 4, SHA2_384: 5, SHA2_512: 6 } as const;

/** Phase-1 authentication methods (RFC 2409 Appendix A). */
export const IkeAuthMethod = {
  PRE_SHARED_KEY: 1,
  DSS_SIGNATURES: 2,
  RSA_SIGNATURES: 3,
  RSA_ENCRYPTION: 4,
  REVISED_RSA_ENCRYPTION: 5,
} as const;

/** Diffie-Hellman group descriptions, phase 1 and PFS (RFC 2409 §6, RFC 3526, RFC 5903, RFC 5114). */
export const DhGroup = {
  MODP_768: 1,
  MODP_1024: 2,
  EC2N_155: 3,
  EC2N_185: 4,
  MODP_1536: 5,
  MODP_2048: 14,
  MODP_3072: 15,
  MODP_4096: 16,
  ECP_256: 19,
  ECP_384: 20,
  ECP_521: 21,
  MODP_2048_256: 24,
} as const;

/** SA life types, phase 1 and phase 2 (RFC 2409 Appendix A, RFC 2407 §4.5). */
export const LifeType = { SECONDS: 1, KILOBYTES: 2 } as const;

/** Phase-2 (IPsec DOI) SA attribute types (RFC 2407 §4.5; ECN RFC 3168; ESN RFC 4304). */
export const IpsecAttribute = {
  SA_LIFE_TYPE: 1,
  SA_LIFE_DURATION: 2,
  GROUP_DESCRIPTION: 3,
  ENCAPSULATION_MODE: 4,
  AUTHENTICATION_ALGORITHM: 5,
  KEY_LENGTH: 6,
  KEY_ROUNDS: 7,
  COMPRESS_DICTIONARY_SIZE: 8,
  COMPRESS_PRIVATE_ALGORITHM: 9,
  ECN_TUNNEL: 10,
  EXTENDED_SEQUENCE_NUMBER: 11,
} as const;

/**
 * Encapsulation modes (RFC 2407 §4.5; 3 and 4 from RFC 3947 §5; 61443/61444 are the values of
 * the NAT-T drafts, which strongSwan still accepts).
 */
export const EncapsulationMode = {
  TUNNEL: 1,
  TRANSPORT: 2,
  UDP_ENCAPSULATED_TUNNEL: 3,
  UDP_ENCAPSULATED_TRANSPORT: 4,
  UDP_ENCAPSULATED_TUNNEL_DRAFT: 61443,
  UDP_ENCAPSULATED_TRANSPORT_DRAFT: 61444,
} as const;

/** Phase-2 authentication algorithms (RFC 2407 §4.5; SHA-2 RFC 4868 §2.2.1; XCBC RFC 3566). */
export const IpsecAuthAlgorithm = {
  HMAC_MD5: 1,
  HMAC_SHA: 2,
  DES_MAC: 3,
  KPDK: 4,
  HMAC_SHA2_256: 5,
  HMAC_SHA2_384: 6,
  HMAC_SHA2_512: 7,
  HMAC_RIPEMD: 8,
  AES_XCBC_MAC: 9,
} as const;

/** Identification types (RFC 2407 §4.6.2.1). */
export const IdType = {
  IPV4_ADDR: 1,
  FQDN: 2,
  USER_FQDN: 3,
  IPV4_ADDR_SUBNET: 4,
  IPV6_ADDR: 5,
  IPV6_ADDR_SUBNET: 6,
  IPV4_ADDR_RANGE: 7,
  IPV6_ADDR_RANGE: 8,
  DER_ASN1_DN: 9,
  DER_ASN1_GN: 10,
  KEY_ID: 11,
} as const;

type NumberTable = Readonly<Record<string, number>>;

/** The key of `table` whose value is `value`, or `UNKNOWN(value)`. */
function nameIn(table: NumberTable, value: number): string {
  for (const key in table) if (table[key] === value) return key;
  return `UNKNOWN(${value})`;
}

export function exchangeTypeName(type: number): string {
  return nameIn(ExchangeType, type);
}

export function payloadTypeName(type: number): string {
  return nameIn(PayloadType, type);
}

export function notifyTypeName(type: number): string {
  return nameIn(NotifyType, type);
}

export function protocolName(protocol: number): string {
  return nameIn(ProtocolId, protocol);
}

export function idTypeName(type: number): string {
  return nameIn(IdType, type);
}

/** The name of a transform ID, which depends on the proposal's protocol. */
export function transformIdName(protocol: number, id: number): string {
  if (protocol === ProtocolId.ISAKMP) return nameIn(IsakmpTransformId, id);
  if (protocol === ProtocolId.ESP) return nameIn(EspTransformId, id);
  return `UNKNOWN(${id})`;
}

/** The name of an SA attribute type: phase-1 types in ISAKMP proposals, IPsec DOI types otherwise. */
export function attributeTypeName(protocol: number, type: number): string {
  return nameIn(protocol === ProtocolId.ISAKMP ? IkeAttribute : IpsecAttribute, type);
}

/** Value tables of the attribute types whose values are enumerations, by protocol. */
const PHASE1_VALUES: ReadonlyMap<number, NumberTable> = new Map<number, NumberTable>([
  [IkeAttribute.ENCRYPTION_ALGORITHM, IkeEncryption],
  [IkeAttribute.HASH_ALGORITHM, IkeHash],
  [IkeAttribute.AUTHENTICATION_METHOD, IkeAuthMethod],
  [IkeAttribute.GROUP_DESCRIPTION, DhGroup],
  [IkeAttribute.LIFE_TYPE, LifeType],
]);
const PHASE2_VALUES: ReadonlyMap<number, NumberTable> = new Map<number, NumberTable>([
  [IpsecAttribute.SA_LIFE_TYPE, LifeType],
  [IpsecAttribute.GROUP_DESCRIPTION, DhGroup],
  [IpsecAttribute.ENCAPSULATION_MODE, EncapsulationMode],
  [IpsecAttribute.AUTHENTICATION_ALGORITHM, IpsecAuthAlgorithm],
]);

/**
 * The name of an attribute's value when its type is an enumeration (encryption, hash, group,
 * life type, encapsulation, ...), else null: durations and key lengths are plain numbers.
 */
export function attributeValueName(protocol: number, type: number, value: number): string | null {
  const table = (protocol === ProtocolId.ISAKMP ? PHASE1_VALUES : PHASE2_VALUES).get(type);
  return table ? nameIn(table, value) : null;
}
