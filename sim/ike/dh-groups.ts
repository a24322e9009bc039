/**
 * The Diffie-Hellman groups vgwsim's IKE offers, as data: the finite-field (MODP) groups
 * Azure's 2016 gateways and the devices in front of them used (reference/ike-2016.md §1.3,
 * §4.1: group 2 by default; PFS groups 1, 2, 5, 14, 24).
 *
 * Owns, per group: the IANA number (IKEv2 transform type 4 ID), the IKEv1 Group
 * Description attribute value, the prime and generator (RFC 2409 §6.1/§6.2, RFC 3526 §2/§3,
 * RFC 5114 §2.3), the prime's length (the length of every KE value and shared secret), the
 * strongSwan proposal keyword and log name, and how many private-value bytes a caller
 * draws. Refuses (by not listing them) the ECP groups 19/20: the crypto backends compute
 * MODP only, and no 2016 Azure edition offered elliptic curves. The arithmetic is the
 * backends' (`dhPublic`, `dhShared` of sim/ipsec/crypto.ts): a group here is a
 * `ModpGroup` they take as it is.
 */
import type { ModpGroup } from '../ipsec/crypto.js';

/** The group numbers in the table. */
export const DH_GROUP_IDS = [1, 2, 5, 14, 24] as const;
/** A group number in the table. */
export type DhGroupId = (typeof DH_GROUP_IDS)[number];

/** One Diffie-Hellman group. */
export interface DhGroup extends ModpGroup {
  readonly id: DhGroupId;
  /** Human label, e.g. `1024-bit MODP (group 2)`. */
  readonly label: string;
  /** Bits of the prime. */
  readonly bits: number;
  /** IKEv1 Group Description attribute value (RFC 2409 Appendix A; RFC 3526 §2-3, RFC 5114 §4 use the same numbers). */
  readonly ikev1: number;
  /** strongSwan proposal keyword (`modp1024`). */
  readonly strongswan: string;
  /** strongSwan's name in logs and `swanctl --list-sas` (`MODP_1024`). */
  readonly strongswanName: string;
  /** The order q of the subgroup g generates, big-endian hex, when the RFC gives one (RFC 5114), else null. */
  readonly subgroupOrderHex: string | null;
  /**
   * Bytes of private value a caller draws (from its seeded Prng): 32 (256 bits) for every
   * group, at least twice the strength of the largest (RFC 3526 §8 puts the 2048-bit
   * group near 110 bits) and within RFC 5114's 256-bit subgroup for group 24.
   */
  readonly privateLength: number;
  /** Where the numbers come from. */
  readonly source: string;
}

/** Each prime whole, as its RFC gives it, 64 hex digits a line. */
const MODP_768 = [
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74',
  '020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437',
  '4FE1356D6D51C245E485B576625E7EC6F44C42E9A63A3620FFFFFFFFFFFFFFFF',
].join('');

const MODP_1024 = [
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74',
  '020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437',
  '4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED',
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF',
].join('');

const MODP_1536 = [
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74',
  '020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437',
  '4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED',
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05',
  '98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB',
  '9ED529077096966D670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF',
].join('');

const MODP_2048 = [
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74',
  '020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437',
  '4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED',
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05',
  '98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB',
  '9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B',
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718',
  '3995497CEA956AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF',
].join('');

const MODP_2048_256_P = [
  '87A8E61DB4B6663CFFBBD19C651959998CEEF608660DD0F25D2CEED4435E3B00',
  'E00DF8F1D61957D4FAF7DF4561B2AA3016C3D91134096FAA3BF4296D830E9A7C',
  '209E0C6497517ABD5A8A9D306BCF67ED91F9E6725B4758C022E0B1EF4275BF7B',
  '6C5BFC11D45F9088B941F54EB1E59BB8BC39A0BF12307F5C4FDB70C581B23F76',
  'B63ACAE1CAA6B7902D52526735488A0EF13C6D9A51BFA4AB3AD8347796524D8E',
  'F6A167B5A41825D967E144E5140564251CCACB83E6B486F6B3CA3F7971506026',
  'C0B857F689962856DED4010ABD0BE621C3A3960A54E710C375F26375D7014103',
  'A4B54330C198AF126116D2276E11715F693877FAD7EF09CADB094AE91E1A1597',
].join('');

const MODP_2048_256_G = [
  '3FB32C9B73134D0B2E77506660EDBD484CA7B18F21EF205407F4793A1A0BA125',
  '10DBC15077BE463FFF4FED4AAC0BB555BE3A6C1B0C6B47B1BC3773BF7E8C6F62',
  '901228F8C28CBB18A55AE31341000A650196F931C77A57F2DDF463E5E9EC144B',
  '777DE62AAAB8A8628AC376D282D6ED3864E67982428EBC831D14348F6F2F9193',
  'B5045AF2767164E1DFC967C1FB3F2E55A4BD1BFFE83B9C80D052B985D182EA0A',
  'DB2A3B7313D3FE14C8484B1E052588B9B7D2BBD2DF016199ECD06E1557CD0915',
  'B3353BBB64E0EC377FD028370DF92B52C7891428CDC67EB6184B523D1DB246C3',
  '2F63078490F00EF8D647D148D47954515E2327CFEF98C582664B4C0F6CC41659',
].join('');

const MODP_2048_256_Q = '8CF83642A709A097B447997640129DA299B1A47D1EB3750BA308B0FE64F5FBD3';

function group(id: DhGroupId, bits: number, primeHex: string, generatorHex: string, subgroupOrderHex: string | null, strongswan: string, strongswanName: string, label: string, source: string): DhGroup {
  return Object.freeze({
    id, label: `${label} (group ${id})`, bits, primeHex, generatorHex, length: bits / 8, ikev1: id, strongswan, strongswanName, subgroupOrderHex, privateLength: 32, source,
  });
}

/** The table, by group number. */
export const DH_GROUPS: { readonly [K in DhGroupId]: DhGroup } = {
  1: group(1, 768, MODP_768, '02', null, 'modp768', 'MODP_768', '768-bit MODP', 'RFC 2409 §6.1'),
  2: group(2, 1024, MODP_1024, '02', null, 'modp1024', 'MODP_1024', '1024-bit MODP', 'RFC 2409 §6.2'),
  5: group(5, 1536, MODP_1536, '02', null, 'modp1536', 'MODP_1536', '1536-bit MODP', 'RFC 3526 §2'),
  14: group(14, 2048, MODP_2048, '02', null, 'modp2048', 'MODP_2048', '2048-bit MODP', 'RFC 3526 §3'),
  24: group(24, 2048, MODP_2048_256_P, MODP_2048_256_G, MODP_2048_256_Q, 'modp2048s256', 'MODP_2048_256', '2048-bit MODP with 256-bit prime order subgroup', 'RFC 5114 §2.3'),
};

/** The groups in table order. */
export const DH_GROUP_LIST: readonly DhGroup[] = DH_GROUP_IDS.map((id) => DH_GROUPS[id]);

/** The group with IANA number `id`, or null when the table has none (a peer may propose any number). */
export function dhGroupById(id: number): DhGroup | null {
  return DH_GROUP_LIST.find((g) => g.id === id) ?? null;
}

/** The group with IKEv1 Group Description value `value`, or null. */
export function dhGroupByIkev1(value: number): DhGroup | null {
  return DH_GROUP_LIST.find((g) => g.ikev1 === value) ?? null;
}

/** The group with strongSwan keyword `keyword` (`modp1024`), or null. */
export function dhGroupByKeyword(keyword: string): DhGroup | null {
  return DH_GROUP_LIST.find((g) => g.strongswan === keyword) ?? null;
}
