/**
 * Pre-shared keys as Azure and IKE accept them, checked on the typed scenario after the
 * schema. A key is never echoed: messages say what is wrong with it, not what it is.
 *
 * Rejects with SHARED_KEY_INVALID, at the key's position:
 * - any key (a connection's or a device's `sharedKey`) that is empty or only whitespace:
 *   IKE authenticates both ends with it (RFC 7296 §2.15), so there is nothing to
 *   authenticate with;
 * - a connection's key that is not 1-128 letters and digits: Azure's rule for the key it
 *   holds, "The key MUST be alphanumerical string of length between 1 to 128 characters"
 *   (articles/vpn-gateway/vpn-gateway-vpn-faq.md, ms.date 03/10/2016). A device's key gets
 *   that rule only where an IPsec connection to its site has no key of its own, so Azure's
 *   end would have to hold the device's; elsewhere a device key Azure could not hold differs
 *   from the connection's, which SHARED_KEY_MISMATCH (devices.ts) reports.
 * An absent key is no error here: the tunnel stays down for lack of one (compile/connections.ts says why).
 */
import type { Report } from '../diagnostics.js';
import { q } from '../message-text.js';
import type { RuleGroup } from './context.js';

/** The longest pre-shared key Azure accepts. */
export const SHARED_KEY_MAX_LENGTH = 128;
const ALPHANUMERIC = /^[A-Za-z0-9]+$/;

/** Why no IKE peer can authenticate with `key` (empty, or only whitespace), in words that do not reveal it; undefined otherwise. */
function emptyKeyProblem(key: string): string | undefined {
  if (key.length === 0) return 'is empty';
  if (key.trim().length === 0) return 'is only whitespace';
  return undefined;
}

/** What Azure refuses in a key IKE could use: more than 128 characters, or others than letters and digits. */
function azureKeyProblem(key: string): string | undefined {
  if (key.length > SHARED_KEY_MAX_LENGTH) return `is longer than ${SHARED_KEY_MAX_LENGTH} characters`;
  if (!ALPHANUMERIC.test(key)) return 'has characters other than letters and digits';
  return undefined;
}

/** What is wrong with a key Azure holds, in words that do not reveal it; undefined when Azure accepts it. */
export function sharedKeyProblem(key: string): string | undefined {
  return emptyKeyProblem(key) ?? azureKeyProblem(key);
}

const AZURE_RULE = `Azure accepts a pre-shared key of 1-${SHARED_KEY_MAX_LENGTH} letters and digits (A-Z, a-z, 0-9)`;
const IKE_RULE = 'IKE authenticates both ends with the pre-shared key and cannot without one';

/** Every connection and device key Azure or IKE would refuse. */
function checkSharedKeys(r: Report): void {
  const s = r.s;
  const add = (path: string, message: string): void => r.add('SHARED_KEY_INVALID', path, message);
  for (const c of s.connections) {
    if (c.sharedKey === undefined) continue;
    const empty = emptyKeyProblem(c.sharedKey);
    const bad = empty ?? azureKeyProblem(c.sharedKey);
    if (bad !== undefined) add(`${c.path}.sharedKey`, `connection ${q(c.name)}: sharedKey ${bad}; ${AZURE_RULE}${empty !== undefined ? ', and IKE cannot authenticate without one' : ''}: set one on both ends`);
  }
  // Sites whose device key is also Azure's: an IPsec connection to them has no key of its own.
  const keyless = new Map<string, string>();
  for (const c of s.connections) {
    if (c.type === 'IPsec' && c.site !== undefined && c.sharedKey === undefined && !keyless.has(c.site)) keyless.set(c.site, c.name);
  }
  for (const st of s.sites) {
    const dev = st.device;
    if (dev?.sharedKey === undefined) continue;
    const path = `${dev.path}.sharedKey`;
    const who = `the device of site ${q(st.name)}: sharedKey`;
    const conn = keyless.get(st.name);
    const both = conn === undefined ? '' : `: set a key of 1-${SHARED_KEY_MAX_LENGTH} letters and digits on connection ${q(conn)} and here`;
    const empty = emptyKeyProblem(dev.sharedKey);
    if (empty !== undefined) {
      add(path, `${who} ${empty}; ${IKE_RULE}${both || ": set the connection's key here, or remove the device's key to use the connection's"}`);
      continue;
    }
    const bad = conn === undefined ? undefined : azureKeyProblem(dev.sharedKey);
    if (bad !== undefined) add(path, `${who} ${bad}; connection ${q(conn as string)} has no sharedKey of its own, so Azure's end would need this one, and ${AZURE_RULE}${both}`);
  }
}

/** Pre-shared keys as Azure and IKE accept them. */
export const sharedKeys: RuleGroup = { name: 'shared keys', check: (r) => checkSharedKeys(r) };
