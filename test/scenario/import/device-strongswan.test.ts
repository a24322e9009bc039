import { describe, expect, it } from 'vitest';
import { swanctlConf, TEST_PSK } from '../../support/strongswan/config.js';
import { codes, fixture, imported, section } from './device-support.js';

describe('vgw import device: strongSwan', () => {
  it('reads swanctl.conf: an any-to-any child is a route-based device; proposals, lifetimes, start action, the secret for its ids', () => {
    const r = imported(fixture('swanctl.conf'), 'strongswan');
    expect(section(r)).toEqual({
      vpnType: 'RouteBased',
      sharedKey: 'hqkey',
      ike: {
        version: 2,
        ikeProposals: ['aes256-sha1-modp1024', 'aes128-sha1-modp1024'],
        espProposals: ['aes256-sha1'],
        ikeLifetime: 28800,
        childLifetime: 3600,
        initiate: true,
      },
    });
    expect(r.findings).toEqual([]);
    expect(r.output).toContain('# swanctl.conf:32 secrets ike-azure secret = *****');
  });

  it('reads ipsec.conf with %default and ipsec.secrets: subnets make a policy-based access list', () => {
    const r = imported(fixture('ipsec.conf'), 'strongswan', { secrets: fixture('ipsec.secrets') });
    expect(section(r)).toEqual({
      vpnType: 'PolicyBased',
      sharedKey: 's3cret',
      accessList: ['permit ip 192.168.0.0/16 10.1.0.0/16'],
      ike: { version: 1, ikeProposals: ['aes256-sha1-modp1024'], espProposals: ['aes256-sha1'], ikeLifetime: 28800, childLifetime: 3600, initiate: true },
    });
    // The key's comment names the secrets file and line, not the key.
    expect(r.output).toContain('# ipsec.secrets:2 198.51.100.1 203.0.113.10 : PSK *****');
    // Without the secrets file, the key is named as missing.
    const bare = imported(fixture('ipsec.conf'), 'strongswan');
    expect(section(bare)['sharedKey']).toBeUndefined();
    expect(bare.findings.some((f) => f.code === 'NOT_MODELLED' && f.message.includes('ipsec.secrets'))).toBe(true);
  });

  it('several children and selectors: one access-list line per local x remote pair; aliases spelt out; unknown algorithms named', () => {
    const cfg = [
      'connections {',
      '  hq { version = 1',
      '    remote_addrs = 203.0.113.10',
      '    proposals = aes-sha-modp1024, aes256-sha384-modp1024',
      '    local { auth = psk }',
      '    remote { auth = pubkey }',
      '    children {',
      '      a { local_ts = 192.168.1.0/24, 192.168.2.0/24',
      '          remote_ts = 10.1.0.0/16',
      '          esp_proposals = aes128-sha1-modp1024',
      '          life_bytes = 1048576',
      '          start_action = none }',
      '      b { local_ts = 192.168.3.5',
      '          remote_ts = 10.2.0.0/16[tcp/443] }',
      '    }',
      '  }',
      '}',
      'secrets { ike-1 { secret = k1 } }',
    ].join('\n');
    const r = imported(cfg, 'strongswan');
    expect(section(r)).toEqual({
      vpnType: 'PolicyBased',
      sharedKey: 'k1',
      accessList: ['permit ip 192.168.1.0/24 10.1.0.0/16', 'permit ip 192.168.2.0/24 10.1.0.0/16', 'permit ip host 192.168.3.5 10.2.0.0/16'],
      ike: { version: 1, ikeProposals: ['aes128-sha1-modp1024'], espProposals: ['aes128-sha1-modp1024'], childLifeKilobytes: 1024, initiate: false },
    });
    expect(codes(r)).toEqual(['4:17 NOT_MODELLED', '6:21 NOT_MODELLED', '14:23 NOT_MODELLED']);
    expect(r.findings[0]!.message).toContain("unknown algorithm 'sha384'");
    expect(r.findings[1]!.message).toContain('authentication "pubkey" is not modelled');
  });

  it('reads the swanctl.conf the project writes for its real-charon tests, naming each setting it does not model', () => {
    const text = swanctlConf({
      connections: [{
        name: 'azure', version: 1, localAddrs: ['198.51.100.1'], remoteAddrs: ['203.0.113.10'], proposals: ['aes128-sha1-modp1024', '3des-md5-modp1024'], dpdDelayS: 30,
        children: [{ name: 'net', localTs: ['192.168.0.0/16'], remoteTs: ['10.1.0.0/16'], espProposals: ['aes128-sha1'], startAction: 'trap', lifeTimeS: 3000, dpdAction: 'restart' }],
      }],
    });
    const r = imported({ file: 'swanctl.conf', text }, 'strongswan');
    expect(section(r)).toEqual({
      vpnType: 'PolicyBased',
      sharedKey: TEST_PSK,
      accessList: ['permit ip 192.168.0.0/16 10.1.0.0/16'],
      ike: { version: 1, ikeProposals: ['aes128-sha1-modp1024', '3des-md5-modp1024'], espProposals: ['aes128-sha1'], childLifetime: 3000, initiate: true },
    });
    const unmodelled = r.findings.filter((f) => f.code === 'NOT_MODELLED').map((f) => f.message.split('"')[1]);
    expect(unmodelled).toEqual(['remote_port = 500', 'encap = no', 'mobike = no', 'fragmentation = no', 'aggressive = no', 'dpd_delay = 30s', 'dpd_action = restart']);
  });

  it('ipsec.conf: also= brings a base conn in, keyexchange=ike is left to the gateway, auto=add only answers, any-to-any is route-based', () => {
    const conf = [
      'conn base',
      '    authby=psk',
      '    ike=aes128-sha1-modp1024',
      '    esp=aes128-sha1',
      '    auto=ignore',
      'conn azure',
      '    also=base',
      '    keyexchange=ike',
      '    left=198.51.100.1',
      '    right=203.0.113.20',
      '    leftsubnet=0.0.0.0/0',
      '    rightsubnet=0.0.0.0/0',
      '    auto=add',
      '    compress=yes',
    ].join('\n');
    const r = imported({ file: 'ipsec.conf', text: conf }, 'strongswan', { secrets: { file: 'ipsec.secrets', text: ': PSK "hqkey"\n' } });
    expect(section(r)).toEqual({ vpnType: 'RouteBased', sharedKey: 'hqkey', ike: { ikeProposals: ['aes128-sha1-modp1024'], espProposals: ['aes128-sha1'], initiate: false } });
    expect(codes(r)).toEqual(['8:17 NOT_MODELLED', '14:14 NOT_MODELLED']);
    expect(r.peers).toEqual(['203.0.113.20']); // conn base (auto=ignore) is no tunnel
  });

  it('refuses an unclosed section and a line that is no setting, at their positions', () => {
    const r = imported(['connections {', '  hq {', '    remote_addrs 203.0.113.10', '  }'].join('\n'), 'strongswan');
    expect(r.output).toBeUndefined();
    expect(codes(r)).toEqual(expect.arrayContaining(['1:1 CONFIG_SYNTAX', '3:5 CONFIG_SYNTAX']));
    const secret = imported('secrets {\n  ike-1 {\n    secret "hunter2"\n  }\n}\n', 'strongswan');
    expect(secret.findings.find((f) => f.code === 'CONFIG_SYNTAX')).toMatchObject({ line: 3, column: 5 });
    expect(JSON.stringify(secret.findings)).not.toContain('hunter2');
  });
});
