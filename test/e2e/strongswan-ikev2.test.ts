/**
 * vgwsim's IKEv2 endpoint against a real strongSwan charon 5.9 (test/support/strongswan.ts):
 * the endpoint runs on real UDP sockets in the harness's namespace
 * (test/fixtures/strongswan/ikev2-endpoint.mjs, 127.0.0.2:500/4500 ↔ charon
 * 127.0.0.1:5500/5501), as initiator and as responder (`swanctl --initiate`).
 *
 * With kernel-libipsec charon supports only UDP-encapsulated ESP and fakes a NAT
 * (strongswan-interop.md §6), so the endpoint does NAT detection and moves to 4500: both
 * sides establish, charon logs the CHILD_SA with our SPIs the other way round, every key we
 * derived (SK_e*, SK_a*, the child's four keys) equals charon's level-4 dump, and one ICMP
 * echo goes through the child as ESP-in-UDP and comes back as charon's kernel's echo reply;
 * a PFS child rekey and an IKE rekey we start, and an IKE rekey charon starts, give the keys
 * charon gives, SA by SA.
 * A wrong PSK and an IKE proposal mismatch give the right status here and charon's own log
 * lines there, in both roles where charon can show it.
 *
 * Needs root and the packages .ci/install-strongswan installs: without them these tests
 * FAIL (the error names what is missing), they never skip.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, ensureBuilt } from '../support/run-cli.js';
import { CHARON_KEY_LABELS, parseCharonKeys, runWithCharon, TEST_PSK, type CharonChild, type CharonRunResult } from '../support/strongswan.js';

const SCRIPT = join(ROOT, 'test', 'fixtures', 'strongswan', 'ikev2-endpoint.mjs');

interface Out {
  readonly kind: string;
  readonly t: number;
  readonly [k: string]: unknown;
}

interface ScriptResult {
  readonly outputs: Out[];
  readonly ping: { sent: string; spi: number; reply?: { spi: number; inner: string } | { drop: string; message: string } } | null;
}

interface Spec {
  readonly initiator: boolean;
  readonly psk?: string;
  readonly ike?: readonly string[];
  readonly esp?: readonly string[];
  readonly natTraversal?: boolean;
  readonly selectors?: readonly (readonly [string, string])[];
  readonly ping?: { src: string; dst: string } | null;
  readonly lifetimes?: { ike: number; child: number; margin: number };
  readonly until?: { childUps: number; ikeKeys: number };
  readonly waitMs?: number;
}

const CHILD: CharonChild = { name: 'rb', localTs: ['10.1.0.0/24'], remoteTs: ['10.2.0.0/24'], espProposals: ['aes256-sha1'] };

async function run(
  spec: Spec,
  charon: { proposals?: string[]; esp?: string[]; psk?: string; kernel?: 'netlink' | 'libipsec'; initiate?: boolean; ikeRekeyS?: number },
): Promise<{ r: CharonRunResult; got: ScriptResult }> {
  const full = {
    psk: TEST_PSK,
    ike: ['aes256-sha1-modp1024'],
    esp: ['aes256-sha1'],
    natTraversal: true,
    selectors: [['10.2.0.0/24', '10.1.0.0/24']],
    ping: null,
    waitMs: 8000,
    seed: 12,
    ...spec,
  };
  const r = await runWithCharon({
    charon: {
      kernel: charon.kernel ?? 'libipsec',
      connections: [
        {
          name: 'rb',
          version: 2,
          proposals: charon.proposals ?? ['aes256-sha1-modp1024'],
          psk: charon.psk ?? TEST_PSK,
          ...(charon.ikeRekeyS ? { rekeyTimeS: charon.ikeRekeyS, overTimeS: 1 } : {}),
          children: [{ ...CHILD, espProposals: charon.esp ?? CHILD.espProposals }],
        },
      ],
    },
    extraAddresses: ['10.1.0.1/32'],
    script: { path: SCRIPT, args: [JSON.stringify(full)], timeoutS: 15 },
    ...(charon.initiate ? { initiate: { child: 'rb', timeoutS: 5 } } : {}),
    timeoutS: 30,
  });
  const lines = (r.script?.stdout ?? '').split('\n').filter((l) => l.length > 0);
  expect(lines, `script stderr: ${r.script?.stderr}\ncharon log tail:\n${r.charonLog.slice(-3000)}`).toHaveLength(1);
  return { r, got: JSON.parse(lines[0]!) as ScriptResult };
}

function of(got: ScriptResult, kind: string): Out[] {
  return got.outputs.filter((o) => o.kind === kind);
}

function statusOf(got: ScriptResult): Out[] {
  return of(got, 'status');
}

function hexOfCharon(log: string, label: string): string[] {
  return (parseCharonKeys(log).get(label) ?? []).map((b) => Buffer.from(b).toString('hex'));
}

function spi8(n: unknown): string {
  return (Number(n) >>> 0).toString(16).padStart(8, '0');
}

/** Our keys equal charon's dumps: IKE SA keys and the child's four. */
function expectKeysEqualCharon(r: CharonRunResult, got: ScriptResult): void {
  const [k] = of(got, 'ike-sa-keys');
  expect(k, 'ike-sa-keys output').toBeDefined();
  expect(hexOfCharon(r.charonLog, CHARON_KEY_LABELS.skEi)).toEqual([k!['skEi']]);
  expect(hexOfCharon(r.charonLog, CHARON_KEY_LABELS.skEr)).toEqual([k!['skEr']]);
  expect(hexOfCharon(r.charonLog, CHARON_KEY_LABELS.skAi)).toEqual([k!['skAi']]);
  expect(hexOfCharon(r.charonLog, CHARON_KEY_LABELS.skAr)).toEqual([k!['skAr']]);
  const [c] = of(got, 'child-up');
  expect(c, 'child-up output').toBeDefined();
  expect(hexOfCharon(r.charonLog, CHARON_KEY_LABELS.encrI)).toEqual([c!['encI']]);
  expect(hexOfCharon(r.charonLog, CHARON_KEY_LABELS.encrR)).toEqual([c!['encR']]);
  expect(hexOfCharon(r.charonLog, CHARON_KEY_LABELS.integI)).toEqual([c!['integI']]);
  expect(hexOfCharon(r.charonLog, CHARON_KEY_LABELS.integR)).toEqual([c!['integR']]);
}

describe('IKEv2 endpoint against strongSwan', () => {
  beforeAll(() => {
    ensureBuilt();
  });

  it('we initiate: NAT-T to charon\'s faked NAT, both established, keys equal charon\'s, a ping round-trips through ESP-in-UDP', async () => {
    const { r, got } = await run({ initiator: true, ping: { src: '10.2.0.2', dst: '10.1.0.1' } }, {});
    expect(statusOf(got).map((s) => s['status']), r.charonLog.slice(-3000)).toEqual(['IPSEC_SESSION_ESTABLISHED']);
    const sends = of(got, 'send').map((s) => [s['summary'], s['sport'], s['dport']]);
    expect(sends).toEqual([
      ['IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) ]', 500, 5500],
      ['IKE_AUTH request 1 [ IDi IDr AUTH SA TSi TSr ]', 4500, 5501],
    ]);
    expect(r.charonLog).toContain('faking NAT situation to enforce UDP encapsulation');
    expect(got.outputs.some((o) => o.kind === 'log' && o['text'] === 'remote host is behind NAT')).toBe(true);
    expect(r.charonLog).toContain("authentication of '127.0.0.2' with pre-shared key successful");
    const [c] = of(got, 'child-up');
    expect(r.charonLog).toContain(`CHILD_SA rb{1} established with SPIs ${spi8(c!['outboundSpi'])}_i ${spi8(c!['inboundSpi'])}_o and TS 10.1.0.0/24 === 10.2.0.0/24`);
    expect(c!['selectors']).toEqual([['10.2.0.0/24', '10.1.0.0/24']]);
    expectKeysEqualCharon(r, got);
    // The echo went in, charon's kernel answered, the reply came back on our inbound SPI.
    const reply = got.ping?.reply;
    expect(reply && 'inner' in reply, JSON.stringify(got.ping)).toBe(true);
    if (!reply || !('inner' in reply)) return;
    expect(reply.spi).toBe(c!['inboundSpi']);
    const inner = Buffer.from(reply.inner, 'hex');
    expect([inner[9], inner.subarray(12, 16).join('.'), inner.subarray(16, 20).join('.'), inner[20]]).toEqual([1, '10.1.0.1', '10.2.0.2', 0]);
    expect(r.charonLog).toMatch(/parsed ESP header with SPI [0-9a-f]+/);
  });

  it('charon initiates (swanctl --initiate): we answer as responder, both established, keys equal charon\'s', async () => {
    const { r, got } = await run({ initiator: false }, { initiate: true });
    expect(statusOf(got).map((s) => s['status']), r.charonLog.slice(-3000)).toEqual(['IPSEC_SESSION_ESTABLISHED']);
    expect(r.initiate?.code, r.initiate?.stdout).toBe(0);
    expect(r.charonLog).toContain("authentication of '127.0.0.2' with pre-shared key successful");
    const received = of(got, 'received').map((o) => o['summary']);
    expect(received[0]).toMatch(/^IKE_SA_INIT request 0 \[ SA KE No N\(NATD_S_IP\) N\(NATD_D_IP\)/);
    expect(received[1]).toMatch(/^IKE_AUTH request 1 \[ IDi .*AUTH SA TSi TSr/);
    expect(of(got, 'received')[1]!['dport']).toBe(4500);
    const [c] = of(got, 'child-up');
    expect(c!['weInitiated']).toBe(false);
    expect(r.charonLog).toContain(`CHILD_SA rb{1} established with SPIs ${spi8(c!['outboundSpi'])}_i ${spi8(c!['inboundSpi'])}_o`);
    expectKeysEqualCharon(r, got);
  });

  it('rekeys against charon: our PFS child rekey and IKE rekey derive exactly the keys charon derives', async () => {
    const esp = ['aes256-sha1-modp1024'];
    const { r, got } = await run({ initiator: true, esp, lifetimes: { ike: 7, child: 4.5, margin: 1 }, until: { childUps: 2, ikeKeys: 2 }, waitMs: 12000 }, { esp });
    const sends = of(got, 'send').map((s) => String(s['summary']));
    expect(sends, r.charonLog.slice(-3000)).toContain('CREATE_CHILD_SA request 2 [ N(REKEY_SA) SA No KE TSi TSr ]');
    expect(sends.some((x) => /^CREATE_CHILD_SA request \d+ \[ SA No KE \]$/.test(x))).toBe(true);
    const ikeKeys = of(got, 'ike-sa-keys');
    const childKeys = of(got, 'child-up');
    expect(ikeKeys).toHaveLength(2);
    expect(childKeys.length).toBeGreaterThanOrEqual(2);
    // Every IKE SA and every child, in order: charon's level-4 dumps equal ours.
    expect(hexOfCharon(r.charonLog, CHARON_KEY_LABELS.skEi)).toEqual(ikeKeys.map((k) => k['skEi']));
    expect(hexOfCharon(r.charonLog, CHARON_KEY_LABELS.skAr)).toEqual(ikeKeys.map((k) => k['skAr']));
    expect(hexOfCharon(r.charonLog, CHARON_KEY_LABELS.encrI).slice(0, childKeys.length)).toEqual(childKeys.map((c) => c['encI']));
    expect(hexOfCharon(r.charonLog, CHARON_KEY_LABELS.integR).slice(0, childKeys.length)).toEqual(childKeys.map((c) => c['integR']));
    const second = childKeys[1]!;
    expect(r.charonLog).toContain(`CHILD_SA rb{2} established with SPIs ${spi8(second['outboundSpi'])}_i ${spi8(second['inboundSpi'])}_o`);
    expect(r.charonLog).toMatch(/IKE_SA rb\[2\] rekeyed between 127\.0\.0\.1\[127\.0\.0\.1\]\.\.\.127\.0\.0\.2\[127\.0\.0\.2\]/);
    // The child rekey used PFS: charon 5.9 dumps a child's g^ir as "DH secret" (its IKE SAs' as
    // "shared Diffie Hellman secret"), 128 bytes for MODP_1024; IKE_AUTH's child had none.
    const childDh = hexOfCharon(r.charonLog, 'DH secret');
    expect(childDh.length).toBeGreaterThanOrEqual(1);
    expect(childDh.every((h) => h.length === 256)).toBe(true);
    expect(hexOfCharon(r.charonLog, CHARON_KEY_LABELS.dhSecret)).toHaveLength(2);
    expect(statusOf(got).map((s) => s['status'])).toEqual(['IPSEC_SESSION_ESTABLISHED']);
  });

  it('charon rekeys the IKE SA: we answer, and the rekeyed SA\'s keys are the ones charon derives', async () => {
    // (charon's userspace ESP expires child SAs only at their hard lifetime, so charon cannot
    // start a child rekey here; our own child rekeys are checked against it above.)
    const { r, got } = await run({ initiator: true, until: { childUps: 1, ikeKeys: 2 }, waitMs: 12000 }, { ikeRekeyS: 4 });
    const received = of(got, 'received').map((o) => String(o['summary']));
    expect(received, r.charonLog.slice(-3000)).toEqual(expect.arrayContaining([expect.stringMatching(/^CREATE_CHILD_SA request \d+ \[ SA No KE \]$/), 'INFORMATIONAL request 1 [ D ]']));
    const ikeKeys = of(got, 'ike-sa-keys');
    expect(ikeKeys).toHaveLength(2);
    expect(hexOfCharon(r.charonLog, CHARON_KEY_LABELS.skEr).slice(0, 2)).toEqual(ikeKeys.map((k) => k['skEr']));
    expect(hexOfCharon(r.charonLog, CHARON_KEY_LABELS.skAi).slice(0, 2)).toEqual(ikeKeys.map((k) => k['skAi']));
    expect(r.charonLog).toMatch(/IKE_SA rb\[2\] rekeyed between/);
    expect(got.outputs.some((o) => o.kind === 'log' && o['text'] === 'received DELETE for IKE_SA vgw[1]')).toBe(true);
    // The child moved to the new IKE SA untouched.
    expect(of(got, 'child-down')).toEqual([]);
  });

  it('a wrong PSK, we initiate: AUTHENTICATION_FAILED here, "MAC mismatched" in charon\'s log', async () => {
    const { r, got } = await run({ initiator: true, psk: 'not-the-test-psk' }, {});
    const [s] = statusOf(got);
    expect([s!['status'], s!['notify']]).toEqual(['IKE_PHASE1_KEY_MISMATCH', 'AUTHENTICATION_FAILED']);
    expect(r.charonLog).toMatch(/tried 1 shared key for '127\.0\.0\.1' - '127\.0\.0\.2', but MAC mismatched/);
    expect(r.charonLog).toContain('generating IKE_AUTH response 1 [ N(AUTH_FAILED) ]');
  });

  it('a wrong PSK, charon initiates: we refuse its AUTH, charon reads AUTHENTICATION_FAILED', async () => {
    const { r, got } = await run({ initiator: false, psk: 'not-the-test-psk' }, { initiate: true });
    const [s] = statusOf(got);
    expect([s!['status'], s!['notify']]).toEqual(['IKE_PHASE1_KEY_MISMATCH', 'AUTHENTICATION_FAILED']);
    expect(got.outputs.some((o) => o.kind === 'log' && /^tried 1 shared key for '127\.0\.0\.2' - '127\.0\.0\.1', but MAC mismatched$/.test(String(o['text'])))).toBe(true);
    expect(r.charonLog).toContain('received AUTHENTICATION_FAILED notify error');
    expect(r.initiate?.code).not.toBe(0);
  });

  it('an IKE proposal mismatch, we initiate: NO_PROPOSAL_CHOSEN here, "received proposals unacceptable" in charon\'s log', async () => {
    const { r, got } = await run({ initiator: true }, { proposals: ['aes128-sha256-modp2048'] });
    expect(statusOf(got)).toEqual([
      expect.objectContaining({ status: 'IKE_PHASE1_FAILED', notify: 'NO_PROPOSAL_CHOSEN', detail: 'we offered aes256-sha1-modp1024; the peer accepted none of them' }),
    ]);
    expect(r.charonLog).toContain('received proposals unacceptable');
    expect(r.charonLog).toContain('generating IKE_SA_INIT response 0 [ N(NO_PROP) ]');
  });

  it('an IKE proposal mismatch, charon initiates: we answer NO_PROPOSAL_CHOSEN naming both sides, charon logs the notify', async () => {
    const { r, got } = await run({ initiator: false, ike: ['aes128-sha256-modp2048'] }, { initiate: true });
    const [s] = statusOf(got);
    expect([s!['status'], s!['notify'], s!['detail']]).toEqual(['IKE_PHASE1_FAILED', 'NO_PROPOSAL_CHOSEN', 'we accept aes128-sha256-modp2048, the peer offered aes256-sha1-modp1024']);
    expect(r.charonLog).toContain('received NO_PROPOSAL_CHOSEN notify error');
  });
});
