/**
 * End to end: `vgw import device` through the built binary: a device configuration merged
 * into a scenario file that `vgw run` then runs, the section printed alone, the findings on
 * stderr as FILE:LINE:COLUMN CODE, and exit code 2 for bad input.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, noStack } from '../support/run-cli.js';

const FIX = 'test/fixtures/import/device';
let tmp = '';

beforeAll(() => {
  ensureBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'vgw-import-device-'));
});
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('vgw import device', () => {
  it('merges a Cisco IOS configuration into a scenario that vgw run then runs with the tunnel up', () => {
    const out = join(tmp, 'merged.yaml');
    const r = runCli(['import', 'device', `${FIX}/ios-policy-based.cfg`, '--vendor', 'cisco-ios', '--scenario', 'scenarios/s2s-policy-based.yaml', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${FIX}/ios-policy-based.cfg:44:2 NOT_MODELLED "ip tcp adjust-mss 1350"`);
    expect(r.stderr).toContain(`${out}: written (peer 203.0.113.10, PolicyBased)`);
    expect(readFileSync(out, 'utf8')).toContain(`    device:  # vgw import device ${FIX}/ios-policy-based.cfg --vendor cisco-ios: peer 203.0.113.10\n`);
    const run = runCli(['run', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('gw1-hq (IKEv1): IPSEC_SESSION_ESTABLISHED');
    expect(run.stdout).toContain('expectations: 4 passed, 0 failed');
  });

  it('prints the device section alone, and with --explain which line became which value', () => {
    const r = runCli(['import', 'device', `${FIX}/swanctl.conf`, '--vendor', 'strongswan', '--explain']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`device:  # vgw import device ${FIX}/swanctl.conf --vendor strongswan: peer 203.0.113.20`);
    expect(r.stdout).toContain('  vpnType: RouteBased  #');
    expect(r.stderr).toContain(`${FIX}/swanctl.conf:22:25  esp_proposals = aes256-sha1  →  device.ike.espProposals[0]`);
  });

  it('finds ipsec.secrets beside ipsec.conf', () => {
    const r = runCli(['import', 'device', `${FIX}/ipsec.conf`, '--vendor', 'strongswan']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`sharedKey: "s3cret"  # ipsec.secrets:2 198.51.100.1 203.0.113.10 : PSK *****`);
  });

  it('a malformed line: FILE:LINE:COLUMN, exit 2, nothing written', () => {
    const bad = join(tmp, 'bad.cfg');
    writeFileSync(bad, 'access-list 101 permit ip 192.168.0.0 0.0.255.255 10.1.0.0\ncrypto map m 1 ipsec-isakmp\n set peer 203.0.113.10\n match address 101\n');
    const out = join(tmp, 'never.yaml');
    const r = runCli(['import', 'device', bad, '--vendor', 'cisco-ios', '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:1:51 CONFIG_SYNTAX "access-list 101 permit ip 192.168.0.0 0.0.255.255 10.1.0.0": the destination address 10.1.0.0 needs a mask`);
    expect(r.stderr).toContain('nothing written');
    expect(() => readFileSync(out)).toThrow();
    noStack(r.stderr);
  });

  it('bad flags and files are one line and exit 2', () => {
    for (const args of [
      ['import', 'device', `${FIX}/ios-policy-based.cfg`],
      ['import', 'device', `${FIX}/ios-policy-based.cfg`, '--vendor', 'juniper'],
      ['import', 'device', join(tmp, 'missing.cfg'), '--vendor', 'cisco-ios'],
      ['import', 'device', `${FIX}/ios-policy-based.cfg`, '--vendor', 'cisco-ios', '--site', 'hq'],
      ['import', 'nothing'],
      ['import'],
    ]) {
      const r = runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      noStack(r.stderr);
    }
  });

  it('several peers without --peer: the peers are listed and nothing is printed', () => {
    const two = join(tmp, 'two.cfg');
    writeFileSync(two, `${readFileSync(`${FIX}/ios-policy-based.cfg`, 'utf8')}crypto map azure-crypto-map 20 ipsec-isakmp\n set peer 203.0.113.99\n set transform-set azure-ipsec-proposal-set\n match address 101\n`);
    const r = runCli(['import', 'device', two, '--vendor', 'cisco-ios']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('CONFIG_PEER the configuration has tunnels to 2 peers: 203.0.113.10 (line 31), 203.0.113.99 (line 47)');
    expect(runCli(['import', 'device', two, '--vendor', 'cisco-ios', '--peer', '203.0.113.99']).code).toBe(0);
  });
});
