/**
 * vgwsim's IKEv1 endpoint against a real strongSwan charon 5.9 (swanctl `version = 1`), over
 * real UDP in the harness's private namespace (test/support/strongswan.ts): the fixture
 * test/fixtures/strongswan/ikev1-endpoint.mjs runs the built endpoint on 127.0.0.2:500/4500,
 * charon listens on 127.0.0.1:5500/5501.
 *
 * - vgwsim initiates, charon answers (kernel-libipsec, so charon fakes a NAT and ESP runs in
 *   UDP): Main Mode, Quick Mode, one ICMP echo through ESP-in-UDP answered by charon's
 *   namespace, close() deletes that charon acts on; SKEYID, SKEYID_d/_a/_e, Ka and the Quick
 *   Mode keys equal charon's level-4 dumps;
 * - charon initiates (`swanctl --initiate`), vgwsim answers: the same checks;
 * - wrong PSK either way: IKE_PHASE1_KEY_MISMATCH on our side, charon's own words on its side;
 * - proxy-ID mismatch either way: TRAFFIC_SELECTOR_MISMATCH on our side, charon's words;
 * - Main Mode proposal mismatch: IKE_PHASE1_FAILED on our side, "no proposal found" on charon's.
 *
 * Needs root and the packages .ci/install-strongswan installs: without them these tests FAIL
 * (the harness names what is missing), they never skip.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../support/run-cli.js';
import { CHARON_KEY_LABELS, parseCharonKeys, runWithCharon, TEST_PSK, type CharonConnection, type CharonRunResult } from '../support/strongswan.js';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'strongswan', 'ikev1-endpoint.mjs');

beforeAll(() => {
  ensureBuilt();
});

interface Output {
  readonly t: number;
  readonly kind: string;
  readonly summary?: string;
  readonly problem?: string | null;
  readonly text?: string;
  readonly status?: string;
  readonly detail?: string;
  readonly notify?: string | null;
  readonly cookieI?: string;
  readonly ka?: string;
  readonly inboundSpi?: number;
  readonly outboundSpi?: number;
  readonly weInitiated?: boolean;
  readonly lifetime?: number;
  readonly i2r?: { enc: string; auth: string };
  readonly r2i?: { enc: string; auth: string };
}

interface FixtureResult {
  readonly outputs: readonly Output[];
  readonly sas: readonly { name: string; state: string; natThere: boolean; localPort: number; remotePort: number; keys: Record<string, string> | null }[];
  readonly ping: { sent: boolean; reply: { src: string; dst: string; icmp: { kind: string; data: string } } | null; problem: string | null };
}

interface Spec {
  readonly initiator: boolean;
  readonly psk?: string;
  readonly ike?: readonly string[];
  readonly esp?: readonly string[];
  readonly pairs?: readonly (readonly [string, string])[];
  readonly natt?: boolean;
  readonly close?: boolean;
  readonly ping?: { from: string; to: string };
}

const CHILD = { name: 'pb', localTs: ['10.1.0.0/16'], remoteTs: ['10.2.0.0/16'], espProposals: ['aes256-sha1'] };

function charonPb(over: Partial<CharonConnection> = {}): CharonConnection {
  return { name: 'pb', version: 1, proposals: ['aes256-sha1-modp1024'], children: [CHILD], ...over };
}

async function run(spec: Spec, charon: CharonConnection, kernel: 'netlink' | 'libipsec', initiate = false): Promise<{ r: CharonRunResult; out: FixtureResult }> {
  const full = {
    initiator: spec.initiator,
    psk: spec.psk ?? TEST_PSK,
    ike: spec.ike ?? ['aes256-sha1-modp1024'],
    esp: spec.esp ?? ['aes256-sha1'],
    pairs: spec.pairs ?? [['10.2.0.0/16', '10.1.0.0/16']],
    acquire: spec.initiator ? (spec.pairs ?? [['10.2.0.0/16', '10.1.0.0/16']])[0] : null,
    seed: 1,
    natt: spec.natt ?? true,
    settleS: 0.6,
    timeoutS: 8,
    close: spec.close ?? false,
    ping: spec.ping ?? null,
  };
  const r = await runWithCharon({
    charon: { kernel, connections: [charon] },
    extraAddresses: ['10.1.0.1/32'],
    script: { path: FIXTURE, args: [JSON.stringify(full)], timeoutS: 12 },
    ...(initiate ? { initiate: { child: 'pb', timeoutS: 5 } } : {}),
  });
  expect(r.script!.code, `fixture stderr:\n${r.script!.stderr}\ncharon log tail:\n${r.charonLog.slice(-3000)}`).toBe(0);
  return { r, out: JSON.parse(r.script!.stdout) as FixtureResult };
}

const of = (out: FixtureResult, kind: string): Output[] => out.outputs.filter((o) => o.kind === kind);
const logs = (out: FixtureResult): string[] => of(out, 'log').map((o) => o.text!);
const spi = (n: number): string => n.toString(16).padStart(8, '0');
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** charon's only dump under `label`. */
function charonKey(r: CharonRunResult, label: string): string {
  const list = parseCharonKeys(r.charonLog).get(label) ?? [];
  expect(list, `charon logged "${label}" once`).toHaveLength(1);
  return hex(list[0]!);
}

/** Our SKEYID, SKEYID_d/_a/_e and Ka equal charon's level-4 dumps. */
function phase1KeysAgree(r: CharonRunResult, out: FixtureResult): void {
  const keys = out.sas[0]!.keys!;
  expect(charonKey(r, CHARON_KEY_LABELS.skeyid)).toBe(keys['skeyid']);
  expect(charonKey(r, CHARON_KEY_LABELS.skeyidD)).toBe(keys['skeyidD']);
  expect(charonKey(r, CHARON_KEY_LABELS.skeyidA)).toBe(keys['skeyidA']);
  expect(charonKey(r, CHARON_KEY_LABELS.skeyidE)).toBe(keys['skeyidE']);
  expect(charonKey(r, CHARON_KEY_LABELS.ka)).toBe(keys['ka']);
  expect(of(out, 'ike-sa-keys')[0]!.ka).toBe(keys['ka']);
}

/** Our phase-1 and Quick Mode keys equal charon's level-4 dumps. */
function keysAgree(r: CharonRunResult, out: FixtureResult): void {
  phase1KeysAgree(r, out);
  const [child] = of(out, 'child-up');
  expect(charonKey(r, CHARON_KEY_LABELS.encrI)).toBe(child!.i2r!.enc);
  expect(charonKey(r, CHARON_KEY_LABELS.integI)).toBe(child!.i2r!.auth);
  expect(charonKey(r, CHARON_KEY_LABELS.encrR)).toBe(child!.r2i!.enc);
  expect(charonKey(r, CHARON_KEY_LABELS.integR)).toBe(child!.r2i!.auth);
}

describe('IKEv1 endpoint against strongSwan charon', () => {
  it('vgwsim initiates: Main Mode, Quick Mode, a ping through ESP-in-UDP, deletes; keys equal charon\'s', async () => {
    const { r, out } = await run({ initiator: true, close: true, ping: { from: '10.2.0.2', to: '10.1.0.1' } }, charonPb(), 'libipsec');
    expect(of(out, 'status').map((s) => s.status)).toEqual(['IPSEC_SESSION_ESTABLISHED']);
    expect(of(out, 'received').every((o) => o.problem === null)).toBe(true);
    expect(logs(out)).toEqual(expect.arrayContaining(['received NAT-T (RFC 3947) vendor ID', 'remote host is behind NAT', 'IKE_SA pb[1] established between 127.0.0.2[127.0.0.2]...127.0.0.1[127.0.0.1]']));
    expect(out.sas[0]!.natThere).toBe(true);
    expect([out.sas[0]!.localPort, out.sas[0]!.remotePort]).toEqual([4500, 5501]);
    const [child] = of(out, 'child-up');
    expect(child!.weInitiated).toBe(true);
    // charon: ISAKMP SA, CHILD_SA with our SPIs the other way round, our lifetimes read as strongSwan reads them.
    expect(r.charonLog).toContain('IKE_SA pb[1] established between 127.0.0.1[127.0.0.1]...127.0.0.2[127.0.0.2]');
    expect(r.charonLog).toContain(`CHILD_SA pb{1} established with SPIs ${spi(child!.outboundSpi!)}_i ${spi(child!.inboundSpi!)}_o and TS 10.1.0.0/16 === 10.2.0.0/16`);
    expect(r.charonLog).toContain('received 3600s lifetime, configured 3960s');
    expect(r.charonLog).toContain('received 102400000000 lifebytes, configured 0');
    // The ping: our ESP-in-UDP reached charon's namespace and its answer came back in ESP-in-UDP.
    expect(out.ping.problem).toBeNull();
    expect(out.ping.reply).toEqual({ src: '10.1.0.1', dst: '10.2.0.2', icmp: { kind: 'echo-reply', ident: 0x1234, seq: 1, data: 'vgwsim ikev1 ping' } });
    expect(r.charonLog).toContain(`parsed ESP header with SPI ${spi(child!.outboundSpi!)} [seq 1]`);
    // close(): charon acts on both deletes.
    expect(r.charonLog).toContain(`received DELETE for ESP CHILD_SA with SPI ${spi(child!.inboundSpi!)}`);
    expect(r.charonLog).toContain('received DELETE for IKE_SA pb[1]');
    keysAgree(r, out);
  });

  it('charon initiates, vgwsim answers: the same tunnel, charon\'s lifetimes taken, keys equal charon\'s', async () => {
    const { r, out } = await run({ initiator: false, ping: { from: '10.2.0.2', to: '10.1.0.1' } }, charonPb(), 'libipsec', true);
    expect(r.initiate!.code, r.initiate!.stdout + r.initiate!.stderr).toBe(0);
    expect(of(out, 'status').map((s) => s.status)).toEqual(['IPSEC_SESSION_ESTABLISHED']);
    expect(logs(out)).toEqual(expect.arrayContaining(['127.0.0.1 is initiating a Main Mode IKE_SA', 'received 3960s lifetime, configured 3600s', 'received 0 lifebytes, configured 102400000000']));
    const [child] = of(out, 'child-up');
    expect(child!.weInitiated).toBe(false);
    expect(child!.lifetime).toBe(3960);
    expect(r.charonLog).toContain(`CHILD_SA pb{1} established with SPIs ${spi(child!.outboundSpi!)}_i ${spi(child!.inboundSpi!)}_o and TS 10.1.0.0/16 === 10.2.0.0/16`);
    expect(out.ping.reply?.icmp.kind).toBe('echo-reply');
    keysAgree(r, out);
  });

  it('wrong PSK, vgwsim initiating: IKE_PHASE1_KEY_MISMATCH here; charon cannot read MM5 and says PAYLOAD_MALFORMED', async () => {
    const { r, out } = await run({ initiator: true, psk: 'not-the-test-psk' }, charonPb(), 'netlink');
    const [s] = of(out, 'status');
    expect(s!.status).toBe('IKE_PHASE1_KEY_MISMATCH');
    expect(logs(out)).toContain('ignore malformed INFORMATIONAL request');
    expect(r.charonLog).toMatch(/invalid \w+ payload length, decryption failed\?|calculated HASH does not match HASH payload/);
    expect(r.charonLog).toMatch(/generating INFORMATIONAL_V1 request \d+ \[ HASH N\((PLD_MAL|AUTH_FAILED)\) \]/);
    expect(of(out, 'child-up')).toEqual([]);
  });

  it('wrong PSK, charon initiating: vgwsim cannot read MM5, answers PAYLOAD_MALFORMED, IKE_PHASE1_KEY_MISMATCH', async () => {
    const { r, out } = await run({ initiator: false, psk: 'not-the-test-psk' }, charonPb(), 'netlink', true);
    const [s] = of(out, 'status');
    expect([s!.status, s!.notify]).toEqual(['IKE_PHASE1_KEY_MISMATCH', 'PAYLOAD_MALFORMED']);
    expect(logs(out)).toEqual(expect.arrayContaining(['message parsing failed', 'ID_PROT request with message ID 0 processing failed']));
    expect(r.charonLog).toMatch(/parsed INFORMATIONAL_V1|decryption failed\?/);
    expect(r.initiate!.code).not.toBe(0);
  });

  it('proxy-ID mismatch, vgwsim initiating: charon sends INVALID_ID_INFORMATION, TRAFFIC_SELECTOR_MISMATCH here', async () => {
    const { r, out } = await run({ initiator: true, pairs: [['10.2.0.0/16', '10.9.0.0/16']] }, charonPb(), 'netlink');
    expect(r.charonLog).toContain('no matching CHILD_SA config found for 10.2.0.0/16 === 10.9.0.0/16');
    expect(r.charonLog).toMatch(/generating INFORMATIONAL_V1 request \d+ \[ HASH N\(INVAL_ID\) \]/);
    const [s] = of(out, 'status');
    expect([s!.status, s!.notify]).toEqual(['TRAFFIC_SELECTOR_MISMATCH', 'INVALID_ID_INFORMATION']);
    expect(s!.detail).toContain('we offered 10.2.0.0/16 === 10.9.0.0/16');
    expect(logs(out)).toContain('received INVALID_ID_INFORMATION error notify');
    phase1KeysAgree(r, out);
  });

  it('proxy-ID mismatch, charon initiating: vgwsim refuses with INVALID_ID_INFORMATION and charon reads it', async () => {
    const { r, out } = await run({ initiator: false, pairs: [['10.9.0.0/16', '10.1.0.0/16']] }, charonPb(), 'netlink', true);
    const [s] = of(out, 'status');
    expect([s!.status, s!.notify]).toEqual(['TRAFFIC_SELECTOR_MISMATCH', 'INVALID_ID_INFORMATION']);
    expect(s!.detail).toBe('proxy IDs differ: the peer asked for 10.2.0.0/16 === 10.1.0.0/16 (our side === its side); we have 10.9.0.0/16 === 10.1.0.0/16');
    expect(r.charonLog).toContain('received INVALID_ID_INFORMATION error notify');
  });

  it('Main Mode proposal mismatch, vgwsim initiating: charon finds no proposal, IKE_PHASE1_FAILED here', async () => {
    const { r, out } = await run({ initiator: true, ike: ['aes128-sha256-modp2048'] }, charonPb(), 'netlink');
    expect(r.charonLog).toContain('no proposal found');
    const [s] = of(out, 'status');
    expect([s!.status, s!.notify]).toEqual(['IKE_PHASE1_FAILED', 'NO_PROPOSAL_CHOSEN']);
    expect(logs(out)).toContain('received NO_PROPOSAL_CHOSEN error notify');
  });
});
