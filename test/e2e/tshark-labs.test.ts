/**
 * What the IKE labs (09-12) tell a learner to find in a capture is really there: each lab's
 * lab.yaml and solution.yaml run with `vgw run --pcap DIR` (the built binary), and tshark 4.0
 * reads DIR/internet.pcap as the labs' READMEs show, once in plain and once with
 * WIRESHARK_CONFIG_DIR=DIR (the IKE decryption tables the run wrote). The fields compared are
 * tshark's own decoding: exchange types, notify types, the transforms offered, KE groups,
 * IKEv1 proxy IDs, frame times; no encrypted message may carry tshark's "incorrect" checksum.
 * The solution's capture must not show the failure the lab's does.
 *
 * tshark must be installed (.ci/run installs it): without it this test FAILS, it does not skip.
 */
import { execFileSync } from 'node:child_process';
import { tsharkOk } from '../support/tshark.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ensureBuilt, runCli } from '../support/run-cli.js';

beforeAll(() => {
  ensureBuilt();
});

const FIELDS = [
  'frame.number',
  'frame.time_relative',
  'ip.src',
  'ip.dst',
  'isakmp.exchangetype',
  'isakmp.notify.msgtype',
  'isakmp.prop.protoid',
  'isakmp.tf.id.encr',
  'isakmp.ike2.attr.key_length',
  'isakmp.tf.id.integ',
  'isakmp.tf.id.prf',
  'isakmp.tf.id.dh',
  'isakmp.key_exchange.dh_group',
  'isakmp.id.data.ipv4_addr',
  'isakmp.id.data.ipv4_subnet',
  '_ws.expert.message',
] as const;
type Field = (typeof FIELDS)[number];
/** One IKE frame: each field's values, in order (several occurrences split at commas). */
type Frame = Record<Field, string[]>;

/** IKEv2 exchange types and notify types (RFC 7296 §3.1, §3.10.1) and IKEv1's (RFC 2408). */
const IKE_SA_INIT = '34';
/** ISAKMP Identity Protection (Main Mode). */
const MAIN_MODE = '2';
const IKE_AUTH = '35';
const CREATE_CHILD_SA = '36';
const QUICK_MODE = '32';
const INFORMATIONAL_V1 = '5';
const NO_PROPOSAL_CHOSEN = '14';
const INVALID_ID_INFORMATION = '18';
const AUTHENTICATION_FAILED = '24';

const GW = '203.0.113.10';
const HQ = '198.51.100.1';
const BRANCH = '198.51.100.2';


/** Run a lab file with --pcap; returns the capture directory. */
function capture(lab: string, file: 'lab.yaml' | 'solution.yaml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'vgw-lab-pcap-'));
  const r = runCli(['run', join(ROOT, 'scenarios', 'labs', lab, file), '--quiet', '--pcap', dir]);
  expect(r.code, r.stderr).toBe(file === 'lab.yaml' ? 1 : 0);
  return dir;
}

/** The IKE frames of DIR/internet.pcap, decoded by tshark, with or without DIR's decryption tables. */
function ikeFrames(dir: string, decrypt: boolean): Frame[] {
  const args = [
    '-r', join(dir, 'internet.pcap'), '-Y', 'isakmp',
    '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,',
    ...FIELDS.flatMap((f) => ['-e', f]),
  ];
  // Plain: an empty configuration directory, so no personal table can decrypt anything.
  const config = decrypt ? dir : mkdtempSync(join(tmpdir(), 'vgw-no-tables-'));
  const out = execFileSync('tshark', args, {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20,
    env: { ...process.env, WIRESHARK_CONFIG_DIR: config },
  });
  return out.split('\n').filter((l) => l.length > 0).map((l) => {
    const cols = l.split('\t');
    return Object.fromEntries(FIELDS.map((f, i) => [f, (cols[i] ?? '').split(',').filter((v) => v.length > 0)])) as Frame;
  });
}

const has = (f: Frame, field: Field, value: string): boolean => f[field].includes(value);
const withNotify = (frames: Frame[], type: string): Frame[] => frames.filter((f) => has(f, 'isakmp.notify.msgtype', type));
const brief = (f: Frame): string => `${f['ip.src'][0]}>${f['ip.dst'][0]} ${f['isakmp.exchangetype'][0]}`;

function noBadChecksum(frames: Frame[]): void {
  expect(frames.flatMap((f) => f['_ws.expert.message']).filter((m) => /incorrect|failed/i.test(m))).toEqual([]);
}

describe('the IKE labs\' captures show what their READMEs say, in tshark', () => {
  it('tshark is installed (CI installs it; this test fails without it)', () => {
    expect(tsharkOk(), 'tshark not found: install it as .ci/run does').toBe(true);
  });

  it('09: hq answers IKE_AUTH with AUTHENTICATION_FAILED, visible only decrypted; the IKEv1 branch never answers gw1, nor gw1 the branch', () => {
    const dir = capture('09-ike-failure-tunnel-down', 'lab.yaml');
    const plain = ikeFrames(dir, false);
    const clear = ikeFrames(dir, true);
    expect(withNotify(plain, AUTHENTICATION_FAILED)).toEqual([]);
    expect(withNotify(clear, AUTHENTICATION_FAILED).map(brief)).toEqual([`${HQ}>${GW} ${IKE_AUTH}`]);
    // The policy-based branch device speaks IKEv1: it never answers gw1's IKEv2, and its own
    // Main Mode (when its traffic needs an SA) goes unanswered by gw1.
    expect(clear.filter((f) => has(f, 'ip.src', BRANCH)).map(brief)).toEqual([`${BRANCH}>${GW} ${MAIN_MODE}`]);
    expect(clear.filter((f) => has(f, 'ip.dst', BRANCH)).map(brief)).toEqual([`${GW}>${BRANCH} ${IKE_SA_INIT}`]);
    noBadChecksum(clear);

    const fixed = ikeFrames(capture('09-ike-failure-tunnel-down', 'solution.yaml'), true);
    expect(withNotify(fixed, AUTHENTICATION_FAILED)).toEqual([]);
    expect(fixed.filter((f) => has(f, 'ip.src', BRANCH)).map(brief)).toEqual([`${BRANCH}>${GW} ${IKE_SA_INIT}`, `${BRANCH}>${GW} ${IKE_AUTH}`]);
    noBadChecksum(fixed);
  });

  it('10: NO_PROPOSAL_CHOSEN from hq in IKE_SA_INIT (in clear) and from the branch in IKE_AUTH (decrypted only), against gw1\'s offers', () => {
    const dir = capture('10-proposal-mismatch-in-the-capture', 'lab.yaml');
    const plain = ikeFrames(dir, false);
    const clear = ikeFrames(dir, true);
    expect(withNotify(plain, NO_PROPOSAL_CHOSEN).map(brief)).toEqual([`${HQ}>${GW} ${IKE_SA_INIT}`]);
    expect(withNotify(clear, NO_PROPOSAL_CHOSEN).map(brief)).toEqual([`${HQ}>${GW} ${IKE_SA_INIT}`, `${BRANCH}>${GW} ${IKE_AUTH}`]);
    // gw1's IKE offer to hq: AES-CBC (256) or 3DES, HMAC-SHA1-96, PRF-HMAC-SHA1, MODP 1024 (group 2).
    const offer = clear.find((f) => has(f, 'ip.dst', HQ) && has(f, 'isakmp.exchangetype', IKE_SA_INIT))!;
    expect([offer['isakmp.tf.id.encr'], offer['isakmp.ike2.attr.key_length'], offer['isakmp.tf.id.integ'], offer['isakmp.tf.id.prf'], offer['isakmp.tf.id.dh']])
      .toEqual([['12', '3'], ['256'], ['2'], ['2'], ['2']]);
    // gw1's ESP offers to the branch: four ESP proposals, AES-CBC 256/128 or 3DES, no AES-GCM (20).
    const espOffer = clear.find((f) => has(f, 'ip.dst', BRANCH) && has(f, 'isakmp.exchangetype', IKE_AUTH))!;
    expect(espOffer['isakmp.prop.protoid']).toEqual(['3', '3', '3', '3']);
    expect(espOffer['isakmp.tf.id.encr']).toEqual(['12', '12', '3', '3']);
    expect(espOffer['isakmp.ike2.attr.key_length']).toEqual(['256', '128']);
    // One IKE SA (the branch's): one line in the table.
    expect(readFileSync(join(dir, 'ikev2_decryption_table'), 'utf8').split('\n').filter((l) => l.length > 0)).toHaveLength(1);
    noBadChecksum(clear);

    const fixed = ikeFrames(capture('10-proposal-mismatch-in-the-capture', 'solution.yaml'), true);
    expect(withNotify(fixed, NO_PROPOSAL_CHOSEN)).toEqual([]);
    expect(fixed.filter((f) => has(f, 'isakmp.exchangetype', IKE_AUTH))).toHaveLength(4);
    noBadChecksum(fixed);
  });

  it('11: hq\'s first child rekey at t=1260 s carries a group 2 KE and is refused; with group 1 it succeeds', () => {
    const clear = ikeFrames(capture('11-pfs-mismatch-at-the-first-rekey', 'lab.yaml'), true);
    const rekeys = clear.filter((f) => has(f, 'isakmp.exchangetype', CREATE_CHILD_SA));
    expect(rekeys.length).toBeGreaterThanOrEqual(2);
    const [request, answer] = rekeys;
    expect([brief(request!), Number(request!['frame.time_relative'][0]), request!['isakmp.key_exchange.dh_group']]).toEqual([`${HQ}>${GW} ${CREATE_CHILD_SA}`, 1260, ['2']]);
    expect([brief(answer!), answer!['isakmp.notify.msgtype']]).toEqual([`${GW}>${HQ} ${CREATE_CHILD_SA}`, [NO_PROPOSAL_CHOSEN]]);
    // Every rekey is refused: retried every 15 s until the old SA expires at 1800 s.
    expect(rekeys.filter((f) => has(f, 'ip.src', GW)).every((f) => has(f, 'isakmp.notify.msgtype', NO_PROPOSAL_CHOSEN))).toBe(true);
    expect(Math.max(...rekeys.map((f) => Number(f['frame.time_relative'][0])))).toBeLessThan(1800);
    noBadChecksum(clear);

    const fixed = ikeFrames(capture('11-pfs-mismatch-at-the-first-rekey', 'solution.yaml'), true);
    const [req, ans] = fixed.filter((f) => has(f, 'isakmp.exchangetype', CREATE_CHILD_SA));
    expect([Number(req!['frame.time_relative'][0]), req!['isakmp.key_exchange.dh_group'], ans!['isakmp.key_exchange.dh_group'], ans!['isakmp.notify.msgtype']])
      .toEqual([1260, ['1'], ['1'], []]);
    noBadChecksum(fixed);
  });

  it('12: the second Quick Mode asks for 10.2.0.0/16 and 192.168.0.0/16 and gets INVALID_ID_INFORMATION, visible only decrypted', () => {
    const dir = capture('12-policy-based-proxy-id-mismatch', 'lab.yaml');
    const plain = ikeFrames(dir, false);
    const clear = ikeFrames(dir, true);
    expect(withNotify(plain, INVALID_ID_INFORMATION)).toEqual([]);
    expect(plain.flatMap((f) => f['isakmp.id.data.ipv4_addr']).filter((a) => a.startsWith('10.'))).toEqual([]);
    const proxyIds = clear.filter((f) => has(f, 'isakmp.exchangetype', QUICK_MODE) && has(f, 'ip.src', GW) && f['isakmp.id.data.ipv4_addr'].length > 0)
      .map((f) => `${f['frame.time_relative'][0]!.replace(/\.0+$/, '')}s ${f['isakmp.id.data.ipv4_addr'].join(' ')} ${f['isakmp.id.data.ipv4_subnet'].join(' ')}`);
    expect(proxyIds).toEqual(['0s 10.1.0.0 192.168.0.0 255.255.0.0 255.255.0.0', '5s 10.2.0.0 192.168.0.0 255.255.0.0 255.255.0.0']);
    expect(withNotify(clear, INVALID_ID_INFORMATION).map(brief)).toEqual([`${HQ}>${GW} ${INFORMATIONAL_V1}`]);
    noBadChecksum(clear);

    const fixed = ikeFrames(capture('12-policy-based-proxy-id-mismatch', 'solution.yaml'), true);
    expect(withNotify(fixed, INVALID_ID_INFORMATION)).toEqual([]);
    // Both pairs negotiate: gw1's request and hq's answer carry the same proxy IDs.
    expect(fixed.filter((f) => has(f, 'isakmp.exchangetype', QUICK_MODE) && has(f, 'ip.src', HQ)).map((f) => f['isakmp.id.data.ipv4_addr'].join(' ')))
      .toEqual(['10.1.0.0 192.168.0.0', '10.2.0.0 192.168.0.0']);
    noBadChecksum(fixed);
  });
});
