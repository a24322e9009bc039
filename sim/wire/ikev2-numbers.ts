/**
 * IKEv2 numbers and their names (RFC 7296 §3 and the IANA "IKEv2 Parameters" registry), for
 * codecs, state machines and traces.
 *
 * Owns the numeric constants (exchange types, payload types, notify types, transform types and
 * IDs, protocol IDs, ID types, auth methods, traffic selector types, the Key Length attribute)
 * and the tables that name them. Names are spelt as strongSwan spells them
 * (`encoding/payloads/payload.c`, `notify_payload.c`, `ike_header.c`,
 * `crypto/key_exchange.h`, `crypters/crypter.h`, `signers/signer.h`, `prfs/prf.h`), short
 * names as strongSwan's one-line message log uses them, so a simulated run and a real charon
 * read the same. Refused: nothing; a number without a name prints as strongSwan prints it,
 * `(n)`. Only the values the simulator or a trace of a real peer can meet are named; the rest
 * of the registry is left out on purpose.
 */

/** Exchange types (RFC 7296 §3.1). */
export const ExchangeType = {
  IKE_SA_INIT: 34,
  IKE_AUTH: 35,
  CREATE_CHILD_SA: 36,
  INFORMATIONAL: 37,
} as const;

const EXCHANGE_NAMES: ReadonlyMap<number, string> = new Map([
  [34, 'IKE_SA_INIT'],
  [35, 'IKE_AUTH'],
  [36, 'CREATE_CHILD_SA'],
  [37, 'INFORMATIONAL'],
  [38, 'IKE_SESSION_RESUME'],
  [43, 'IKE_INTERMEDIATE'],
  [44, 'IKE_FOLLOWUP_KE'],
]);

/** Payload types this codec decodes (RFC 7296 §3.2); 0 ends a chain. */
export const PayloadType = {
  NONE: 0,
  SA: 33,
  KE: 34,
  IDi: 35,
  IDr: 36,
  CERT: 37,
  CERTREQ: 38,
  AUTH: 39,
  Nonce: 40,
  Notify: 41,
  Delete: 42,
  VendorID: 43,
  TSi: 44,
  TSr: 45,
  SK: 46,
  CP: 47,
  EAP: 48,
} as const;

/** strongSwan's long and short names of IKEv2 payload types, 33..53. */
const PAYLOAD_NAMES: ReadonlyMap<number, readonly [long: string, short: string]> = new Map([
  [33, ['SECURITY_ASSOCIATION', 'SA']],
  [34, ['KEY_EXCHANGE', 'KE']],
  [35, ['ID_INITIATOR', 'IDi']],
  [36, ['ID_RESPONDER', 'IDr']],
  [37, ['CERTIFICATE', 'CERT']],
  [38, ['CERTREQ', 'CERTREQ']],
  [39, ['AUTH', 'AUTH']],
  [40, ['NONCE', 'No']],
  [41, ['NOTIFY', 'N']],
  [42, ['DELETE', 'D']],
  [43, ['VENDOR_ID', 'V']],
  [44, ['TS_INITIATOR', 'TSi']],
  [45, ['TS_RESPONDER', 'TSr']],
  [46, ['ENCRYPTED', 'E']],
  [47, ['CONFIGURATION', 'CP']],
  [48, ['EAP', 'EAP']],
  [49, ['GSPM', 'GSPM']],
  [50, ['GROUP_ID', 'IDg']],
  [51, ['GROUP_SECURITY_ASSOCIATION', 'GSA']],
  [52, ['KEY_DOWNLOAD', 'KD']],
  [53, ['ENCRYPTED_FRAGMENT', 'EF']],
] as const);

/** Notify message types (RFC 7296 §3.10.1): errors below 16384, status from 16384. */
export const NotifyType = {
  UNSUPPORTED_CRITICAL_PAYLOAD: 1,
  INVALID_IKE_SPI: 4,
  INVALID_MAJOR_VERSION: 5,
  INVALID_SYNTAX: 7,
  INVALID_MESSAGE_ID: 9,
  INVALID_SPI: 11,
  NO_PROPOSAL_CHOSEN: 14,
  INVALID_KE_PAYLOAD: 17,
  AUTHENTICATION_FAILED: 24,
  SINGLE_PAIR_REQUIRED: 34,
  NO_ADDITIONAL_SAS: 35,
  INTERNAL_ADDRESS_FAILURE: 36,
  FAILED_CP_REQUIRED: 37,
  TS_UNACCEPTABLE: 38,
  INVALID_SELECTORS: 39,
  TEMPORARY_FAILURE: 43,
  CHILD_SA_NOT_FOUND: 44,
  INITIAL_CONTACT: 16384,
  SET_WINDOW_SIZE: 16385,
  ADDITIONAL_TS_POSSIBLE: 16386,
  IPCOMP_SUPPORTED: 16387,
  NAT_DETECTION_SOURCE_IP: 16388,
  NAT_DETECTION_DESTINATION_IP: 16389,
  COOKIE: 16390,
  USE_TRANSPORT_MODE: 16391,
  HTTP_CERT_LOOKUP_SUPPORTED: 16392,
  REKEY_SA: 16393,
  ESP_TFC_PADDING_NOT_SUPPORTED: 16394,
  NON_FIRST_FRAGMENTS_ALSO: 16395,
  MOBIKE_SUPPORTED: 16396,
  MULTIPLE_AUTH_SUPPORTED: 16404,
  REDIRECT_SUPPORTED: 16406,
  EAP_ONLY_AUTHENTICATION: 16417,
  CHILDLESS_IKEV2_SUPPORTED: 16418,
  FRAGMENTATION_SUPPORTED: 16430,
  SIGNATURE_HASH_ALGORITHMS: 16431,
} as const;

/** The first status notify type; lower types are errors (RFC 7296 §3.10.1). */
export const FIRST_STATUS_NOTIFY = 16384;

/** strongSwan's long and short names of the notify types above (`notify_payload.c`). */
const NOTIFY_NAMES: ReadonlyMap<number, readonly [long: string, short: string]> = new Map([
  [1, ['UNSUPPORTED_CRITICAL_PAYLOAD', 'CRIT']],
  [4, ['INVALID_IKE_SPI', 'INVAL_IKE_SPI']],
  [5, ['INVALID_MAJOR_VERSION', 'INVAL_MAJOR']],
  [7, ['INVALID_SYNTAX', 'INVAL_SYN']],
  [9, ['INVALID_MESSAGE_ID', 'INVAL_MID']],
  [11, ['INVALID_SPI', 'INVAL_SPI']],
  [14, ['NO_PROPOSAL_CHOSEN', 'NO_PROP']],
  [17, ['INVALID_KE_PAYLOAD', 'INVAL_KE']],
  [24, ['AUTHENTICATION_FAILED', 'AUTH_FAILED']],
  [34, ['SINGLE_PAIR_REQUIRED', 'SINGLE_PAIR']],
  [35, ['NO_ADDITIONAL_SAS', 'NO_ADD_SAS']],
  [36, ['INTERNAL_ADDRESS_FAILURE', 'INT_ADDR_FAIL']],
  [37, ['FAILED_CP_REQUIRED', 'FAIL_CP_REQ']],
  [38, ['TS_UNACCEPTABLE', 'TS_UNACCEPT']],
  [39, ['INVALID_SELECTORS', 'INVAL_SEL']],
  [43, ['TEMPORARY_FAILURE', 'TEMP_FAIL']],
  [44, ['CHILD_SA_NOT_FOUND', 'NO_CHILD_SA']],
  [16384, ['INITIAL_CONTACT', 'INIT_CONTACT']],
  [16385, ['SET_WINDOW_SIZE', 'SET_WINSIZE']],
  [16386, ['ADDITIONAL_TS_POSSIBLE', 'ADD_TS_POSS']],
  [16387, ['IPCOMP_SUPPORTED', 'IPCOMP_SUP']],
  [16388, ['NAT_DETECTION_SOURCE_IP', 'NATD_S_IP']],
  [16389, ['NAT_DETECTION_DESTINATION_IP', 'NATD_D_IP']],
  [16390, ['COOKIE', 'COOKIE']],
  [16391, ['USE_TRANSPORT_MODE', 'USE_TRANSP']],
  [16392, ['HTTP_CERT_LOOKUP_SUPPORTED', 'HTTP_CERT_LOOK']],
  [16393, ['REKEY_SA', 'REKEY_SA']],
  [16394, ['ESP_TFC_PADDING_NOT_SUPPORTED', 'ESP_TFC_PAD_N']],
  [16395, ['NON_FIRST_FRAGMENTS_ALSO', 'NON_FIRST_FRAG']],
  [16396, ['MOBIKE_SUPPORTED', 'MOBIKE_SUP']],
  [16404, ['MULTIPLE_AUTH_SUPPORTED', 'MULT_AUTH']],
  [16406, ['REDIRECT_SUPPORTED', 'REDIR_SUP']],
  [16417, ['EAP_ONLY_AUTHENTICATION', 'EAP_ONLY']],
  [16418, ['CHILDLESS_IKEV2_SUPPORTED', 'CHDLESS_SUP']],
  [16430, ['FRAGMENTATION_SUPPORTED', 'FRAG_SUP']],
  [16431, ['SIGNATURE_HASH_ALGORITHMS', 'HASH_ALG']],
] as const);

/** Security protocol IDs of proposals, notifies and deletes (RFC 7296 §3.3.1). */
export const ProtocolId = { IKE: 1, AH: 2, ESP: 3 } as const;

const PROTOCOL_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'PROTO_NONE'],
  [1, 'IKE'],
  [2, 'AH'],
  [3, 'ESP'],
]);

/** Transform types (RFC 7296 §3.3.2). DH is called Key Exchange Method since RFC 9370. */
export const TransformType = { ENCR: 1, PRF: 2, INTEG: 3, DH: 4, ESN: 5 } as const;

const TRANSFORM_TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'ENCRYPTION_ALGORITHM'],
  [2, 'PSEUDO_RANDOM_FUNCTION'],
  [3, 'INTEGRITY_ALGORITHM'],
  [4, 'KEY_EXCHANGE_METHOD'],
  [5, 'EXTENDED_SEQUENCE_NUMBERS'],
]);

/** Encryption transform IDs (type 1). */
export const EncrId = {
  DES: 2,
  '3DES': 3,
  NULL: 11,
  AES_CBC: 12,
  AES_CTR: 13,
  AES_GCM_8: 18,
  AES_GCM_12: 19,
  AES_GCM_16: 20,
  CHACHA20_POLY1305: 28,
} as const;

/** PRF transform IDs (type 2). */
export const PrfId = { HMAC_MD5: 1, HMAC_SHA1: 2, HMAC_SHA2_256: 5, HMAC_SHA2_384: 6, HMAC_SHA2_512: 7 } as const;

/** Integrity transform IDs (type 3). */
export const IntegId = {
  NONE: 0,
  HMAC_MD5_96: 1,
  HMAC_SHA1_96: 2,
  AES_XCBC_96: 5,
  HMAC_SHA2_256_128: 12,
  HMAC_SHA2_384_192: 13,
  HMAC_SHA2_512_256: 14,
} as const;

/** Diffie-Hellman group (key exchange method) IDs (type 4). */
export const DhGroup = {
  NONE: 0,
  MODP_768: 1,
  MODP_1024: 2,
  MODP_1536: 5,
  MODP_2048: 14,
  MODP_3072: 15,
  MODP_4096: 16,
  ECP_256: 19,
  ECP_384: 20,
  ECP_521: 21,
  MODP_2048_256: 24,
  CURVE_25519: 31,
} as const;

/** Extended sequence number transform IDs (type 5). */
export const EsnId = { NO_ESN: 0, ESN: 1 } as const;

/** Transform ID names for each transform type, as strongSwan's proposal strings spell them. */
const TRANSFORM_ID_NAMES: ReadonlyMap<number, ReadonlyMap<number, string>> = new Map([
  [
    1,
    new Map([
      [2, 'DES_CBC'],
      [3, '3DES_CBC'],
      [11, 'NULL'],
      [12, 'AES_CBC'],
      [13, 'AES_CTR'],
      [18, 'AES_GCM_8'],
      [19, 'AES_GCM_12'],
      [20, 'AES_GCM_16'],
      [28, 'CHACHA20_POLY1305'],
    ]),
  ],
  [
    2,
    new Map([
      [1, 'PRF_HMAC_MD5'],
      [2, 'PRF_HMAC_SHA1'],
      [5, 'PRF_HMAC_SHA2_256'],
      [6, 'PRF_HMAC_SHA2_384'],
      [7, 'PRF_HMAC_SHA2_512'],
    ]),
  ],
  [
    3,
    new Map([
      [0, 'NONE'],
      [1, 'HMAC_MD5_96'],
      [2, 'HMAC_SHA1_96'],
      [5, 'AES_XCBC_96'],
      [12, 'HMAC_SHA2_256_128'],
      [13, 'HMAC_SHA2_384_192'],
      [14, 'HMAC_SHA2_512_256'],
    ]),
  ],
  [
    4,
    new Map([
      [0, 'KE_NONE'],
      [1, 'MODP_768'],
      [2, 'MODP_1024'],
      [5, 'MODP_1536'],
      [14, 'MODP_2048'],
      [15, 'MODP_3072'],
      [16, 'MODP_4096'],
      [19, 'ECP_256'],
      [20, 'ECP_384'],
      [21, 'ECP_521'],
      [24, 'MODP_2048_256'],
      [31, 'CURVE_25519'],
    ]),
  ],
  [
    5,
    new Map([
      [0, 'NO_EXT_SEQ'],
      [1, 'EXT_SEQ'],
    ]),
  ],
]);

/** Transform attribute types (RFC 7296 §3.3.5); Key Length is the only one IKEv2 defines. */
export const TransformAttributeType = { KEY_LENGTH: 14 } as const;

/** Identification types of IDi/IDr (RFC 7296 §3.5). */
export const IdType = {
  IPV4_ADDR: 1,
  FQDN: 2,
  RFC822_ADDR: 3,
  IPV6_ADDR: 5,
  DER_ASN1_DN: 9,
  DER_ASN1_GN: 10,
  KEY_ID: 11,
} as const;

const ID_TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'ID_IPV4_ADDR'],
  [2, 'ID_FQDN'],
  [3, 'ID_RFC822_ADDR'],
  [5, 'ID_IPV6_ADDR'],
  [9, 'ID_DER_ASN1_DN'],
  [10, 'ID_DER_ASN1_GN'],
  [11, 'ID_KEY_ID'],
]);

/** Authentication methods of the AUTH payload (RFC 7296 §3.8). */
export const AuthMethod = { RSA: 1, PSK: 2, DSS: 3 } as const;

const AUTH_METHOD_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'RSA signature'],
  [2, 'pre-shared key'],
  [3, 'DSS signature'],
  [9, 'ECDSA-256 signature'],
  [10, 'ECDSA-384 signature'],
  [11, 'ECDSA-521 signature'],
  [14, 'digital signature'],
]);

/** Traffic selector types (RFC 7296 §3.13.1). */
export const TsType = { IPV4_ADDR_RANGE: 7, IPV6_ADDR_RANGE: 8 } as const;

const TS_TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [7, 'TS_IPV4_ADDR_RANGE'],
  [8, 'TS_IPV6_ADDR_RANGE'],
]);

/** strongSwan's rendering of a number that has no name. */
function unnamed(n: number): string {
  return `(${n})`;
}

/** Name of an exchange type: `IKE_SA_INIT`, or `(n)`. */
export function exchangeName(type: number): string {
  return EXCHANGE_NAMES.get(type) ?? unnamed(type);
}

/** Long name of a payload type: `SECURITY_ASSOCIATION`, or `(n)`. */
export function payloadName(type: number): string {
  return PAYLOAD_NAMES.get(type)?.[0] ?? unnamed(type);
}

/** Short name of a payload type as in strongSwan's message log: `SA`, `No`, `N`, or `(n)`. */
export function payloadShortName(type: number): string {
  return PAYLOAD_NAMES.get(type)?.[1] ?? unnamed(type);
}

/** Name of a notify type: `NO_PROPOSAL_CHOSEN`, or `(n)`. */
export function notifyName(type: number): string {
  return NOTIFY_NAMES.get(type)?.[0] ?? unnamed(type);
}

/** Short name of a notify type as in strongSwan's message log: `NO_PROP`, `NATD_S_IP`, or `(n)`. */
export function notifyShortName(type: number): string {
  return NOTIFY_NAMES.get(type)?.[1] ?? unnamed(type);
}

/** Whether a notify type reports an error (types below 16384, RFC 7296 §3.10.1). */
export function isErrorNotify(type: number): boolean {
  return type < FIRST_STATUS_NOTIFY;
}

/** Name of a security protocol ID: `IKE`, `ESP`, or `(n)`. */
export function protocolName(id: number): string {
  return PROTOCOL_NAMES.get(id) ?? unnamed(id);
}

/** Name of a transform type: `ENCRYPTION_ALGORITHM`, or `(n)`. */
export function transformTypeName(type: number): string {
  return TRANSFORM_TYPE_NAMES.get(type) ?? unnamed(type);
}

/** Name of a transform ID within its type: `AES_CBC`, `HMAC_SHA1_96`, `MODP_1024`, or `(n)`. */
export function transformIdName(type: number, id: number): string {
  return TRANSFORM_ID_NAMES.get(type)?.get(id) ?? unnamed(id);
}

/** Name of an identification type: `ID_FQDN`, or `(n)`. */
export function idTypeName(type: number): string {
  return ID_TYPE_NAMES.get(type) ?? unnamed(type);
}

/** Name of an authentication method: `pre-shared key`, or `(n)`. */
export function authMethodName(method: number): string {
  return AUTH_METHOD_NAMES.get(method) ?? unnamed(method);
}

/** Name of a traffic selector type: `TS_IPV4_ADDR_RANGE`, or `(n)`. */
export function tsTypeName(type: number): string {
  return TS_TYPE_NAMES.get(type) ?? unnamed(type);
}
