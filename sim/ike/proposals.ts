/**
 * strongSwan proposal strings (`aes256-sha1-modp1024`, `aes256gcm16-prfsha256-modp2048`,
 * ESP `aes256-sha1`, `aes128gcm16-modp2048`) to typed proposals, and typed proposals back
 * to the words strongSwan logs (`IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024`).
 *
 * Owns the reading rules, which are strongSwan's (`proposal_create_from_string` and
 * `check_proposal` in src/libstrongswan/crypto/proposal/proposal.c): keywords separated by
 * `-`, any number of each kind; an IKE proposal without a PRF takes the PRFs of its
 * integrity algorithms; AEAD ciphers drop any integrity algorithm. Refuses, as a typed
 * error that names the keyword or the rule: an unknown keyword, no encryption, AEAD and
 * classic ciphers in one proposal, classic encryption without integrity, an IKE proposal
 * without a PRF or a DH group. ESP's algorithms are sim/ipsec/transforms.ts's, reused: an
 * ESP proposal knows only the ciphers and MACs ESP offers there, drops PRF keywords as
 * strongSwan does, and refuses classic encryption without integrity as `makeTransform`
 * does. Keyword aliases strongSwan also takes (`aes` for `aes128`, `sha` for `sha1`) are
 * not read: configurations here spell the algorithm out.
 */
import { ENCRYPTION_NAMES, ENCRYPTIONS, INTEGRITIES, INTEGRITY_NAMES, makeTransform, type EncryptionInfo, type IntegrityInfo, type Transform } from '../ipsec/transforms.js';
import { IKE_ENCRYPTION_NAMES, IKE_ENCRYPTIONS, IKE_INTEGRITIES, IKE_INTEGRITY_NAMES, IKE_PRF_NAMES, IKE_PRFS, type IkeEncryption, type IkeIntegrity, type IkePrf } from './algorithms.js';
import { DH_GROUP_LIST, dhGroupByKeyword, type DhGroup } from './dh-groups.js';

/** An IKE proposal as configured: the algorithms of each kind, in preference order. */
export interface IkeProposal {
  readonly encryptions: readonly IkeEncryption[];
  /** Empty when the encryptions are AEAD. */
  readonly integrities: readonly IkeIntegrity[];
  readonly prfs: readonly IkePrf[];
  readonly dhGroups: readonly DhGroup[];
}

/** One algorithm of each kind: what an IKE SA runs with once negotiated. */
export interface IkeSuite {
  readonly encryption: IkeEncryption;
  /** Null for an AEAD cipher. */
  readonly integrity: IkeIntegrity | null;
  readonly prf: IkePrf;
  readonly dhGroup: DhGroup;
}

/** An ESP proposal as configured: ESP's algorithms (sim/ipsec/transforms.ts) and the PFS groups. */
export interface EspProposal {
  readonly encryptions: readonly EncryptionInfo[];
  /** Empty when the encryptions are AEAD. */
  readonly integrities: readonly IntegrityInfo[];
  /** Diffie-Hellman groups for PFS; empty for none. */
  readonly dhGroups: readonly DhGroup[];
}

/** Why a proposal string was refused. */
export interface ProposalError {
  readonly code: 'empty' | 'unknown-keyword' | 'no-encryption' | 'mixed-aead' | 'no-integrity' | 'no-prf' | 'no-dh-group';
  /** The keyword at fault (unknown-keyword), else null. */
  readonly keyword: string | null;
  readonly message: string;
}

/** A proposal or why not. */
export type ProposalResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ProposalError };

function refuse<T>(code: ProposalError['code'], message: string, keyword: string | null = null): ProposalResult<T> {
  return { ok: false, error: { code, keyword, message } };
}

function isOneOf<T extends string>(names: readonly T[], word: string): word is T {
  return (names as readonly string[]).includes(word);
}

function pushOnce<T>(list: T[], item: T): void {
  if (!list.includes(item)) list.push(item);
}

/** The keywords of `text`, or the empty-proposal refusal. */
function keywords(text: string): string[] | null {
  const words = text.trim().toLowerCase().split('-');
  return words.some((w) => w === '') ? null : words;
}

const IKE_KEYWORDS = [...IKE_ENCRYPTION_NAMES, ...IKE_INTEGRITY_NAMES, ...IKE_PRF_NAMES, ...DH_GROUP_LIST.map((g) => g.strongswan)].join(', ');

/** Read an IKE proposal string as strongSwan's `proposals =` does. */
export function parseIkeProposal(text: string): ProposalResult<IkeProposal> {
  const words = keywords(text);
  if (!words) return refuse('empty', `IKE proposal '${text}' has an empty keyword (keywords are separated by single '-')`);
  const encryptions: IkeEncryption[] = [];
  const integrities: IkeIntegrity[] = [];
  const prfs: IkePrf[] = [];
  const dhGroups: DhGroup[] = [];
  for (const w of words) {
    const group = dhGroupByKeyword(w);
    if (isOneOf(IKE_ENCRYPTION_NAMES, w)) pushOnce(encryptions, IKE_ENCRYPTIONS[w]);
    else if (isOneOf(IKE_INTEGRITY_NAMES, w)) pushOnce(integrities, IKE_INTEGRITIES[w]);
    else if (isOneOf(IKE_PRF_NAMES, w)) pushOnce(prfs, IKE_PRFS[w]);
    else if (group) pushOnce(dhGroups, group);
    else return refuse('unknown-keyword', `unknown algorithm '${w}' in IKE proposal '${text}' (known: ${IKE_KEYWORDS})`, w);
  }
  if (encryptions.length === 0) return refuse('no-encryption', `IKE proposal '${text}' names no encryption algorithm`);
  const aead = encryptions.filter((e) => e.mode === 'gcm').length;
  if (aead > 0 && aead < encryptions.length) return refuse('mixed-aead', `IKE proposal '${text}' mixes AEAD and classic encryption; strongSwan refuses that, split it into two proposals`);
  if (aead > 0) integrities.length = 0;
  else if (integrities.length === 0) return refuse('no-integrity', `IKE proposal '${text}' has classic encryption and no integrity algorithm`);
  if (prfs.length === 0) for (const i of integrities) pushOnce(prfs, IKE_PRFS[i.prf]);
  if (prfs.length === 0) return refuse('no-prf', `IKE proposal '${text}' names no PRF (an AEAD proposal needs one, e.g. prfsha256)`);
  if (dhGroups.length === 0) return refuse('no-dh-group', `IKE proposal '${text}' names no Diffie-Hellman group (e.g. modp1024)`);
  return { ok: true, value: Object.freeze({ encryptions, integrities, prfs, dhGroups }) };
}

const ESP_ENCRYPTION_BY_KEYWORD = new Map(ENCRYPTION_NAMES.map((n) => [ENCRYPTIONS[n].strongswan, ENCRYPTIONS[n]] as const));
const ESP_INTEGRITY_BY_KEYWORD = new Map(INTEGRITY_NAMES.filter((n) => INTEGRITIES[n].strongswan !== '').map((n) => [INTEGRITIES[n].strongswan, INTEGRITIES[n]] as const));
const ESP_KEYWORDS = [...ESP_ENCRYPTION_BY_KEYWORD.keys(), ...ESP_INTEGRITY_BY_KEYWORD.keys(), ...DH_GROUP_LIST.map((g) => g.strongswan)].join(', ');

/** Read an ESP proposal string as strongSwan's `esp_proposals =` does; a DH group means PFS. */
export function parseEspProposal(text: string): ProposalResult<EspProposal> {
  const words = keywords(text);
  if (!words) return refuse('empty', `ESP proposal '${text}' has an empty keyword (keywords are separated by single '-')`);
  const encryptions: EncryptionInfo[] = [];
  const integrities: IntegrityInfo[] = [];
  const dhGroups: DhGroup[] = [];
  for (const w of words) {
    const enc = ESP_ENCRYPTION_BY_KEYWORD.get(w);
    const integ = ESP_INTEGRITY_BY_KEYWORD.get(w);
    const group = dhGroupByKeyword(w);
    if (enc) pushOnce(encryptions, enc);
    else if (integ) pushOnce(integrities, integ);
    else if (group) pushOnce(dhGroups, group);
    else if (isOneOf(IKE_PRF_NAMES, w)) continue; // strongSwan removes PRFs from ESP proposals
    else return refuse('unknown-keyword', `unknown ESP algorithm '${w}' in ESP proposal '${text}' (known: ${ESP_KEYWORDS})`, w);
  }
  if (encryptions.length === 0) return refuse('no-encryption', `ESP proposal '${text}' names no encryption algorithm`);
  const aead = encryptions.filter((e) => e.mode === 'gcm').length;
  if (aead > 0 && aead < encryptions.length) return refuse('mixed-aead', `ESP proposal '${text}' mixes AEAD and classic encryption; strongSwan refuses that, split it into two proposals`);
  if (aead > 0) integrities.length = 0;
  else if (integrities.length === 0) return refuse('no-integrity', `ESP proposal '${text}' has no integrity algorithm, which vgwsim's ESP refuses (add sha1 or md5)`);
  return { ok: true, value: Object.freeze({ encryptions, integrities, dhGroups }) };
}

/** Every ESP transform an ESP proposal allows, encryption-major in preference order (sim/ipsec/transforms.ts builds each). */
export function espTransforms(p: EspProposal): Transform[] {
  const out: Transform[] = [];
  for (const e of p.encryptions) {
    for (const i of p.integrities.length === 0 ? [INTEGRITIES.none] : p.integrities) {
      const t = makeTransform(e.name, i.name);
      if (t.ok) out.push(t.value);
    }
  }
  return out;
}

/** An IKE proposal in strongSwan's log words: `IKE:AES_CBC_256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024`. */
export function formatIkeProposal(p: IkeProposal | IkeSuite): string {
  const list = 'encryptions' in p ? p : { encryptions: [p.encryption], integrities: p.integrity ? [p.integrity] : [], prfs: [p.prf], dhGroups: [p.dhGroup] };
  const names = [
    ...list.encryptions.map((e) => e.strongswanName),
    ...list.integrities.map((i) => i.strongswanName),
    ...list.prfs.map((f) => f.strongswanName),
    ...list.dhGroups.map((g) => g.strongswanName),
  ];
  return `IKE:${names.join('/')}`;
}
