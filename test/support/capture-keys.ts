/**
 * Test support for test/e2e/tshark-ike.test.ts: what the IKE messages of an example capture
 * (test/support/example-capture.ts) must hold, computed here from the RFCs
 * (test/support/ike-keys-by-hand.ts) out of the capture's own bytes and tshark's decrypted
 * fields, the scenario's shared keys and the Diffie-Hellman secrets the simulator computed
 * (recorded from its crypto backend): IKEv2 AUTH and IKE SA keys, IKEv1 HASH_I/HASH_R and
 * Ka, and the child SAs' ESP keys.
 *
 * Owns the comparisons; returns what does not match as problems (words), so a negative
 * control can hand in a spoiled secret and count the failures. Throws only on an algorithm
 * the by-hand tables lack.
 */
import { ikev1Sa, ikev2Proposals } from './ike-by-hand.js';
import {
  hashI, hashR, ikev1CipherKey, ikev1CipherKeyLength, ikev1EspKeyLengths, ikev1EspKeys, ikev1Hash, ikev2ChildKeys, ikev2EspKeyLengths,
  ikev2KeyLengths, ikev2Prf, ikev2PskAuth, ikev2SaKeys, skeyidPsk, skeyids, type Hash,
} from './ike-keys-by-hand.js';
import {
  bytes, clearPayload, exchange, hex, idBody, ikeFrames, ikev1Encrypted, isResponse, row, spiI, spiR, version,
  type Field, type Frame, type Row, type Run,
} from './example-capture.js';

// ---- AUTH and HASH, computed here ----

/** Inputs a caller may spoil for a negative control. */
export interface Secrets {
  readonly psks: readonly Uint8Array[];
  /** The DH secret of the exchange whose KE values include `peerPublic` (from the simulator's crypto calls). */
  readonly dh: (publicValues: readonly string[]) => Uint8Array | null;
}

export function secretsOf(run: Run): Secrets {
  return {
    psks: run.psks,
    dh: (values) => run.recorded.dhShared.find((c) => values.includes(hex(c.peerPublic)))?.secret ?? null,
  };
}

/** What child SA keys derive from: an IKEv2 SA's SK_d and IKE_SA_INIT nonces, or an IKEv1 SA's SKEYID_d. */
export type KeyContext = { readonly prf: Hash; readonly skD: Uint8Array; readonly ni: Uint8Array; readonly nr: Uint8Array };

export interface AuthCheck {
  /** AUTH or HASH values tshark showed that were checked. */
  readonly checked: number;
  /** IKE SA table rows compared with the keys derived here. */
  readonly tableRows: number;
  readonly problems: string[];
  /** By IKEv2 SPI pair `spiI,spiR` or IKEv1 initiator cookie. */
  readonly contexts: ReadonlyMap<string, KeyContext>;
}

/** Whether the simulator's PRF produced `value` (its AUTH or HASH as it computed it). */
function simulatorComputed(run: Run, value: string): boolean {
  return run.recorded.prfCalls.some((c) => hex(c.out) === value);
}

export function checkIkev2Auth(run: Run, secrets: Secrets): AuthCheck {
  const frames = ikeFrames(run).filter((f) => version(f) === 2);
  const problems: string[] = [];
  let checked = 0;
  const comparedRows = new Set<string>();
  const contexts = new Map<string, KeyContext>();
  for (const f of frames) {
    const r = row(run, f);
    if (exchange(f) !== 35 || r['isakmp.auth.data'] === '') continue;
    checked++;
    const where = `frame ${f.number} (IKE_AUTH ${isResponse(f) ? 'response' : 'request'})`;
    const before = frames.filter((x) => x.number < f.number && exchange(x) === 34 && spiI(x) === spiI(f));
    const req = before.filter((x) => !isResponse(x)).at(-1);
    const resp = before.filter((x) => isResponse(x) && spiR(x) === spiR(f)).at(-1);
    if (!req || !resp) {
      problems.push(`${where}: no IKE_SA_INIT exchange for SPIs ${spiI(f)}/${spiR(f)} in the capture`);
      continue;
    }
    const [rq, rs] = [row(run, req), row(run, resp)];
    const ni = bytes(rq['isakmp.nonce']);
    const nr = bytes(rs['isakmp.nonce']);
    const gir = secrets.dh([rq['isakmp.key_exchange.data'], rs['isakmp.key_exchange.data']]);
    if (!gir) {
      problems.push(`${where}: the simulator computed no DH secret for these KE payloads`);
      continue;
    }
    const proposal = ikev2Proposals(clearPayload(resp, 33))[0]!;
    const tf = (type: number) => proposal.transforms.find((x) => x.type === type);
    const encr = tf(1)!;
    const prf: Hash = ikev2Prf(tf(2)!.id);
    const keys = ikev2SaKeys(prf, ikev2KeyLengths(encr.id, encr.keyLength, tf(3)?.id ?? null), gir, ni, nr, req.ike.subarray(0, 8), resp.ike.subarray(8, 16));
    const sa = `${spiI(f)},${spiR(f)}`;
    contexts.set(sa, { prf, skD: keys.skD, ni, nr });
    if (!comparedRows.has(sa)) {
      comparedRows.add(sa);
      const line = run.tables.ikev2.find((l) => l.startsWith(`${sa},`))?.split(',');
      const want = [keys.skEi, keys.skEr, keys.skAi, keys.skAr].map(hex);
      const got = line ? [line[2], line[3], line[5], line[6]] : [];
      if (got.join() !== want.join()) problems.push(`${where}: ikev2_decryption_table row ${sa} is ${got.join()} but the exchange gives ${want.join()}`);
    }
    // The initiator signs its IKE_SA_INIT request, Nr and its IDi; the responder its response, Ni and its IDr.
    const initiator = !isResponse(f);
    const shown = r['isakmp.auth.data'];
    const matches = secrets.psks.filter((psk) =>
      hex(ikev2PskAuth(prf, psk, initiator ? req.ike : resp.ike, initiator ? nr : ni, initiator ? keys.skPi : keys.skPr, idBody(r, 0, 2))) === shown);
    if (matches.length !== 1) problems.push(`${where}: AUTH ${shown} is prf(prf(PSK, pad), …) for ${matches.length} of the scenario's ${secrets.psks.length} shared keys`);
    if (!simulatorComputed(run, shown)) problems.push(`${where}: AUTH ${shown} is no value the simulator's PRF computed`);
  }
  return { checked, tableRows: comparedRows.size, problems, contexts };
}

export function checkIkev1Hashes(run: Run, secrets: Secrets): AuthCheck {
  const frames = ikeFrames(run).filter((f) => version(f) === 1 && exchange(f) === 2);
  const problems: string[] = [];
  let checked = 0;
  const comparedRows = new Set<string>();
  const contexts = new Map<string, KeyContext>();
  for (const f of frames) {
    const r = row(run, f);
    if (!ikev1Encrypted(f) || r['isakmp.hash'] === '') continue;
    checked++;
    const where = `frame ${f.number} (Main Mode ${hex(f.ike.subarray(0, 8))})`;
    const mine = frames.filter((x) => x.number < f.number && spiI(x) === spiI(f));
    const mm1 = mine.find((x) => spiR(x) === '0000000000000000');
    const mm2 = mine.find((x) => x.src !== mm1?.src && spiR(x) === spiR(f));
    const ke = (src: string | undefined) => mine.find((x) => x.src === src && row(run, x)['isakmp.key_exchange.data'] !== '');
    const [mm3, mm4] = [ke(mm1?.src), ke(mm2?.src)];
    if (!mm1 || !mm2 || !mm3 || !mm4) {
      problems.push(`${where}: Main Mode messages 1-4 are not all in the capture`);
      continue;
    }
    const attrs = ikev1Sa(clearPayload(mm2, 1)).proposals[0]!.transforms[0]!.attributes;
    const attr = (type: number): number | null => {
      const a = attrs.find((x) => x.type === type);
      return a && typeof a.value === 'number' ? a.value : null;
    };
    const prf = ikev1Hash(attr(2)!);
    const saiBody = clearPayload(mm1, 1);
    const [gxi, gxr] = [bytes(row(run, mm3)['isakmp.key_exchange.data']), bytes(row(run, mm4)['isakmp.key_exchange.data'])];
    const [niB, nrB] = [bytes(row(run, mm3)['isakmp.nonce']), bytes(row(run, mm4)['isakmp.nonce'])];
    const [ckyI, ckyR] = [f.ike.subarray(0, 8), f.ike.subarray(8, 16)];
    const initiator = f.src === mm1.src;
    const shown = r['isakmp.hash'];
    const matches = secrets.psks.filter((psk) => {
      const skeyid = skeyidPsk(prf, psk, niB, nrB);
      const h = initiator ? hashI(prf, skeyid, gxi, gxr, ckyI, ckyR, saiBody, idBody(r, 0, 1)) : hashR(prf, skeyid, gxi, gxr, ckyI, ckyR, saiBody, idBody(r, 0, 1));
      return hex(h) === shown;
    });
    if (matches.length !== 1) {
      problems.push(`${where}: ${initiator ? 'HASH_I' : 'HASH_R'} ${shown} is prf(SKEYID, …) for ${matches.length} of the scenario's ${secrets.psks.length} shared keys`);
      continue;
    }
    if (!simulatorComputed(run, shown)) problems.push(`${where}: HASH ${shown} is no value the simulator's PRF computed`);
    // The table's Ka, from the shared key the initiator's HASH_I used.
    if (initiator && !comparedRows.has(spiI(f))) {
      comparedRows.add(spiI(f));
      const gxy = secrets.dh([hex(gxi), hex(gxr)]);
      if (!gxy) {
        problems.push(`${where}: the simulator computed no DH secret for these KE payloads`);
        continue;
      }
      const ids = skeyids(prf, skeyidPsk(prf, matches[0]!, niB, nrB), gxy, ckyI, ckyR);
      contexts.set(spiI(f), { prf, skD: ids.d, ni: niB, nr: nrB });
      const ka = hex(ikev1CipherKey(prf, ids.e, ikev1CipherKeyLength(attr(1)!, attr(14))));
      const line = run.tables.ikev1.find((l) => l.startsWith(`${spiI(f)},`));
      if (line !== `${spiI(f)},${ka}`) problems.push(`${where}: ikev1_decryption_table row ${line ?? '(none)'}, but the exchange gives Ka ${ka}`);
    }
  }
  return { checked, tableRows: comparedRows.size, problems, contexts };
}

/** The first of a row's '|'-joined values, as a number (null: none). */
function first(r: Row, f: Field): number | null {
  const v = r[f].split('|')[0] ?? '';
  return v === '' ? null : Number(v);
}

/**
 * ESP keys by SPI (8 hex digits), derived here from the child SAs the capture shows being
 * negotiated: IKEv2 IKE_AUTH children (KEYMAT from SK_d and the IKE_SA_INIT nonces; the
 * i→r SA is the responder's SPI), CREATE_CHILD_SA children (the exchange's nonces and, with
 * PFS, its DH secret) and IKEv1 Quick Modes (KEYMAT per SPI from SKEYID_d, the
 * Quick Mode's nonces and its KE, if any, for PFS).
 */
export function derivedEspKeys(run: Run, secrets: Secrets, v2: AuthCheck, v1: AuthCheck): { keys: Map<string, { enc: string; auth: string }>; problems: string[] } {
  const keys = new Map<string, { enc: string; auth: string }>();
  const problems: string[] = [];
  const frames = ikeFrames(run);
  const mid = (f: Frame): string => hex(f.ike.subarray(20, 24));
  for (const resp of frames.filter((f) => version(f) === 2 && exchange(f) === 35 && isResponse(f))) {
    const rs = row(run, resp);
    const ctx = v2.contexts.get(`${spiI(resp)},${spiR(resp)}`);
    if (rs['isakmp.spi'] === '' || !ctx) continue;
    const req = frames.filter((f) => f.number < resp.number && exchange(f) === 35 && !isResponse(f) && spiI(f) === spiI(resp) && mid(f) === mid(resp)).at(-1);
    if (!req) {
      problems.push(`frame ${resp.number}: IKE_AUTH response without its request`);
      continue;
    }
    const lengths = ikev2EspKeyLengths(first(rs, 'isakmp.tf.id.encr')!, first(rs, 'isakmp.ike2.attr.key_length'), first(rs, 'isakmp.tf.id.integ'));
    const k = ikev2ChildKeys(ctx.prf, ctx.skD, lengths, ctx.ni, ctx.nr);
    keys.set(rs['isakmp.spi'].split('|')[0]!, { enc: hex(k.encI), auth: hex(k.integI) });
    keys.set(row(run, req)['isakmp.spi'].split('|')[0]!, { enc: hex(k.encR), auth: hex(k.integR) });
  }
  // CREATE_CHILD_SA (a child created or rekeyed): KEYMAT from SK_d, the exchange's new DH secret
  // (PFS) if it has KE payloads, and its own nonces (RFC 7296 §2.17); the exchange's initiator
  // may be either side.
  for (const resp of frames.filter((f) => version(f) === 2 && exchange(f) === 36 && isResponse(f))) {
    const rs = row(run, resp);
    const ctx = v2.contexts.get(`${spiI(resp)},${spiR(resp)}`);
    if (rs['isakmp.spi'] === '' || rs['isakmp.nonce'] === '' || !ctx) continue;
    const req = frames.filter((f) => f.number < resp.number && exchange(f) === 36 && !isResponse(f) && spiI(f) === spiI(resp) && mid(f) === mid(resp) && f.src === resp.dst).at(-1);
    if (!req) {
      problems.push(`frame ${resp.number}: CREATE_CHILD_SA response without its request`);
      continue;
    }
    const rq = row(run, req);
    const kes = [rq['isakmp.key_exchange.data'], rs['isakmp.key_exchange.data']].filter((x) => x !== '');
    const gir = kes.length === 2 ? secrets.dh(kes) : null;
    if (kes.length === 2 && !gir) problems.push(`frame ${resp.number}: CREATE_CHILD_SA KE without a DH secret`);
    const lengths = ikev2EspKeyLengths(first(rs, 'isakmp.tf.id.encr')!, first(rs, 'isakmp.ike2.attr.key_length'), first(rs, 'isakmp.tf.id.integ'));
    const k = ikev2ChildKeys(ctx.prf, ctx.skD, lengths, bytes(rq['isakmp.nonce'].split('|')[0]!), bytes(rs['isakmp.nonce'].split('|')[0]!), gir);
    keys.set(rs['isakmp.spi'].split('|')[0]!, { enc: hex(k.encI), auth: hex(k.integI) });
    // A rekey's request names the SA it replaces first (N(REKEY_SA)); its own SPI is the SA payload's, the last.
    keys.set(rq['isakmp.spi'].split('|').at(-1)!, { enc: hex(k.encR), auth: hex(k.integR) });
  }
  const quick = frames.filter((f) => version(f) === 1 && exchange(f) === 32);
  for (const qm1 of quick) {
    const same = quick.filter((f) => spiI(f) === spiI(qm1) && mid(f) === mid(qm1));
    if (same[0] !== qm1) continue;
    const qm2 = same.find((f) => f.src !== qm1.src);
    const ctx = v1.contexts.get(spiI(qm1));
    if (!qm2 || !ctx) continue;
    const [r1, r2] = [row(run, qm1), row(run, qm2)];
    const kes = [r1['isakmp.key_exchange.data'], r2['isakmp.key_exchange.data']].filter((x) => x !== '');
    const gxy = kes.length > 0 ? secrets.dh(kes) : null;
    if (kes.length > 0 && !gxy) problems.push(`frame ${qm2.number}: Quick Mode KE without a DH secret`);
    const lengths = ikev1EspKeyLengths(first(r2, 'isakmp.trans.id')!, first(r2, 'isakmp.ipsec.attr.key_length'), first(r2, 'isakmp.ipsec.attr.auth_algorithm')!);
    for (const spi of [r1['isakmp.spi'].split('|')[0]!, r2['isakmp.spi'].split('|')[0]!]) {
      const k = ikev1EspKeys(ctx.prf, ctx.skD, lengths, bytes(spi), bytes(r1['isakmp.nonce']), bytes(r2['isakmp.nonce']), gxy);
      keys.set(spi, { enc: hex(k.enc), auth: hex(k.integ) });
    }
  }
  return { keys, problems };
}

/** An esp_sa line's fields (all quoted): protocol, src, dst, 0xSPI, encryption, 0xkey, authentication, 0xkey. */
export function espSaFields(line: string): string[] {
  return line.slice(1, -1).split('","');
}
