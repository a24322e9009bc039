/**
 * A one-line summary of an IKEv1 message in strongSwan's words, so a vgwsim trace reads like
 * charon's log: `ID_PROT request 0 [ SA V V ]`, `QUICK_MODE request 2736258519 [ HASH SA No ID ID ]`,
 * `INFORMATIONAL_V1 request 1893741207 [ HASH N(INVAL_ID) ]`.
 *
 * Owns strongSwan's spellings, which are not the RFC names of `isakmp-names.ts`: the exchange
 * names of `ike_header.c` (exchange_type_names), the payload short names of `payload.c`
 * (payload_type_short_names) and the notify short names of `notify_payload.c`
 * (notify_type_short_names), read from strongSwan 6.0 (commit 3b902ea5). The layout is
 * `message.c` get_string: exchange, "request" or "response", the message ID as an unsigned
 * number, then each payload's short name, a notification followed by its type in parentheses.
 * A number strongSwan has no name for prints as `(n)`, as its enum printer does; a payload type
 * strongSwan does not know in IKEv1 prints as `UNKN(n)`. strongSwan shares one notify table
 * between IKEv1 and IKEv2, so IKEv1 type 17 (INVALID-KEY-INFORMATION) prints as INVAL_KE there
 * and here; this table holds the numbers up to 48 and the IKEv1 status types, the IKEv2-only
 * status names (16385 and up) are left out.
 *
 * Whether a message is a request or a response is not in IKEv1's bytes (there is no R flag), so
 * the caller says which.
 */
import type { IsakmpMessage } from './isakmp-message.js';
import { payloadTypeOf } from './isakmp-payloads.js';

const EXCHANGE_NAMES: ReadonlyMap<number, string> = new Map([
  [2, 'ID_PROT'],
  [3, 'AUTH_ONLY'],
  [4, 'AGGRESSIVE'],
  [5, 'INFORMATIONAL_V1'],
  [6, 'TRANSACTION'],
  [32, 'QUICK_MODE'],
  [33, 'NEW_GROUP_MODE'],
]);

/** Short names of the payload types strongSwan knows in IKEv1 (`payload_is_known` for major version 1). */
const PAYLOAD_SHORT_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'SA'],
  [2, 'PROP'],
  [3, 'TRANS'],
  [4, 'KE'],
  [5, 'ID'],
  [6, 'CERT'],
  [7, 'CERTREQ'],
  [8, 'HASH'],
  [9, 'SIG'],
  [10, 'No'],
  [11, 'N'],
  [12, 'D'],
  [13, 'V'],
  [14, 'CP'],
  [20, 'NAT-D'],
  [21, 'NAT-OA'],
  [130, 'NAT-D'],
  [131, 'NAT-OA'],
  [132, 'FRAG'],
]);

const NOTIFY_SHORT_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'CRIT'],
  [4, 'INVAL_IKE_SPI'],
  [5, 'INVAL_MAJOR'],
  [7, 'INVAL_SYN'],
  [9, 'INVAL_MID'],
  [11, 'INVAL_SPI'],
  [13, 'ATTR_UNSUP'],
  [14, 'NO_PROP'],
  [16, 'PLD_MAL'],
  [17, 'INVAL_KE'],
  [18, 'INVAL_ID'],
  [19, 'INVAL_CERTEN'],
  [20, 'INVAL_CERT'],
  [21, 'CERT_UNSUP'],
  [22, 'INVAL_CA'],
  [23, 'INVAL_HASH'],
  [24, 'AUTH_FAILED'],
  [34, 'SINGLE_PAIR'],
  [35, 'NO_ADD_SAS'],
  [36, 'INT_ADDR_FAIL'],
  [37, 'FAIL_CP_REQ'],
  [38, 'TS_UNACCEPT'],
  [39, 'INVAL_SEL'],
  [40, 'UNACCEPT_ADDR'],
  [41, 'UNEXPECT_NAT'],
  [42, 'ASSIGNED_HoA'],
  [43, 'TEMP_FAIL'],
  [44, 'NO_CHILD_SA'],
  [47, 'NO_STATE'],
  [48, 'MAX_QUEUE'],
  [16384, 'INIT_CONTACT'],
  [24578, 'INITIAL_CONTACT'],
  [36136, 'DPD'],
  [36137, 'DPD_ACK'],
  [40501, 'UNITY_LB'],
]);

/** strongSwan's short name of a notify type, or `(n)`. */
export function notifyShortName(type: number): string {
  return NOTIFY_SHORT_NAMES.get(type) ?? `(${type})`;
}

/** strongSwan's name of an IKEv1 exchange type, or `(n)`. */
export function exchangeShortName(type: number): string {
  return EXCHANGE_NAMES.get(type) ?? `(${type})`;
}

/** `message` in one line, as strongSwan logs it when it generates or parses it. */
export function isakmpSummary(message: IsakmpMessage, role: 'request' | 'response' = 'request'): string {
  const parts = message.payloads.map((p) => {
    const type = payloadTypeOf(p);
    const name = PAYLOAD_SHORT_NAMES.get(type) ?? `UNKN(${type})`;
    return p.kind === 'notify' ? `${name}(${notifyShortName(p.notifyType)})` : name;
  });
  const id = message.header.messageId >>> 0;
  return `${exchangeShortName(message.header.exchangeType)} ${role} ${id} [ ${parts.join(' ')}${parts.length > 0 ? ' ' : ''}]`;
}
