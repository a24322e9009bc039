/**
 * The strongSwan harness (test/support/strongswan.ts) works, with no vgwsim IKE at all:
 * a real charon 5.9 runs in a private namespace beside small plain-JS fixtures
 * (test/fixtures/strongswan/), and what charon sends, logs and lists is checked here
 * with a decoder written by hand from the RFCs (test/support/ike-by-hand.ts).
 *
 * (a) charon initiates IKEv2: its IKE_SA_INIT offers the configured proposals;
 * (b) charon initiates IKEv1: Main Mode message 1 carries the configured attributes;
 * (c) charon answers our IKE_SA_INIT: the keys its level-4 log holds are the keys
 *     RFC 7296 gives for the exchanged bytes (computed here with node:crypto), and
 *     `swanctl --list-sas` shows that half-open SA;
 * (d) nothing is left: charon's PID is gone and the host's /run has no charon files;
 * plus a config charon refuses fails at the step "load", with charon's words, and a
 * missing program is named before anything runs.
 *
 * Needs root and the packages .ci/install-strongswan installs: without them these tests
 * FAIL (the error names what is missing), they never skip.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Prng } from '../../sim/util/prng.js';
import { ikeHeader, ikev1Sa, ikev2Proposals, payloadChain, type Ikev1Attribute, type RawPayload } from '../support/ike-by-hand.js';
import { ikev2SaKeysSha1, modp1024Shared } from '../support/ikev2-keys-by-hand.js';
import { ROOT } from '../support/run-cli.js';
import {
  CHARON_ADDR,
  CHARON_KEY_LABELS,
  CHARON_PORT,
  CharonHarnessError,
  PEER_ADDR,
  charonHarnessProblems,
  parseCharonKeys,
  parseListSas,
  runWithCharon,
  type CharonRunResult,
} from '../support/strongswan.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'strongswan');
const FIRST_DATAGRAM = join(FIXTURES, 'first-datagram.mjs');
const SA_INIT = join(FIXTURES, 'ikev2-sa-init.mjs');

/** charon PIDs of every run in this file, for (d). */
const charonPids: number[] = [];
function remember(r: CharonRunResult): CharonRunResult {
  charonPids.push(r.charonPid);
  return r;
}

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

function fromHex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s, 'hex'));
}

/** The one JSON line a fixture printed. */
function scriptJson(r: CharonRunResult): Record<string, unknown> {
  expect(r.script, 'the run had a script').not.toBeNull();
  const lines = r.script!.stdout.split('\n').filter((l) => l.length > 0);
  expect(lines, `script stderr: ${r.script!.stderr}\ncharon log tail:\n${r.charonLog.slice(-2000)}`).toHaveLength(1);
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

function payloadOf(chain: readonly RawPayload[], type: number): RawPayload {
  const p = chain.find((x) => x.type === type);
  expect(p, `payload type ${type} in [${chain.map((x) => x.type).join(', ')}]`).toBeDefined();
  return p!;
}

function attributes(list: readonly Ikev1Attribute[]): Record<number, number | string> {
  return Object.fromEntries(list.map((a) => [a.type, typeof a.value === 'number' ? a.value : hex(a.value)]));
}

const child = { name: 'c1', localTs: ['10.1.0.0/16'], remoteTs: ['10.2.0.0/16'], espProposals: ['aes256-sha1'] };

describe('strongSwan harness', () => {
  it('(a) charon as IKEv2 initiator: IKE_SA_INIT offers the configured proposals', async () => {
    const r = remember(
      await runWithCharon({
        charon: { connections: [{ name: 'rb', version: 2, proposals: ['aes256-sha1-modp1024', 'aes128-sha256-modp2048'], children: [child] }] },
        initiate: { child: 'c1', timeoutS: 3 },
        script: { path: FIRST_DATAGRAM, args: ['--reply', 'ikev2-no-proposal'] },
      }),
    );
    expect(r.script!.code, r.script!.stderr).toBe(0);
    const got = scriptJson(r);
    expect([got['from'], got['port']]).toEqual([CHARON_ADDR, CHARON_PORT]);
    const msg = fromHex(got['hex'] as string);
    expect(r.charonLog).toContain(`sending packet: from ${CHARON_ADDR}[${CHARON_PORT}] to ${PEER_ADDR}[500] (${msg.length} bytes)`);

    const h = ikeHeader(msg);
    expect(h.version).toBe(0x20);
    expect(h.exchangeType).toBe(34);
    expect(h.flags).toBe(0x08); // Initiator, not Response, Version 0
    expect(h.messageId).toBe(0);
    expect(h.length).toBe(msg.length);
    expect(hex(h.spiR)).toBe('0000000000000000');
    expect(hex(h.spiI)).not.toBe('0000000000000000');

    const chain = payloadChain(msg);
    expect(chain[0]!.type).toBe(33); // SA first
    const proposals = ikev2Proposals(payloadOf(chain, 33).body);
    const byType = (p: (typeof proposals)[number]) =>
      [...p.transforms].sort((x, y) => x.type - y.type).map((t) => [t.type, t.id, t.keyLength]);
    expect(proposals.map((p) => [p.number, p.protocol, p.spi.length])).toEqual([
      [1, 1, 0],
      [2, 1, 0],
    ]);
    // ENCR(1) AES_CBC=12 with key length; PRF(2) HMAC_SHA1=2 / HMAC_SHA2_256=5;
    // INTEG(3) HMAC_SHA1_96=2 / HMAC_SHA2_256_128=12; DH(4) MODP 1024=2 / 2048=14.
    expect(byType(proposals[0]!)).toEqual([
      [1, 12, 256],
      [2, 2, null],
      [3, 2, null],
      [4, 2, null],
    ]);
    expect(byType(proposals[1]!)).toEqual([
      [1, 12, 128],
      [2, 5, null],
      [3, 12, null],
      [4, 14, null],
    ]);
    const ke = payloadOf(chain, 34).body;
    expect((ke[0]! << 8) | ke[1]!).toBe(2); // the first proposal's group
    expect(ke.length - 4).toBe(128);
    const nonce = payloadOf(chain, 40).body;
    expect(nonce.length).toBeGreaterThanOrEqual(16);
    expect(nonce.length).toBeLessThanOrEqual(256);

    // charon read the fixture's answer and gave up at once.
    expect(r.charonLog).toContain('received NO_PROPOSAL_CHOSEN notify error');
    expect(r.initiate!.code).not.toBe(0);
    expect(r.charonExit).toBe(0);
  });

  it('(b) charon as IKEv1 initiator: Main Mode message 1 carries the configured attributes', async () => {
    const r = remember(
      await runWithCharon({
        charon: {
          connections: [
            { name: 'pb', version: 1, proposals: ['aes256-sha1-modp1024', 'aes128-sha1-modp2048'], rekeyTimeS: 28800, overTimeS: 300, children: [child] },
          ],
        },
        initiate: { child: 'c1', timeoutS: 3 },
        script: { path: FIRST_DATAGRAM, args: ['--reply', 'ikev1-no-proposal'] },
      }),
    );
    expect(r.script!.code, r.script!.stderr).toBe(0);
    const msg = fromHex(scriptJson(r)['hex'] as string);
    const h = ikeHeader(msg);
    expect(h.version).toBe(0x10);
    expect(h.exchangeType).toBe(2); // Identity Protection (Main Mode)
    expect(h.flags).toBe(0);
    expect(h.messageId).toBe(0);
    expect(hex(h.spiR)).toBe('0000000000000000');

    const chain = payloadOf(payloadChain(msg), 1);
    const sa = ikev1Sa(chain.body);
    expect([sa.doi, sa.situation]).toEqual([1, 1]); // IPsec DOI, SIT_IDENTITY_ONLY
    expect(sa.proposals).toHaveLength(1);
    expect(sa.proposals[0]!.protocol).toBe(1); // PROTO_ISAKMP
    const transforms = sa.proposals[0]!.transforms;
    expect(transforms.map((t) => t.id)).toEqual([1, 1]); // KEY_IKE
    // RFC 2409 Appendix A: 1 encryption (7 AES-CBC), 14 key length, 2 hash (2 SHA),
    // 4 group, 3 authentication (1 pre-shared key), 11 life type (1 seconds), 12 duration:
    // rekey_time + over_time.
    const life = 28800 + 300;
    expect(attributes(transforms[0]!.attributes)).toEqual({ 1: 7, 14: 256, 2: 2, 4: 2, 3: 1, 11: 1, 12: life });
    expect(attributes(transforms[1]!.attributes)).toEqual({ 1: 7, 14: 128, 2: 2, 4: 14, 3: 1, 11: 1, 12: life });
    // The RFC 3947 vendor ID is MD5("RFC 3947") (RFC 3947 §3.1).
    const vids = payloadChain(msg).filter((p) => p.type === 13).map((p) => hex(p.body));
    expect(vids).toContain(createHash('md5').update('RFC 3947').digest('hex'));

    expect(r.charonLog).toContain('received NO_PROPOSAL_CHOSEN error notify');
    expect(r.initiate!.code).not.toBe(0);
  });

  it('(c) charon as IKEv2 responder: its logged keys are the RFC 7296 keys of the exchange, and --list-sas shows the SA', async () => {
    const prng = new Prng(12, 'strongswan-harness-c');
    const spiI = prng.fill(new Uint8Array(8));
    const ni = prng.fill(new Uint8Array(32));
    const privateKey = prng.fill(new Uint8Array(32));
    const r = remember(
      await runWithCharon({
        charon: { connections: [{ name: 'rb', version: 2, proposals: ['aes256-sha1-modp1024'], children: [child] }] },
        script: { path: SA_INIT, args: [hex(spiI), hex(ni), hex(privateKey)] },
      }),
    );
    expect(r.script!.code, r.script!.stderr).toBe(0);
    const got = scriptJson(r);
    const response = fromHex(got['response'] as string);
    const h = ikeHeader(response);
    expect([h.exchangeType, h.flags, h.messageId]).toEqual([34, 0x20, 0]);
    expect(hex(h.spiI)).toBe(hex(spiI));
    const chain = payloadChain(response);
    const nr = payloadOf(chain, 40).body;
    const shared = modp1024Shared(payloadOf(chain, 34).body.slice(4), privateKey);
    const want = ikev2SaKeysSha1({ ni, nr, spiI, spiR: h.spiR, shared, encrKeyBytes: 32 });

    const keys = parseCharonKeys(r.charonLog);
    const only = (label: string): string => {
      const list = keys.get(label) ?? [];
      expect(list, label).toHaveLength(1);
      return hex(list[0]!);
    };
    expect(only(CHARON_KEY_LABELS.dhSecret)).toBe(hex(shared));
    expect(only(CHARON_KEY_LABELS.skeyseed)).toBe(hex(want.skeyseed));
    expect(only(CHARON_KEY_LABELS.skD)).toBe(hex(want.skD));
    expect(only(CHARON_KEY_LABELS.skAi)).toBe(hex(want.skAi));
    expect(only(CHARON_KEY_LABELS.skAr)).toBe(hex(want.skAr));
    expect(only(CHARON_KEY_LABELS.skEi)).toBe(hex(want.skEi));
    expect(only(CHARON_KEY_LABELS.skEr)).toBe(hex(want.skEr));
    expect(only(CHARON_KEY_LABELS.skPi)).toBe(hex(want.skPi));
    expect(only(CHARON_KEY_LABELS.skPr)).toBe(hex(want.skPr));

    expect(r.listSas.code).toBe(0);
    const sas = parseListSas(r.listSas.stdout);
    expect(sas).toHaveLength(1);
    const sa = sas[0]!;
    expect(sa.state).toBe('CONNECTING');
    expect(sa.version).toBe(2);
    expect(sa.spiI).toBe(hex(spiI));
    expect(sa.spiR).toBe(hex(h.spiR));
    expect(sa.charonIsInitiator).toBe(false);
    expect(sa.algorithms).toBe('AES_CBC-256/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024');
    expect([sa.local.host, sa.local.port, sa.remote.host, sa.remote.port]).toEqual([CHARON_ADDR, CHARON_PORT, PEER_ADDR, 500]);
    expect(sa.children).toEqual([]);
  });

  it('every option of the description loads: kernel-libipsec, UDP encapsulation, DPD, lifetimes, extra addresses', async () => {
    const r = remember(
      await runWithCharon({
        charon: {
          kernel: 'libipsec',
          retransmitTries: 1,
          retransmitTimeoutS: 0.5,
          connections: [
            {
              name: 'full',
              version: 2,
              proposals: ['aes256-sha1-modp1024'],
              psk: 'a "quoted" psk \\ with a backslash',
              localId: 'gw.example',
              remoteId: '127.0.0.2',
              encap: true,
              rekeyTimeS: 28800,
              overTimeS: 300,
              dpdDelayS: 10,
              children: [{ ...child, rekeyTimeS: 3000, lifeTimeS: 3600, rekeyBytes: 90_000_000, lifeBytes: 102_400_000, dpdAction: 'clear', startAction: 'none' }],
            },
            { name: 'v1', version: 1, proposals: ['aes128-sha1-modp1024'], dpdDelayS: 10, dpdTimeoutS: 30, children: [{ ...child, name: 'c2', mode: 'tunnel' }] },
          ],
        },
        extraAddresses: ['10.1.0.1/32'],
      }),
    );
    expect(r.load.code, r.load.stderr).toBe(0);
    expect(r.load.stdout).toContain('successfully loaded 2 connections');
    expect(r.load.stdout).toContain("loaded ike secret 'ike-full'");
    expect(r.charonLog).toMatch(/loaded plugins: .* kernel-libipsec kernel-netlink vici/);
    expect(r.charonLog).toContain('created TUN device: ipsec0');
    expect(r.charonLog).toMatch(/\[KNL\] +10\.1\.0\.1\n/);
    expect(r.charonLog).toContain("loaded IKE shared key with id 'ike-full' for: 'gw.example', '127.0.0.2'");
    expect(r.steps.map((s) => s.name)).toEqual(['lo', 'peer-addr', 'addr-10_1_0_1_32', 'mount-run', 'charon-start', 'load', 'list-sas', 'stop-charon']);
    expect(parseListSas(r.listSas.stdout)).toEqual([]);
  });

  it('a config charon refuses fails at the step "load", with swanctl\'s words and charon\'s log', async () => {
    const run = runWithCharon({
      charon: { connections: [{ name: 'bad', version: 2, proposals: ['aes256-nosuchhash-modp1024'], children: [child] }] },
    });
    await expect(run).rejects.toBeInstanceOf(CharonHarnessError);
    const err = (await run.catch((e: unknown) => e)) as CharonHarnessError;
    expect(err.step).toBe('load');
    expect(err.message).toContain('strongSwan harness: step "load" failed');
    expect(err.message).toMatch(/nosuchhash/);
    expect(err.message).toContain('--- charon.log (last 20 lines) ---');
    expect(err.message).toContain('loaded plugins');
    expect(err.dir).not.toBeNull();
    expect(err.message).toContain(`(files kept in ${err.dir})`);
    expect(existsSync(join(err.dir!, 'swanctl.conf'))).toBe(true);
    rmSync(err.dir!, { recursive: true, force: true });
  });

  it('names every missing program before it runs anything', async () => {
    const problems = charonHarnessProblems('libipsec', '/nonexistent');
    for (const name of ['swanctl', 'unshare', 'mount', 'ip ', 'timeout', 'bash']) {
      expect(problems.some((p) => p.startsWith(name)), `${name} in ${problems.join('; ')}`).toBe(true);
    }
    expect(charonHarnessProblems('netlink'), 'this machine (CI too) has everything').toEqual([]);
  });

  it('(d) nothing is left behind: no charon of ours runs, the host /run has no charon files', () => {
    expect(charonPids.length).toBeGreaterThanOrEqual(3);
    for (const pid of charonPids) {
      expect(pid).toBeGreaterThan(1);
      const comm = join('/proc', String(pid), 'comm');
      const alive = existsSync(comm) && readFileSync(comm, 'utf8').trim() === 'charon';
      expect(alive, `charon ${pid} still runs`).toBe(false);
    }
    expect(readdirSync('/run').filter((f) => f.startsWith('charon'))).toEqual([]);
  });
});
