import { describe, expect, it } from 'vitest';
import { parseAclLine } from '../../../sim/net/acl.js';
import { codes, fixture, imported, section } from './device-support.js';

/** What Microsoft's policy-based templates configure, with this project's test values: the IOS and the ASA fixture both say it. */
const TEMPLATE_POLICY_BASED = {
  vpnType: 'PolicyBased',
  sharedKey: 's3cret',
  accessList: ['permit ip 192.168.0.0/16 10.1.0.0/16'],
  ike: { version: 1, ikeProposals: ['aes256-sha1-modp1024'], espProposals: ['aes256-sha1'], ikeLifetime: 28800, childLifetime: 3600, childLifeKilobytes: 102400000 },
};

describe('vgw import device: Cisco IOS', () => {
  it('reads the policy-based template shape: ACL, isakmp policy and key, transform set, crypto map', () => {
    const r = imported(fixture('ios-policy-based.cfg'), 'cisco-ios');
    expect(section(r)).toEqual(TEMPLATE_POLICY_BASED);
    // Every value names its line; the key never appears in a comment or a finding.
    expect(r.output).toContain('permit ip 192.168.0.0/16 10.1.0.0/16  # ios-policy-based.cfg:9 access-list 101 permit ip 192.168.0.0 0.0.255.255');
    expect(r.output).toContain('# ios-policy-based.cfg:20 crypto isakmp key ***** address 203.0.113.10');
    expect(r.output!.match(/s3cret/g)).toHaveLength(1);
    expect(codes(r)).toEqual(['5:1 NOT_VPN', '44:2 NOT_MODELLED']);
    expect(r.findings[1]!.message).toContain('adjust-mss');
  });

  it('reads the route-based template shape: IKEv2 proposal, policy, keyring and profile, IPsec profile, VTI and its route', () => {
    const r = imported(fixture('ios-route-based.cfg'), 'cisco-ios');
    expect(section(r)).toEqual({
      vpnType: 'RouteBased',
      sharedKey: 'hqkey',
      routes: ['10.10.0.0/16'],
      ike: { version: 2, ikeProposals: ['aes256-aes128-3des-sha1-modp1024'], espProposals: ['aes256-sha1'] },
    });
    expect(r.tunnel?.localAddress?.value).toBe('198.51.100.1');
    // The tunnel's inside address and MSS clamping are named, not dropped.
    expect(codes(r)).toEqual(['43:3 NOT_MODELLED', '44:3 NOT_MODELLED']);
  });

  it('reads wildcard masks, host, any, named lists, object groups, and several transform sets and policies in order', () => {
    const cfg = [
      'object-group network onprem',
      ' host 192.168.7.7',
      ' 192.168.8.0 255.255.255.0',
      'ip access-list extended to-azure',
      ' remark the VNet',
      ' 10 permit ip 192.168.0.0 0.0.255.255 10.1.0.0 0.0.255.255',
      ' 20 deny ip host 192.168.1.1 any',
      ' 30 permit ip object-group onprem 10.2.0.0 0.0.255.255',
      'crypto isakmp policy 20',
      ' encr 3des',
      ' hash md5',
      ' authentication pre-share',
      ' group 2',
      'crypto isakmp policy 5',
      ' encryption aes',
      ' authentication pre-share',
      'crypto ipsec transform-set ts-a esp-3des esp-md5-hmac',
      'crypto ipsec transform-set ts-b esp-aes 128 esp-sha-hmac',
      'crypto map m 1 ipsec-isakmp',
      ' set peer 203.0.113.10',
      ' set transform-set ts-b ts-a',
      ' set pfs group2',
      ' match address to-azure',
      'interface Gi0/0',
      ' crypto map m',
    ].join('\n');
    const r = imported(cfg, 'cisco-ios');
    expect(section(r)).toEqual({
      vpnType: 'PolicyBased',
      accessList: [
        'permit ip 192.168.0.0/16 10.1.0.0/16',
        'deny ip host 192.168.1.1 any',
        'permit ip host 192.168.7.7 10.2.0.0/16',
        'permit ip 192.168.8.0/24 10.2.0.0/16',
      ],
      // Policy 5 comes first; it leaves hash and group to IOS's defaults (SHA-1, group 1).
      ike: { version: 1, ikeProposals: ['aes128-sha1-modp768', '3des-md5-modp1024'], espProposals: ['aes128-sha1', '3des-md5'], pfsGroup: 2 },
    });
    expect(codes(r)).toEqual(['20:11 NOT_MODELLED']); // no key for the peer, named where the peer is
  });

  it('turns random wildcard-mask (IOS) and subnet-mask (ASA) addresses into the prefixes vgwsim\'s own access-list reader gives', () => {
    let seed = 7;
    const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const dotted = (n: number): string => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
    for (let i = 0; i < 200; i++) {
      const len = next() % 33;
      const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
      const addr = (next() & mask) >>> 0;
      const wildcard = `${dotted(addr)} ${dotted(~mask >>> 0)}`;
      const reference = parseAclLine(`permit ip ${wildcard} any`);
      expect(reference.ok).toBe(true);
      const want = reference.ok ? [reference.entry.src.addr, reference.entry.src.len] : [];
      const acl = (text: string, vendor: 'cisco-ios' | 'cisco-asa'): string[] => imported(text, vendor).tunnel!.accessList.map((l) => l.value);
      const ios = acl(`access-list 101 permit ip ${wildcard} any\ncrypto map m 1 ipsec-isakmp\n set peer 203.0.113.10\n match address 101`, 'cisco-ios');
      const asa = acl(`access-list a extended permit ip ${dotted(addr)} ${dotted(mask)} any\ncrypto map m 1 match address a\ncrypto map m 1 set peer 203.0.113.10`, 'cisco-asa');
      for (const line of [ios[0]!, asa[0]!]) {
        const got = parseAclLine(line);
        expect(got.ok && [got.entry.src.addr, got.entry.src.len], line).toEqual(want);
      }
    }
  });

  it('names what it cannot model at the word, and imports the rest', () => {
    const cfg = [
      'access-list 110 permit tcp 192.168.0.0 0.0.255.255 10.1.0.0 0.0.255.255 eq 443',
      'crypto isakmp policy 1',
      ' encryption aes 256',
      ' authentication pre-share',
      ' group 19',
      'crypto isakmp policy 2',
      ' encryption aes 256',
      ' authentication pre-share',
      ' group 2',
      'crypto isakmp key 6 ABCDEF address 203.0.113.10',
      'crypto ipsec transform-set sha2 esp-aes 256 esp-sha256-hmac',
      'crypto ipsec transform-set ok esp-aes 256 esp-sha-hmac',
      'crypto map m 1 ipsec-isakmp',
      ' set peer 203.0.113.10',
      ' set transform-set sha2 ok',
      ' match address 110',
      'crypto map m interface outside',
    ].join('\n');
    const r = imported(cfg, 'cisco-ios');
    expect(section(r)).toMatchObject({ accessList: ['permit ip 192.168.0.0/16 10.1.0.0/16'], ike: { ikeProposals: ['aes256-sha1-modp1024'], espProposals: ['aes256-sha1'] } });
    expect(section(r)['sharedKey']).toBeUndefined();
    const byLine = new Map(r.findings.map((f) => [`${f.line}:${f.column}`, f]));
    expect(byLine.get('1:24')?.message).toContain('not protocols or ports');
    expect(byLine.get('5:8')?.message).toContain('Diffie-Hellman group 19 is not modelled');
    expect(byLine.get('10:19')?.message).toContain('stored encrypted (type 6)');
    expect(byLine.get('11:45')?.message).toContain("vgwsim's ESP integrity algorithms are sha1, md5");
    expect(r.findings.every((f) => f.severity === 'warning')).toBe(true);
    expect(JSON.stringify(r.findings)).not.toContain('ABCDEF');
  });

  it('reads keys from a crypto keyring, IKEv2 profile DPD and lifetime, and names a GRE tunnel and IKEv1 keepalives', () => {
    const v1 = [
      'crypto keyring azure',
      ' pre-shared-key address 203.0.113.10 key k3y',
      'crypto isakmp keepalive 10 3 periodic',
      'crypto isakmp policy 1',
      ' encryption aes 256',
      ' authentication pre-share',
      ' group 2',
      'crypto ipsec transform-set t esp-aes 256 esp-sha-hmac',
      'access-list 101 permit ip any 10.1.0.0 0.0.255.255',
      'crypto map m 1 ipsec-isakmp',
      ' set peer 203.0.113.10',
      ' set transform-set t',
      ' set pfs',
      ' match address 101',
      'interface Gi0/0',
      ' crypto map m',
    ].join('\n');
    const r1 = imported(v1, 'cisco-ios');
    expect(section(r1)).toMatchObject({ sharedKey: 'k3y', accessList: ['permit ip any 10.1.0.0/16'], ike: { pfsGroup: 1 } });
    expect(codes(r1)).toEqual(['3:25 NOT_MODELLED']);
    const v2 = [
      'crypto ikev2 proposal p',
      ' encryption aes-cbc-256',
      ' integrity sha256',
      ' group 2',
      'crypto ikev2 keyring ring',
      ' peer azure',
      '  address 203.0.113.20',
      '  pre-shared-key local k1',
      '  pre-shared-key remote k1',
      'crypto ikev2 profile prof',
      ' match identity remote address 203.0.113.20 255.255.255.255',
      ' keyring local ring',
      ' lifetime 27000',
      ' dpd 10 2 on-demand',
      'crypto ipsec transform-set t esp-aes 256 esp-sha-hmac',
      'crypto ipsec profile vti',
      ' set transform-set t',
      ' set ikev2-profile prof',
      'interface Tunnel5',
      ' tunnel source 198.51.100.1',
      ' tunnel destination 203.0.113.20',
      ' tunnel protection ipsec profile vti',
      'ip route 10.10.0.0 255.255.0.0 Tunnel5',
      'ip route 10.11.0.0 255.255.0.0 Tunnel5 200',
      'ip route 0.0.0.0 0.0.0.0 198.51.100.254',
    ].join('\n');
    const r2 = imported(v2, 'cisco-ios');
    expect(section(r2)).toEqual({
      vpnType: 'RouteBased',
      sharedKey: 'k1',
      routes: ['10.10.0.0/16', '10.11.0.0/16'],
      ike: { version: 2, ikeProposals: ['aes256-sha256-modp1024'], espProposals: ['aes256-sha1'], ikeLifetime: 27000, dpd: 10 },
    });
    expect(r2.tunnel?.localAddress?.value).toBe('198.51.100.1');
    // No "tunnel mode ipsec ipv4": IOS's default is GRE, which is named.
    expect(r2.findings.find((f) => f.line === 19)?.message).toContain('tunnel mode gre ip (the default) is not modelled');
  });

  it('reads IOS sub-modes typed flat: a keyring\'s peer and its address and key, closed by exit', () => {
    const flat = [
      'crypto ikev2 proposal p', 'encryption aes-cbc-256', 'integrity sha1', 'group 2', 'exit',
      'crypto ikev2 policy pol', 'proposal p', 'exit',
      'crypto ikev2 keyring ring', 'peer azure', 'address 203.0.113.20', 'pre-shared-key hqkey', 'exit', 'exit',
      'crypto ikev2 profile prof', 'match identity remote address 203.0.113.20 255.255.255.255', 'keyring local ring', 'exit',
      'crypto ipsec transform-set t esp-aes 256 esp-sha-hmac', 'mode tunnel', 'exit',
      'crypto ipsec profile vti', 'set transform-set t', 'set ikev2-profile prof', 'exit',
      'interface Tunnel1', 'ip address 169.254.0.1 255.255.255.0', 'tunnel source 198.51.100.1', 'tunnel mode ipsec ipv4', 'tunnel destination 203.0.113.20', 'tunnel protection ipsec profile vti', 'exit',
      'ip route 10.10.0.0 255.255.0.0 Tunnel1',
    ].join('\n');
    const r = imported(flat, 'cisco-ios');
    expect(section(r)).toEqual({ vpnType: 'RouteBased', sharedKey: 'hqkey', routes: ['10.10.0.0/16'], ike: { version: 2, ikeProposals: ['aes256-sha1-modp1024'], espProposals: ['aes256-sha1'] } });
    expect(codes(r)).toEqual(['27:1 NOT_MODELLED']); // the tunnel's inside address
  });

  it('reads an IKEv1 VTI: keyring, ISAKMP profile, IPsec profile with set isakmp-profile', () => {
    const cfg = [
      'crypto keyring azure-keyring',
      '  pre-shared-key address 203.0.113.20 key hqkey',
      'crypto isakmp profile azure-isakmp',
      '  keyring azure-keyring',
      '  match identity address 203.0.113.20 255.255.255.255',
      'crypto isakmp policy 10',
      ' encryption aes 256',
      ' authentication pre-share',
      ' group 2',
      'crypto ipsec transform-set t esp-aes 256 esp-sha-hmac',
      'crypto ipsec profile vti',
      '  set transform-set t',
      '  set isakmp-profile azure-isakmp',
      'interface Tunnel1',
      '  tunnel source 198.51.100.1',
      '  tunnel mode ipsec ipv4',
      '  tunnel destination 203.0.113.20',
      '  tunnel protection ipsec profile vti',
      'ip route 10.10.0.0 255.255.0.0 Tunnel1',
    ].join('\n');
    const r = imported(cfg, 'cisco-ios');
    expect(section(r)).toEqual({ vpnType: 'RouteBased', sharedKey: 'hqkey', routes: ['10.10.0.0/16'], ike: { version: 1, ikeProposals: ['aes256-sha1-modp1024'], espProposals: ['aes256-sha1'] } });
    expect(r.findings).toEqual([]);
  });

  it('refuses a malformed line at its line and column, and writes nothing', () => {
    const cfg = ['access-list 101 permit ip 192.168.0.0 255.255.0.0 10.1.0.0 0.0.255.255', 'crypto map m 1 ipsec-isakmp', ' set peer 203.0.113.10', ' match address 101'].join('\n');
    const r = imported(cfg, 'cisco-ios');
    expect(r.output).toBeUndefined();
    const f = r.findings.find((x) => x.code === 'CONFIG_SYNTAX')!;
    expect([f.file, f.line, f.column, f.severity]).toEqual(['inline.cfg', 1, 39, 'error']);
    expect(f.message).toContain('255.255.0.0 is not a contiguous wildcard mask (it is a subnet mask');
  });

  it('refuses a peer that is a host name, at the name', () => {
    const r = imported(['crypto map m 1 ipsec-isakmp', ' set peer azure.example.com'].join('\n'), 'cisco-ios');
    expect(r.findings.find((f) => f.code === 'CONFIG_SYNTAX')).toMatchObject({ line: 2, column: 11 });
    const template = imported(['crypto map m 1 ipsec-isakmp', ' set peer 40.76.X.X'].join('\n'), 'cisco-ios');
    expect(template.findings.find((f) => f.code === 'CONFIG_SYNTAX')!.message).toContain("40.76.X.X is a template's placeholder");
  });

  it('reports a template placeholder nobody filled in', () => {
    const r = imported(['interface <NameOfYourOutsideInterface>', ' crypto map m'].join('\n'), 'cisco-ios');
    expect(r.findings.find((f) => f.code === 'CONFIG_SYNTAX')).toMatchObject({ line: 1, column: 11 });
  });

  it('asks which peer when there are several, and --peer picks one', () => {
    const cfg = [
      'access-list 101 permit ip 192.168.0.0 0.0.255.255 10.1.0.0 0.0.255.255',
      'access-list 102 permit ip 192.168.0.0 0.0.255.255 10.2.0.0 0.0.255.255',
      'crypto isakmp policy 1',
      ' encryption aes 256',
      ' authentication pre-share',
      ' group 2',
      'crypto ipsec transform-set t esp-aes 256 esp-sha-hmac',
      'crypto map m 10 ipsec-isakmp',
      ' set peer 203.0.113.10',
      ' set transform-set t',
      ' match address 101',
      'crypto map m 20 ipsec-isakmp',
      ' set peer 203.0.113.20',
      ' set transform-set t',
      ' match address 102',
    ].join('\n');
    const r = imported(cfg, 'cisco-ios');
    expect(r.output).toBeUndefined();
    expect(r.peers).toEqual(['203.0.113.10', '203.0.113.20']);
    const f = r.findings.find((x) => x.code === 'CONFIG_PEER')!;
    expect(f.message).toContain('203.0.113.10 (line 9), 203.0.113.20 (line 13)');
    expect(section(imported(cfg, 'cisco-ios', { peer: '203.0.113.20' }))['accessList']).toEqual(['permit ip 192.168.0.0/16 10.2.0.0/16']);
    expect(imported(cfg, 'cisco-ios', { peer: '203.0.113.99' }).findings.some((x) => x.code === 'CONFIG_PEER' && x.message.includes('no tunnel to that address'))).toBe(true);
  });

  it('says when a crypto map names what is not defined', () => {
    const r = imported(['crypto map m 1 ipsec-isakmp', ' set peer 203.0.113.10', ' set transform-set nope', ' match address 199'].join('\n'), 'cisco-ios');
    const incomplete = r.findings.filter((f) => f.code === 'CONFIG_INCOMPLETE').map((f) => `${f.line}:${f.column} ${f.message}`);
    expect(incomplete.some((m) => m.startsWith('3:20') && m.includes('"nope"'))).toBe(true);
    expect(incomplete.some((m) => m.startsWith('4:16') && m.includes('access list 199'))).toBe(true);
    expect(incomplete.some((m) => m.includes('IKEv1 policy'))).toBe(true);
  });
});

describe('vgw import device: Cisco ASA', () => {
  it('reads the ASA 9.x running-config shape: object groups, extended ACL, one-line crypto map, ikev1 policy, tunnel group', () => {
    const r = imported(fixture('asa-policy-based.cfg'), 'cisco-asa');
    expect(section(r)).toEqual(TEMPLATE_POLICY_BASED);
    expect(r.tunnel?.localAddress?.value).toBe('198.51.100.1');
    // One warning for the commands outside the VPN (hostname, nat, timeouts, ...), one for the
    // interface and route no tunnel uses (inside, the default route), each at its first line.
    expect(r.findings.filter((f) => f.code === 'NOT_VPN').map((f) => [f.line, f.message.split(' ')[0]])).toEqual([[4, '12'], [9, '2']]);
  });

  it('reads the commands of Microsoft\'s ASA guide typed flat, one indentation, sub-modes left with exit', () => {
    const r = imported(fixture('asa-guide-flat.cfg'), 'cisco-asa');
    expect(section(r)).toEqual(TEMPLATE_POLICY_BASED);
    expect(codes(r)).toEqual(['13:2 NOT_VPN']);
  });

  it('reads a VTI (ASA 9.8): IKEv2 policy, IPsec profile, tunnel interface and the route through its nameif', () => {
    const r = imported(fixture('asa-route-based.cfg'), 'cisco-asa');
    expect(section(r)).toEqual({
      vpnType: 'RouteBased',
      sharedKey: 'hqkey',
      routes: ['10.10.0.0/16'],
      ike: { version: 2, ikeProposals: ['aes256-sha1-modp1024'], espProposals: ['aes256-sha1'], ikeLifetime: 28800, childLifetime: 27000 },
    });
    expect(r.tunnel?.localAddress?.value).toBe('198.51.100.1');
    expect(codes(r)).toEqual(['22:2 NOT_MODELLED']);
  });

  it('reads IKEv2: numbered policies, IPsec proposals, PFS and the tunnel group\'s local key; a masked key is named', () => {
    const cfg = [
      'object network azure',
      ' subnet 10.1.0.0 255.255.0.0',
      'access-list vpn extended permit ip 192.168.0.0 255.255.0.0 object azure',
      'crypto ikev2 policy 10',
      ' encryption aes-256 aes',
      ' integrity sha',
      ' group 2',
      ' prf sha',
      ' lifetime seconds 28800',
      'crypto ipsec ikev2 ipsec-proposal azure',
      ' protocol esp encryption aes-256',
      ' protocol esp integrity sha-1',
      'crypto map m 1 match address vpn',
      'crypto map m 1 set peer 203.0.113.20',
      'crypto map m 1 set ikev2 ipsec-proposal azure',
      'crypto map m 1 set pfs group2',
      'crypto map m 1 set security-association lifetime seconds 27000',
      'crypto map m interface outside',
      'tunnel-group 203.0.113.20 type ipsec-l2l',
      'tunnel-group 203.0.113.20 ipsec-attributes',
      ' ikev2 remote-authentication pre-shared-key *****',
      ' ikev2 local-authentication pre-shared-key hqkey',
    ].join('\n');
    const r = imported(cfg, 'cisco-asa');
    expect(section(r)).toEqual({
      vpnType: 'PolicyBased',
      sharedKey: 'hqkey',
      accessList: ['permit ip 192.168.0.0/16 10.1.0.0/16'],
      ike: { version: 2, ikeProposals: ['aes256-aes128-sha1-modp1024'], espProposals: ['aes256-sha1'], pfsGroup: 2, ikeLifetime: 28800, childLifetime: 27000 },
    });
    expect(codes(r)).toEqual(['21:45 NOT_MODELLED']);
    expect(r.findings[0]!.message).toContain('masked');
  });
});
