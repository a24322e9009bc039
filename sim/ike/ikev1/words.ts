/**
 * How the IKEv1 endpoint writes things in its log lines and status details, in strongSwan's
 * spelling where strongSwan prints the same thing: an IKE SA as `name[n]`, a CHILD_SA as
 * `name{n}`, SPIs as eight hex digits (`%.8x`), traffic selectors as `10.1.0.0/16 === 10.2.0.0/16`
 * (`%#R === %#R`), a host as `198.51.100.20[500]` (`%#H`), a payload type by strongSwan's
 * enum name (`ID_V1`, `HASH_V1`, as in "invalid %N payload length, decryption failed?").
 * Text only: nothing here decides anything.
 */
import { formatIPv4, type Prefix } from '../../net/ipv4.js';
import type { IkeIdentity, SelectorPair } from '../endpoint.js';

/** An IKE SA as strongSwan names it in logs: `conn[n]`. */
export function ikeSaName(connection: string, uniqueId: number): string {
  return `${connection}[${uniqueId}]`;
}

/** A CHILD_SA as strongSwan names it in logs: `conn{n}`. */
export function childSaName(connection: string, uniqueId: number): string {
  return `${connection}{${uniqueId}}`;
}

/** An SPI as `%.8x`. */
export function spiHex(spi: number): string {
  return (spi >>> 0).toString(16).padStart(8, '0');
}

/** A host with its port, as `%#H`. */
export function hostPort(addr: number, port: number): string {
  return `${formatIPv4(addr)}[${port}]`;
}

/** A selector pair from one side's view: `local === remote`. */
export function pairText(pair: SelectorPair): string {
  return `${pair.local.text} === ${pair.remote.text}`;
}

/** Two prefixes as strongSwan prints a pair of traffic selectors. */
export function prefixesText(a: Prefix, b: Prefix): string {
  return `${a.text} === ${b.text}`;
}

/** An identity as `%Y` prints it. */
export function identityText(id: IkeIdentity): string {
  return id.type === 'ipv4' ? formatIPv4(id.addr) : id.name;
}

/** strongSwan's enum names of the IKEv1 payload types (`payload.c`, payload_type_names), by number. */
const PAYLOAD_ENUM_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'SECURITY_ASSOCIATION_V1'],
  [2, 'PROPOSAL_V1'],
  [3, 'TRANSFORM_V1'],
  [4, 'KEY_EXCHANGE_V1'],
  [5, 'ID_V1'],
  [6, 'CERTIFICATE_V1'],
  [7, 'CERTREQ_V1'],
  [8, 'HASH_V1'],
  [9, 'SIGNATURE_V1'],
  [10, 'NONCE_V1'],
  [11, 'NOTIFY_V1'],
  [12, 'DELETE_V1'],
  [13, 'VENDOR_ID_V1'],
  [14, 'CONFIGURATION_V1'],
  [20, 'NAT_D_V1'],
  [21, 'NAT_OA_V1'],
]);

/** strongSwan's enum name of an IKEv1 payload type, or its number. */
export function payloadEnumName(type: number): string {
  return PAYLOAD_ENUM_NAMES.get(type) ?? String(type);
}

/** strongSwan's long names of the notify types the endpoint sends or reads (`notify_payload.c`, notify_type_names). */
const NOTIFY_LONG_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'UNSUPPORTED_CRITICAL_PAYLOAD'],
  [13, 'ATTRIBUTES_NOT_SUPPORTED'],
  [14, 'NO_PROPOSAL_CHOSEN'],
  [16, 'PAYLOAD_MALFORMED'],
  // One table serves IKEv1 and IKEv2 in strongSwan, so IKEv1's INVALID-KEY-INFORMATION prints so.
  [17, 'INVALID_KE_PAYLOAD'],
  [18, 'INVALID_ID_INFORMATION'],
  [23, 'INVALID_HASH_INFORMATION'],
  [24, 'AUTHENTICATION_FAILED'],
  [24578, 'INITIAL_CONTACT'],
  [36136, 'DPD_R_U_THERE'],
  [36137, 'DPD_R_U_THERE_ACK'],
]);

/** strongSwan's long name of a notify type, or `(n)`. */
export function notifyLongName(type: number): string {
  return NOTIFY_LONG_NAMES.get(type) ?? `(${type})`;
}
