/**
 * One line per IKEv2 message, in the words strongSwan logs it ("parsed"/"generating" lines of
 * `encoding/message.c`, `get_string`): `IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) ]`.
 *
 * Owns the line: exchange name, request or response (the R flag), message ID, then each
 * payload's short name, a notify with its short type name in parentheses, an unknown payload
 * as `UNKN(type)`, and an SK payload whose contents are not given as `E`. strongSwan logs an
 * encrypted message with the payloads inside it, so the caller passes those once it has
 * decrypted them. Refuses nothing: a number without a name prints as `(n)`, as strongSwan's.
 * CP and EAP print without the attribute and method details strongSwan adds.
 */
import type { Ikev2Header } from './ikev2-header.js';
import type { Ikev2Message } from './ikev2-message.js';
import { exchangeName, notifyShortName, payloadShortName, PayloadType } from './ikev2-numbers.js';
import { payloadTypeOf, type Ikev2Payload } from './ikev2-payloads.js';

function item(p: Ikev2Payload): string {
  if (p.kind === 'Notify') return `N(${notifyShortName(p.notifyType)})`;
  if (p.kind === 'Unknown') return `UNKN(${p.type})`;
  return payloadShortName(payloadTypeOf(p));
}

/** The summary of a message with header `header` carrying `payloads` (an `'SK'` entry prints as `E`). */
export function summarizePayloads(header: Ikev2Header, payloads: readonly (Ikev2Payload | 'SK')[]): string {
  const items = payloads.map((p) => (p === 'SK' ? payloadShortName(PayloadType.SK) : item(p)));
  const list = items.length === 0 ? '[ ]' : `[ ${items.join(' ')} ]`;
  return `${exchangeName(header.exchangeType)} ${header.response ? 'response' : 'request'} ${header.messageId} ${list}`;
}

/**
 * The summary of a decoded message. `inner`: the payloads its SK payload held, once decrypted;
 * without them an SK payload shows as `E`.
 */
export function summarizeMessage(m: Ikev2Message, inner?: readonly Ikev2Payload[]): string {
  const tail: readonly (Ikev2Payload | 'SK')[] = m.encrypted ? (inner ?? ['SK']) : [];
  return summarizePayloads(m.header, [...m.payloads, ...tail]);
}
