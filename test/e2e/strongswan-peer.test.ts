/**
 * `vgw peer`, the real command (`node dist/cli/main.js peer ...`), against a real strongSwan
 * charon 5.9 in the harness's private namespace (test/support/strongswan.ts): the command
 * listens on 127.0.0.2:500/4500 and plays the Azure side of a fixture scenario's
 * connection; charon, the on-premises device, is at 127.0.0.1:5500/5501. The scenarios'
 * addresses are public (scenarios refuse others), so each run says where the device really
 * is with --peer; charon's identities are the scenario's public addresses.
 *
 * - route-based (IKEv2), charon initiates: IKE_SA_INIT and IKE_AUTH answered, exit 0,
 *   IPSEC_SESSION_ESTABLISHED; charon's log shows the CHILD_SA;
 * - route-based, --initiate, charon holds another key: charon refuses our AUTH, exit 1,
 *   IKE_PHASE1_KEY_MISMATCH with charon's notify AUTHENTICATION_FAILED;
 * - policy-based (IKEv1), --initiate: Main Mode and Quick Mode, exit 0, established, and
 *   charon's CHILD_SA has the scenario's VNet prefix x site prefix;
 * - --json: the same session as JSON Lines.
 *
 * Needs root and the packages .ci/install-strongswan installs: without them these tests FAIL
 * (the harness names what is missing), they never skip.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT } from '../support/run-cli.js';
import { CHARON_ADDR, CHARON_PORT, PEER_ADDR, runWithCharon, type CharonConnection, type CharonRunResult } from '../support/strongswan.js';

const WRAPPER = join(ROOT, 'test', 'fixtures', 'strongswan', 'peer-command.mjs');
const ROUTE_BASED = join(ROOT, 'test', 'fixtures', 'peer', 'route-based.yaml');
const POLICY_BASED = join(ROOT, 'test', 'fixtures', 'peer', 'policy-based.yaml');
/** The fixtures' sharedKey: charon holds the same key unless a test says otherwise. */
const KEY = 'peerLabKey2016';
/** The fixtures' public addresses: the gateway and the site device, used as identities. */
const RB_GATEWAY = '203.0.113.20';
const PB_GATEWAY = '203.0.113.10';
const SITE = '198.51.100.1';

beforeAll(() => {
  ensureBuilt();
});

interface PeerRun {
  readonly r: CharonRunResult;
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

async function peer(args: readonly string[], charon: CharonConnection, initiate: boolean, kernel: 'netlink' | 'libipsec' = 'libipsec'): Promise<PeerRun> {
  const r = await runWithCharon({
    charon: { kernel, connections: [charon] },
    // kernel-libipsec routes a CHILD_SA's traffic from an address of its local selector: the site's.
    extraAddresses: ['192.168.1.1/32'],
    script: { path: WRAPPER, args: [...args, '--listen', PEER_ADDR, '--peer', `${CHARON_ADDR}:${CHARON_PORT}`, '--timeout', '15', '--seed', '7'], timeoutS: 20 },
    ...(initiate ? { initiate: { child: charon.children[0]!.name, timeoutS: 8 } } : {}),
    timeoutS: 35,
  });
  return { r, code: r.script!.code, out: r.script!.stdout, err: r.script!.stderr };
}

const why = (p: PeerRun): string => `vgw peer stdout:\n${p.out}\nstderr:\n${p.err}\ncharon log tail:\n${p.r.charonLog.slice(-3000)}`;

function routeBased(over: Partial<CharonConnection> = {}): CharonConnection {
  return {
    name: 'lab', version: 2, proposals: ['aes256-sha1-modp1024'], psk: KEY, localId: SITE, remoteId: RB_GATEWAY,
    children: [{ name: 'lab', localTs: ['192.168.1.0/24'], remoteTs: ['10.10.0.0/16'], espProposals: ['aes128-sha1'] }],
    ...over,
  };
}

describe('vgw peer against strongSwan charon', () => {
  it('route-based: charon initiates, vgw peer answers IKE_SA_INIT and IKE_AUTH, exit 0, IPSEC_SESSION_ESTABLISHED', async () => {
    const p = await peer([ROUTE_BASED, '--connection', 'to-lab'], routeBased(), true);
    expect(p.code, why(p)).toBe(0);
    expect(p.out).toMatch(/listening on 127\.0\.0\.2\[500\] and \[4500\] as to-lab's gateway \(IKEv2\), device 127\.0\.0\.1\[5500\]/);
    expect(p.out).toMatch(/received {2}IKE_SA_INIT request 0 \[ SA KE No N\(NATD_S_IP\) N\(NATD_D_IP\).* 127\.0\.0\.1\[5500\] -> 127\.0\.0\.2\[500\]/);
    expect(p.out).toMatch(/send {6}IKE_SA_INIT response 0 \[ SA KE No .* 127\.0\.0\.2\[500\] -> 127\.0\.0\.1\[5500\]/);
    expect(p.out).toMatch(/received {2}IKE_AUTH request 1 \[ IDi .*AUTH .*\]/);
    expect(p.out).toMatch(/send {6}IKE_AUTH response 1 \[ IDr AUTH SA TSi TSr .*\]/);
    expect(p.out).toMatch(/status {4}IPSEC_SESSION_ESTABLISHED/);
    // charon: the IKE SA with the scenario's identities, and the CHILD_SA narrowed to its own selectors.
    expect(p.r.charonLog).toContain(`IKE_SA lab[1] established between 127.0.0.1[${SITE}]...127.0.0.2[${RB_GATEWAY}]`);
    expect(p.r.charonLog).toMatch(/CHILD_SA lab\{1\} established with SPIs [0-9a-f]{8}_i [0-9a-f]{8}_o and TS 192\.168\.1\.0\/24 === 10\.10\.0\.0\/16/);
  });

  it('route-based, --initiate, charon holds another key: charon refuses our AUTH, exit 1, IKE_PHASE1_KEY_MISMATCH with AUTHENTICATION_FAILED', async () => {
    const p = await peer([ROUTE_BASED, '--connection', 'to-lab', '--initiate'], routeBased({ psk: 'notTheScenarioKey' }), false, 'netlink');
    expect(p.code, why(p)).toBe(1);
    expect(p.out).toMatch(/send {6}IKE_SA_INIT request 0 \[ SA KE No .* 127\.0\.0\.2\[500\] -> 127\.0\.0\.1\[5500\]/);
    expect(p.out).toMatch(/send {6}IKE_AUTH request 1 \[ IDi .*AUTH /);
    expect(p.out).toMatch(/received {2}IKE_AUTH response 1 \[ N\(AUTH_FAILED\) \]/);
    expect(p.out).toContain('log       received AUTHENTICATION_FAILED notify error');
    expect(p.out).toMatch(/status {4}IKE_PHASE1_KEY_MISMATCH: the peer could not verify our AUTH: the pre-shared keys differ.* \(notify AUTHENTICATION_FAILED\)$/m);
    expect(p.out).not.toContain('IPSEC_SESSION_ESTABLISHED');
    expect(p.r.charonLog).toMatch(/tried \d+ shared key for '198\.51\.100\.1' - '203\.0\.113\.20', but MAC mismatched/);
  });

  it('policy-based: --initiate, Main Mode and Quick Mode for the VNet prefix x site prefix, exit 0, established', async () => {
    const charon: CharonConnection = {
      name: 'lab', version: 1, proposals: ['aes256-sha1-modp1024'], psk: KEY, localId: SITE, remoteId: PB_GATEWAY,
      children: [{ name: 'lab', localTs: ['192.168.0.0/16'], remoteTs: ['10.1.0.0/16'], espProposals: ['aes256-sha1'] }],
    };
    const p = await peer([POLICY_BASED, '--connection', 'gw1-lab', '--initiate'], charon, false);
    expect(p.code, why(p)).toBe(0);
    expect(p.out).toMatch(/as gw1-lab's gateway \(IKEv1\)/);
    expect(p.out).toMatch(/send {6}ID_PROT request 0 \[ SA V/);
    expect(p.out).toMatch(/send {6}QUICK_MODE request \d+ \[ HASH SA No ID ID \]/);
    expect(p.out).toMatch(/status {4}IPSEC_SESSION_ESTABLISHED/);
    expect(p.r.charonLog).toContain(`IKE_SA lab[1] established between 127.0.0.1[${SITE}]...127.0.0.2[${PB_GATEWAY}]`);
    expect(p.r.charonLog).toMatch(/CHILD_SA lab\{1\} established with SPIs [0-9a-f]{8}_i [0-9a-f]{8}_o and TS 192\.168\.0\.0\/16 === 10\.1\.0\.0\/16/);
  });

  it('--json: the same session as JSON Lines, listening first, one status: established', async () => {
    const p = await peer([ROUTE_BASED, '--connection', 'to-lab', '--json'], routeBased(), true);
    expect(p.code, why(p)).toBe(0);
    const lines = p.out.trim().split('\n').map((l) => JSON.parse(l) as { type: string; status?: string; summary?: string; peer?: string });
    expect(lines[0]).toMatchObject({ type: 'listening', connection: 'to-lab', version: 2, peer: '127.0.0.1', peerPort: 5500 });
    expect(lines.filter((l) => l.type === 'status').map((l) => l.status)).toEqual(['IPSEC_SESSION_ESTABLISHED']);
    expect(lines.filter((l) => l.type === 'received').map((l) => l.summary!.split(' [')[0])).toEqual(expect.arrayContaining(['IKE_SA_INIT request 0', 'IKE_AUTH request 1']));
  });
});
