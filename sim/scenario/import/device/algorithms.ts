/**
 * Vendor algorithm names to strongSwan proposal keywords, and which of those vgwsim's IKE
 * and ESP model (sim/ike/algorithms.ts, sim/ipsec/transforms.ts, sim/ike/dh-groups.ts).
 *
 * Owns the name tables of Cisco IOS and ASA (isakmp/ikev1 policy `encryption aes 256`,
 * IKEv2 `aes-cbc-256`, transform sets `esp-aes 256 esp-sha-hmac`, ASA `esp-aes-256`,
 * `protocol esp integrity sha-1`) and strongSwan's own aliases (`aes` = aes128, `sha` =
 * sha1). A name that the table knows but vgwsim does not model (DES, SHA-384, ESP
 * SHA-256, elliptic-curve groups) maps to `unmodelled` with the reason; a name the table
 * does not know maps to undefined (the caller says "unknown").
 */
import { dhGroupById } from '../../../ike/dh-groups.js';

/** A keyword vgwsim models, or why not. */
export type Mapped = { readonly keyword: string } | { readonly unmodelled: string };

const IKE_ENC = new Set(['aes256', 'aes192', 'aes128', '3des', 'aes256gcm16', 'aes128gcm16']);
const ESP_ENC = new Set(['aes256', 'aes128', '3des', 'null', 'aes256gcm16', 'aes128gcm16']);
const IKE_INTEG = new Set(['sha256', 'sha1', 'md5']);
const ESP_INTEG = new Set(['sha1', 'md5']);

function check(keyword: string, known: Set<string>, what: string): Mapped {
  return known.has(keyword) ? { keyword } : { unmodelled: `vgwsim's ${what} are ${[...known].join(', ')}` };
}

/** A Cisco cipher name (any dialect) and its key size word, if separate, to a strongSwan keyword. */
function cipherKeyword(name: string, bits: string | undefined): string | { unmodelled: string } | undefined {
  const n = name.toLowerCase();
  if (n === 'des' || n === 'esp-des') return { unmodelled: 'single DES is not modelled (vgwsim has AES, 3DES and NULL)' };
  if (n === '3des' || n === 'esp-3des') return '3des';
  if (n === 'null' || n === 'esp-null') return 'null';
  let m = /^(?:esp-)?aes(?:-cbc)?(?:-(128|192|256))?$/.exec(n);
  if (m) return `aes${m[1] ?? bits ?? '128'}`;
  m = /^(?:esp-)?(?:aes-)?gcm(?:-(128|192|256))?$/.exec(n);
  if (m) return `aes${m[1] ?? bits ?? '128'}gcm16`;
  if (/^(?:esp-)?(?:aes-)?gmac/.test(n)) return { unmodelled: 'AES-GMAC (authentication without encryption) is not modelled' };
  return undefined;
}

/** A cipher for IKE: `aes` (+ `256`), `aes-256`, `aes-cbc-256`, `3des`, `aes-gcm-256`. */
export function ikeCipher(name: string, bits?: string): Mapped | undefined {
  const k = cipherKeyword(name, bits);
  if (k === undefined) return undefined;
  if (typeof k !== 'string') return k;
  return check(k, IKE_ENC, 'IKE ciphers');
}

/** A cipher for ESP: `esp-aes` (+ `256`), `esp-aes-256`, `aes-256`, `esp-3des`, `esp-gcm 256`, `esp-null`. */
export function espCipher(name: string, bits?: string): Mapped | undefined {
  const k = cipherKeyword(name, bits);
  if (k === undefined) return undefined;
  if (typeof k !== 'string') return k;
  return check(k, ESP_ENC, 'ESP ciphers');
}

/** A hash name (`sha`, `sha-1`, `sha1`, `md5`, `sha256`, `sha-256`, `esp-sha-hmac`, `esp-sha256-hmac`) to a strongSwan hash keyword. */
function hashKeyword(name: string): string | undefined {
  const n = name.toLowerCase().replace(/^esp-/, '').replace(/-hmac$/, '').replace(/^hmac-/, '');
  if (n === 'sha' || n === 'sha-1' || n === 'sha1') return 'sha1';
  if (n === 'md5') return 'md5';
  const m = /^sha-?(256|384|512)$/.exec(n) ?? /^sha2_(256|384|512)$/.exec(n);
  if (m) return `sha${m[1]}`;
  return undefined;
}

/** An integrity algorithm for IKE (IKEv1 hash, IKEv2 integrity). */
export function ikeIntegrity(name: string): Mapped | undefined {
  const k = hashKeyword(name);
  return k === undefined ? undefined : check(k, IKE_INTEG, 'IKE integrity algorithms');
}

/** An IKEv2 PRF (`sha`, `sha256`, `md5`). */
export function ikePrf(name: string): Mapped | undefined {
  const k = hashKeyword(name);
  if (k === undefined) return undefined;
  const m = check(k, IKE_INTEG, 'PRFs');
  return 'keyword' in m ? { keyword: `prf${m.keyword}` } : { unmodelled: 'vgwsim\'s PRFs are prfsha256, prfsha1, prfmd5' };
}

/** An ESP integrity algorithm (`esp-sha-hmac`, `sha-1`, `md5`). */
export function espIntegrity(name: string): Mapped | undefined {
  const k = hashKeyword(name);
  return k === undefined ? undefined : check(k, ESP_INTEG, 'ESP integrity algorithms');
}

/** A Diffie-Hellman group number (`2`, `group2`, `14`) to its strongSwan keyword (`modp1024`). */
export function dhGroup(word: string): Mapped | undefined {
  const m = /^(?:group)?(\d+)$/i.exec(word);
  if (!m) return undefined;
  const g = dhGroupById(Number(m[1]));
  return g ? { keyword: g.strongswan } : { unmodelled: `Diffie-Hellman group ${m[1]} is not modelled (vgwsim's groups are 1, 2, 5, 14, 24)` };
}


/** strongSwan's own aliases, which vgwsim's proposal reader does not take, to the keyword it does. */
export function strongswanKeyword(word: string): string {
  const w = word.toLowerCase();
  const alias: Record<string, string> = { aes: 'aes128', sha: 'sha1', sha2_256: 'sha256', aes128gcm: 'aes128gcm16', aes256gcm: 'aes256gcm16', prfsha: 'prfsha1' };
  return Object.hasOwn(alias, w) ? alias[w]! : w;
}
