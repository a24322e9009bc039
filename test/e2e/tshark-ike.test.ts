/**
 * Captures that Wireshark decrypts, IKE and ESP together: every example scenario
 * (scenarios/*.yaml) and every lab's lab.yaml and solution.yaml runs once through the built
 * CLI (`vgw run FILE --json --pcap DIR`), and tshark 4.0 reads DIR/internet.pcap with the
 * three tables the run wrote (esp_sa, ikev2_decryption_table, ikev1_decryption_table, one
 * `-o uat:` record per line). Per capture:
 * - every IKE message is UDP 500→500 or 4500→4500 between the scenario's public addresses,
 *   and the messages are exactly the ones the run's `ike` events say were sent and not lost;
 * - every encrypted IKEv2 message decrypts with its Integrity Checksum Data `[correct]`
 *   (tshark -V), every encrypted IKEv1 message decrypts (its HASH payload is readable);
 * - the AUTH (IKEv2) and HASH_I/HASH_R (IKEv1 Main Mode) values tshark shows are the ones
 *   RFC 7296 §2.15 and RFC 2409 §5 give, computed in this file (test/support/
 *   ike-keys-by-hand.ts) from the capture's own bytes, the scenario's shared keys and the
 *   one value a capture cannot show: the Diffie-Hellman secret, which the simulator hands
 *   over through the crypto backend its caller gives it (test/support/recording-crypto.ts,
 *   the same scenario run in this process; its internet.pcap must equal the CLI's byte for
 *   byte). The same derivation gives the IKE SA keys, which must equal the table rows, and
 *   each value tshark shows must be one the simulator's PRF computed;
 * - the notify type of every failure the run reported (a status event's `notify`) is in a
 *   message between that connection's addresses;
 * - every ESP frame verifies and decrypts with the esp_sa table (only the frames the
 *   scenario corrupts on purpose fail their ICV); between public addresses its SPI is one
 *   an IKE child SA created (the run's child-up events) and every esp_sa key there is the
 *   one the capture's IKE_AUTH or Quick Mode gives (RFC 7296 §2.17, RFC 2409 §5.5, derived
 *   here from the same DH secret and shared keys), and any other ESP frame is a
 *   point-to-site client's (its gateway and an address of the gateway's pool: the model
 *   keys those tunnels without IKE).
 * Negative controls: one wrong SK_ai byte makes tshark report `IKEv2 Integrity Checksum Data
 * is incorrect` on exactly that SA's messages from its original initiator; a DH secret or a
 * shared key off by one byte makes every AUTH and HASH comparison fail, and a DH secret off
 * by one byte every IKE and ESP table key comparison.
 *
 * The run, the capture and tshark's passes: test/support/example-capture.ts; the values
 * computed here: test/support/capture-keys.ts.
 *
 * tshark must be installed (.ci/run installs it): without it this test FAILS, it does not skip.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkIkev1Hashes, checkIkev2Auth, derivedEspKeys, espSaFields, secretsOf, type Secrets,
} from '../support/capture-keys.js';
import {
  bytes, exchange, fromOriginalInitiator, hex, ikeFrames, ikev1Encrypted, ikev2Encrypted, inPrefix, isResponse, removeRunDirs, row, runOf, scenarioFiles,
  spiI, spiR, tsharkOk, tsharkRows, version, type Tables,
} from '../support/example-capture.js';
import { ikev2ChildKeys, ikev2EspKeyLengths, ikev2KeyLengths, ikev2SaKeys, skeyidPsk, skeyids } from '../support/ike-keys-by-hand.js';
import { ensureBuilt } from '../support/run-cli.js';

beforeAll(() => {
  ensureBuilt();
});

afterAll(() => {
  removeRunDirs();
});

// ---- notify names (IANA "IKEv2 Notify Message Types", RFC 2408 §3.14.1) ----

const NOTIFY_TYPES: Readonly<Record<string, number>> = {
  UNSUPPORTED_CRITICAL_PAYLOAD: 1, INVALID_IKE_SPI: 4, INVALID_MAJOR_VERSION: 5, INVALID_SYNTAX: 7, INVALID_MESSAGE_ID: 9,
  INVALID_SPI: 11, NO_PROPOSAL_CHOSEN: 14, PAYLOAD_MALFORMED: 16, INVALID_KE_PAYLOAD: 17, INVALID_ID_INFORMATION: 18,
  INVALID_HASH_INFORMATION: 23, AUTHENTICATION_FAILED: 24, SINGLE_PAIR_REQUIRED: 34, NO_ADDITIONAL_SAS: 35,
  TS_UNACCEPTABLE: 38, INVALID_SELECTORS: 39, TEMPORARY_FAILURE: 43, CHILD_SA_NOT_FOUND: 44,
};

// ---- the tests ----

describe('IKE and ESP in every example capture, decrypted by tshark', () => {
  it('tshark is installed (CI installs it; this test fails without it)', () => {
    expect(tsharkOk(), 'tshark not found: install it as .ci/run does').toBe(true);
  });

  it('the by-hand key schedule reproduces the published vectors', () => {
    // libreswan/libreswan programs/cavp/test.acvp.ikev2.run at a22ccdd9271b792b281c289390a5bf2313b3f2c9, tcId 100 (SHA-1).
    const gir = bytes('4b2c1f971981a8ad8d0abeafabf38cf75fc8349c148142465ed9c8b516b8be52');
    const [ni, nr, spii, spir] = ['32b50d5f4a3763f3', '9206a04b26564cb1', '34c9e7c188868785', '3ff77d760d2b2199'].map(bytes) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
    // 1056 bits of DKM = SK_d ‖ SK_ai ‖ SK_ar ‖ SK_ei ‖ SK_er ‖ SK_pi ‖ SK_pr for AES-128 with HMAC-SHA1-96.
    const k = ikev2SaKeys('sha1', ikev2KeyLengths(12, 128, 2), gir, ni, nr, spii, spir);
    expect([k.skD, k.skAi, k.skAr, k.skEi, k.skEr, k.skPi, k.skPr].map(hex).join('')).toBe(
      'a14293677cc80ff8f9cc0eee30d895da9d8f405666e30ef0dfcb63c634a46002a2a63080e514a062768b76606f9fa5e992204fc5a670bde3f10d6b027113936a5c55b648a194ae587b0088d52204b702c979fa280870d2ed41efa9c549fd11198af1670b143d384bd275c5f594cf266b05ebadca855e4249520a441a81157435a7a56cc4');
    // DKM(Child SA) and DKM(Child SA D-H): the first 72 bytes are AES-128 + HMAC-SHA1 keys for both directions.
    const child = (g: Uint8Array | null): string => {
      const c = ikev2ChildKeys('sha1', k.skD, ikev2EspKeyLengths(12, 128, 2), ni, nr, g);
      return [c.encI, c.integI, c.encR, c.integR].map(hex).join('');
    };
    expect(child(null)).toBe('8059e3ee8810e6c3a91bc8bcd2a7a41151b8d0e6ae239c7b38093ad85ef4c5811a8e7b5d1cdabd9560b2d5e092d1f24e2d4b85eccdf0ad0dc9abd94b51ee71814ca6dbc8bb51b630');
    expect(child(bytes('863f3c9d06efd39d2b907b97f8699e5dd5251ef64a2a176f36ee40c87d4f9330'))).toBe(
      'bb43244c1860ad65ee1e211ffe8bb3661750c8f89cb9f547df7f4fa61d37301628190e38c66232eab4b3ab14c400a5197dd3730ed4820a8a10394d51e1c0400052f63ebd36b0e7ef');
    // libreswan/libreswan programs/cavp/test.acvp.ikev1_psk.run at 2551232d7cd3716eb80defc605a43aa14e6459ff, tcId 100 (SHA-1, PSK 0x75).
    const skeyid = skeyidPsk('sha1', bytes('75'), bytes('b9a2d0e922dc66dd'), bytes('2130166863b5ddef'));
    expect(hex(skeyid)).toBe('62b04d112877e442fc3282fc37c076997718a0b9');
    const ids = skeyids('sha1', skeyid, bytes('739003ba2c11c982946c65e26acf661fbf8ebb78011a9fead79efa12fe3e71cc'), bytes('83d374c30b3b5082'), bytes('5afc0da06c728029'));
    expect([ids.d, ids.a, ids.e].map(hex)).toEqual([
      '369e5aad1bdb5faf6a3d929d500cdc236710a9ab', '588e957d8d790d093b3a39f121473473af78e9bb', 'cd74b0c048219db81384d3fda8f6cda51e398a2b',
    ]);
  });

  for (const file of scenarioFiles()) {
    describe(file, () => {
      it('IKE messages: UDP 500/4500 between public addresses, exactly those the run sent and did not lose', () => {
        expect(tsharkOk(), 'tshark not found').toBe(true);
        const run = runOf(file);
        expect(run.frames.filter((f) => f.kind === 'other').map((f) => f.number), 'frames neither ESP nor IKE').toEqual([]);
        const frames = ikeFrames(run);
        for (const f of frames) {
          const where = `frame ${f.number} ${f.src}:${f.sport} -> ${f.dst}:${f.dport}`;
          // The gateway's side is 500 or 4500; a device behind a NAT shows the port the NAT mapped.
          expect([500, 4500].includes(f.sport) || [500, 4500].includes(f.dport), `${where}: ports`).toBe(true);
          if (!run.natted) expect([500, 4500].includes(f.sport) && f.dport === f.sport, `${where}: ports`).toBe(true);
          expect(run.publicAddresses.has(f.src) && run.publicAddresses.has(f.dst) && f.src !== f.dst, `${where}: not between the scenario's public addresses ${[...run.publicAddresses].join(', ')}`).toBe(true);
          expect(row(run, f)['isakmp.ispi'], `${where}: tshark's ISAKMP dissection`).toBe(spiI(f));
        }
        // Behind a NAT the device's own events name its private address and ports, the capture the NAT's: compare times and sizes then.
        const key = (t: number, src: string, dst: string, sport: number, dport: number, n: number): string =>
          run.natted ? `${Math.round(t * 1e6)} ${n}` : `${Math.round(t * 1e6)} ${src}:${sport}>${dst}:${dport} ${n}`;
        // NAT-T keepalives (one byte) are no IKE messages: the capture holds them as keepalives.
        const sent = run.ike.filter((e) => e.action === 'send' && e.bytes !== 1).map((e) => key(e.t, e.src!, e.dst!, e.sport!, e.dport!, e.bytes!));
        for (const lost of run.ike.filter((e) => e.action === 'lost')) sent.splice(sent.indexOf(key(lost.t, lost.src!, lost.dst!, lost.sport!, lost.dport!, lost.bytes!)), 1);
        const captured = frames.map((f) => key(f.usec / 1e6, f.src, f.dst, f.sport, f.dport, f.sport === 4500 || f.dport === 4500 ? f.ike.length + 4 : f.ike.length));
        expect(captured.sort()).toEqual(sent.sort());
        expect(run.frames.filter((f) => f.kind === 'keepalive').length).toBe(run.ike.filter((e) => e.action === 'send' && e.bytes === 1).length);
        // Every run that has an IPsec or VNet-to-VNet connection with a shared key negotiates.
        if (run.psks.length > 0 && run.tables.esp.length > 0) expect(frames.length).toBeGreaterThan(0);
      });

      it('every encrypted IKE message decrypts; IKEv2 ones with a correct integrity checksum', () => {
        const run = runOf(file);
        for (const f of ikeFrames(run)) {
          const r = row(run, f);
          const where = `frame ${f.number} (IKEv${version(f)} exchange ${exchange(f)})`;
          expect(r['_ws.expert.message'], where).not.toContain('incorrect');
          if (ikev2Encrypted(f)) {
            expect(r['isakmp.enc.decrypted'], `${where}: not decrypted`).not.toBe('');
            const text = run.verbose.get(f.number) ?? '';
            expect(text.match(/^\s*Integrity Checksum Data: [0-9a-f]+ \(\d+ bytes\) <[^>]+>\[correct\]$/gm)?.length, `${where}: ${text.slice(0, 2000)}`).toBe(1);
            expect(text, where).not.toContain('incorrect');
          }
          if (ikev1Encrypted(f)) expect(r['isakmp.hash'], `${where}: HASH not readable (not decrypted)`).toMatch(/^[0-9a-f]{32,}(\|[0-9a-f]+)*$/);
        }
        expect(run.verbose.size).toBe(ikeFrames(run).filter(ikev2Encrypted).length);
      });

      it('AUTH and HASH_I/HASH_R are the RFC values from the capture, the shared keys and the simulator\'s DH secret; the tables hold the derived keys', () => {
        const run = runOf(file);
        const v2 = checkIkev2Auth(run, secretsOf(run));
        const v1 = checkIkev1Hashes(run, secretsOf(run));
        expect([...v2.problems, ...v1.problems]).toEqual([]);
        const frames = ikeFrames(run);
        expect(v2.checked).toBe(frames.filter((f) => version(f) === 2 && row(run, f)['isakmp.auth.data'] !== '').length);
        expect(v1.checked).toBe(frames.filter((f) => version(f) === 1 && exchange(f) === 2 && ikev1Encrypted(f)).length);
        // Every table row whose exchange the capture holds was compared.
        expect(v2.tableRows).toBe(run.tables.ikev2.filter((l) => frames.some((f) => exchange(f) === 34 && isResponse(f) && l.startsWith(`${spiI(f)},${spiR(f)},`))).length);
        expect(v1.tableRows).toBe(run.tables.ikev1.filter((l) => frames.some((f) => exchange(f) === 2 && ikev1Encrypted(f) && l.startsWith(`${spiI(f)},`) && row(run, f)['isakmp.hash'] !== '' && frames.some((m) => spiI(m) === spiI(f) && spiR(m) === '0000000000000000' && m.src === f.src))).length);
      });

      it('the notify of every failure the run reported is in a message of that connection', () => {
        const run = runOf(file);
        const reported = run.ike.filter((e) => e.action === 'status' && e.notify);
        for (const e of reported) {
          const type = NOTIFY_TYPES[e.notify!];
          expect(type, `notify name ${e.notify} not in this test's table`).toBeDefined();
          const pairs = new Set(run.ike.filter((x) => x.connection === e.connection && x.action === 'send').map((x) => `${x.src}>${x.dst}`));
          const carrying = ikeFrames(run).filter((f) => pairs.has(`${f.src}>${f.dst}`) && row(run, f)['isakmp.notify.msgtype'].split('|').includes(String(type)));
          expect(carrying.length, `${e.connection}: ${e.node} reported ${e.notify} (${type})`).toBeGreaterThan(0);
        }
        if (file.endsWith('warnings-shared-key.yaml') || file.endsWith('09-ike-failure-tunnel-down/lab.yaml')) {
          expect(reported.map((e) => e.notify)).toContain('AUTHENTICATION_FAILED');
        }
      });

      it('every ESP frame decrypts with esp_sa, verified; between public addresses its SPI is one an IKE child SA created and its keys come from that exchange', () => {
        const run = runOf(file);
        const children = new Set(run.ike.filter((e) => e.action === 'child-up').flatMap((e) => {
          const m = /SPIs ([0-9a-f]{8})_i ([0-9a-f]{8})_o/.exec(e.text);
          return m ? [`0x${m[1]}`, `0x${m[2]}`] : [];
        }));
        const corrupted = new Set(run.injections.filter((x) => x.action === 'corrupt' && x.reason === 'icv-mismatch').map((x) => `${x.spi}/${x.seq}`));
        const espFrames = run.frames.filter((f) => f.kind === 'esp');
        const bad: string[] = [];
        let p2sFrames = 0;
        for (const f of espFrames) {
          const r = row(run, f);
          const where = `frame ${f.number} (spi ${r['esp.spi']}, seq ${r['esp.sequence']})`;
          if (run.publicAddresses.has(f.src) && run.publicAddresses.has(f.dst)) {
            expect(children.has(r['esp.spi']), `${where}: SPI from no child-up event (${[...children].join(', ')})`).toBe(true);
          } else {
            // A point-to-site client's tunnel (no IKE in the model): between its gateway and an address of the gateway's pool.
            const p2s = run.p2s.some((p) => [f.src, f.dst].includes(p.gateway) && [f.src, f.dst].some((a) => inPrefix(a, p.addr, p.len)));
            expect(p2s, `${where}: ${f.src} -> ${f.dst} is neither between public addresses nor a point-to-site client's`).toBe(true);
            p2sFrames++;
          }
          expect(run.tables.esp.some((l) => l.includes(`"${r['esp.spi']}"`)), `${where}: not in esp_sa`).toBe(true);
          if (r['esp.icv_bad'] === '1' || r['esp.icv_bad'] === 'True') {
            bad.push(`${r['esp.spi']}/${r['esp.sequence']}`);
            continue;
          }
          expect(r['esp.icv_good'] === '1' || r['esp.icv_good'] === 'True', `${where}: ICV not verified`).toBe(true);
          expect(r['esp.decrypted_data'], `${where}: not decrypted`).toMatch(/^[0-9a-f]{40,}$/);
        }
        // The keys of every SA between public addresses are the ones its exchange gives.
        const v2 = checkIkev2Auth(run, secretsOf(run));
        const v1 = checkIkev1Hashes(run, secretsOf(run));
        const derived = derivedEspKeys(run, secretsOf(run), v2, v1);
        expect(derived.problems).toEqual([]);
        let keyed = 0;
        for (const line of run.tables.esp) {
          const [, src, dst, spi, , enc, , auth] = espSaFields(line);
          if (!run.publicAddresses.has(src!) || !run.publicAddresses.has(dst!)) continue;
          const want = derived.keys.get(spi!.replace(/^0x/, ''));
          expect(want, `esp_sa ${spi}: no child SA negotiated in the capture gives it`).toBeDefined();
          expect({ enc: enc!.replace(/^0x/, ''), auth: auth!.replace(/^0x/, '') }, `esp_sa ${spi} ${src} -> ${dst}`).toEqual(want);
          keyed++;
        }
        if (espFrames.length > p2sFrames) expect(keyed).toBeGreaterThan(1);
        // Only the packets the scenario corrupts on purpose fail their ICV.
        expect(bad.sort()).toEqual([...corrupted].sort());
        if (espFrames.length > p2sFrames) expect(children.size).toBeGreaterThan(0);
        if (run.p2s.length === 0) expect(p2sFrames).toBe(0);
      });
    });
  }

  describe('negative controls', () => {
    it('one wrong SK_ai byte: tshark reports the bad checksum on exactly that SA\'s messages from its original initiator', () => {
      const run = runOf('scenarios/s2s-route-based-multisite.yaml');
      expect(run.tables.ikev2.length).toBeGreaterThan(1);
      const [first, ...rest] = run.tables.ikev2;
      const fields = first!.split(',');
      const skAi = bytes(fields[5]!);
      skAi[7]! ^= 0x01;
      fields[5] = hex(skAi);
      const tables: Tables = { ...run.tables, ikev2: [fields.join(','), ...rest] };
      const rows = tsharkRows(join(run.dir, 'internet.pcap'), tables);
      const flagged = rows.filter((r) => r['_ws.expert.message'].includes('IKEv2 Integrity Checksum Data is incorrect')).map((r) => Number(r['frame.number']));
      const want = ikeFrames(run).filter((f) => ikev2Encrypted(f) && fromOriginalInitiator(f) && `${spiI(f)},${spiR(f)}` === `${fields[0]},${fields[1]}`).map((f) => f.number);
      expect(want.length).toBeGreaterThan(0);
      expect(flagged).toEqual(want);
    });

    it('a DH secret or a shared key off by one byte: every AUTH, HASH and derived-key comparison fails', () => {
      for (const file of ['scenarios/s2s-route-based-multisite.yaml', 'scenarios/s2s-policy-based.yaml']) {
        const run = runOf(file);
        const good = secretsOf(run);
        const flip = (b: Uint8Array): Uint8Array => {
          const c = b.slice();
          c[c.length - 1]! ^= 0x01;
          return c;
        };
        const v2 = checkIkev2Auth(run, good);
        const v1 = checkIkev1Hashes(run, good);
        const checked = v2.checked + v1.checked;
        expect(checked, file).toBeGreaterThan(1);
        // A wrong shared key: no AUTH or HASH matches.
        const wrongKey: Secrets = { ...good, psks: good.psks.map(flip) };
        const spoiledKey = [...checkIkev2Auth(run, wrongKey).problems, ...checkIkev1Hashes(run, wrongKey).problems];
        expect(spoiledKey.filter((p) => / for 0 of the scenario's/.test(p)).length, file).toBe(checked);
        // A wrong DH secret: IKEv2 AUTH (through SK_p) and every table row fail; IKEv1 table rows (through SKEYID_e) fail.
        const wrongDh: Secrets = { ...good, dh: (v) => { const s = good.dh(v); return s && flip(s); } };
        const spoiledDh2 = checkIkev2Auth(run, wrongDh).problems;
        const spoiledDh1 = checkIkev1Hashes(run, wrongDh).problems;
        expect(spoiledDh2.filter((p) => / for 0 of the scenario's/.test(p)).length, file).toBe(v2.checked);
        expect(spoiledDh2.filter((p) => p.includes('ikev2_decryption_table')).length, file).toBe(v2.tableRows);
        expect(spoiledDh1.filter((p) => p.includes('ikev1_decryption_table')).length, file).toBe(v1.tableRows);
        // … and every ESP key derived from the exchange differs from the esp_sa table's.
        const spoiledEsp = derivedEspKeys(run, wrongDh, checkIkev2Auth(run, wrongDh), checkIkev1Hashes(run, wrongDh)).keys;
        const espLines = run.tables.esp.map(espSaFields).filter(([, src, dst]) => run.publicAddresses.has(src!) && run.publicAddresses.has(dst!));
        expect(espLines.length, file).toBeGreaterThan(1);
        for (const [, , , spi, , enc] of espLines) expect(spoiledEsp.get(spi!.replace(/^0x/, ''))?.enc, `${file} ${spi}`).not.toBe(enc!.replace(/^0x/, ''));
      }
    });
  });
});
