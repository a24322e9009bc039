/**
 * Pre-shared keys as Azure accepts them, checked on the typed scenario after the schema.
 * A key is never echoed: messages say what is wrong with it, not what it is.
 *
 * Rejects with SHARED_KEY_INVALID, at the key's position (a connection's or a device's
 * `sharedKey`): an empty or whitespace-only key (Azure requires a key, and IKE
 * authenticates with it: RFC 7296 §2.15), and a key that is not 1-128 letters and digits:
 * "The key MUST be alphanumerical string of length between 1 to 128 characters"
 * (articles/vpn-gateway/vpn-gateway-vpn-faq.md, ms.date 03/10/2016). An absent key is no
 * error here: the tunnel stays down for lack of one (compile.ts says why).
 */
import { Report } from './diagnostics.js';
import type { Diagnostic } from './diagnostics.js';
import { q } from './message-text.js';
import type { Scenario } from './types.js';

/** The longest pre-shared key Azure accepts. */
export const SHARED_KEY_MAX_LENGTH = 128;
const ALPHANUMERIC = /^[A-Za-z0-9]+$/;

/** What is wrong with a key, in words that do not reveal it; undefined when Azure accepts it. */
export function sharedKeyProblem(key: string): string | undefined {
  if (key.length === 0) return 'is empty';
  if (key.trim().length === 0) return 'is only whitespace';
  if (key.length > SHARED_KEY_MAX_LENGTH) return `is longer than ${SHARED_KEY_MAX_LENGTH} characters`;
  if (!ALPHANUMERIC.test(key)) return 'has characters other than letters and digits';
  return undefined;
}

const RULE = `Azure accepts a pre-shared key of 1-${SHARED_KEY_MAX_LENGTH} letters and digits (A-Z, a-z, 0-9), and IKE cannot authenticate without one`;

/** Every connection and device key Azure would refuse (unsorted; checkScenario sorts). */
export function checkSharedKeys(s: Scenario): Diagnostic[] {
  const r = new Report(s);
  const add = (path: string, message: string): void => r.add('SHARED_KEY_INVALID', path, message);
  for (const c of s.connections) {
    if (c.sharedKey === undefined) continue;
    const bad = sharedKeyProblem(c.sharedKey);
    if (bad !== undefined) add(`${c.path}.sharedKey`, `connection ${q(c.name)}: sharedKey ${bad}; ${RULE}: set one on both ends`);
  }
  for (const st of s.sites) {
    const key = st.device?.sharedKey;
    if (key === undefined || !st.device) continue;
    const bad = sharedKeyProblem(key);
    if (bad !== undefined) add(`${st.device.path}.sharedKey`, `the device of site ${q(st.name)}: sharedKey ${bad}; ${RULE}: set the connection's key here, or remove the device's key to use the connection's`);
  }
  return r.out;
}
