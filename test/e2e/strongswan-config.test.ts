/**
 * The charon config writer (test/support/strongswan/config.ts) refuses descriptions it
 * cannot write faithfully, and writes the defaults the harness relies on. That charon
 * accepts what it writes is strongswan-harness.test.ts's part (every run loads it).
 */
import { describe, expect, it } from 'vitest';
import { strongswanConf, swanctlConf, type CharonConnection } from '../support/strongswan.js';

const child = { name: 'c1', localTs: ['10.1.0.0/16'], remoteTs: ['10.2.0.0/16'], espProposals: ['aes256-sha1'] };
const conn: CharonConnection = { name: 'rb', version: 2, proposals: ['aes256-sha1-modp1024'], children: [child] };

describe('swanctlConf', () => {
  it('refuses names, values and options it cannot write as meant', () => {
    expect(() => swanctlConf({ connections: [{ ...conn, name: 'r b' }] })).toThrow(/connection name "r b"/);
    expect(() => swanctlConf({ connections: [{ ...conn, children: [{ ...child, name: 'c{1}' }] }] })).toThrow(/child name/);
    expect(() => swanctlConf({ connections: [{ ...conn, psk: 'two\nlines' }] })).toThrow(/psk has a line break/);
    expect(() => swanctlConf({ connections: [{ ...conn, proposals: ['aes256 sha1'] }] })).toThrow(/proposals value "aes256 sha1"/);
    expect(() => swanctlConf({ connections: [{ ...conn, proposals: [] }] })).toThrow(/proposals is empty/);
    expect(() => swanctlConf({ connections: [conn, conn] })).toThrow(/connection names repeat: rb, rb/);
    expect(() => swanctlConf({ connections: [{ ...conn, aggressive: true }] })).toThrow(/aggressive mode is IKEv1 only/);
    expect(() => swanctlConf({ connections: [{ ...conn, rekeyTimeS: 1.5 }] })).toThrow(/rekey_time 1.5/);
    expect(() => swanctlConf({ connections: [] })).toThrow(/no connection/);
  });

  it('quotes identities and the PSK, escaping quotes and backslashes', () => {
    const text = swanctlConf({ connections: [{ ...conn, psk: 'a"b\\c', localId: 'gw one' }] });
    expect(text).toContain('secret = "a\\"b\\\\c"');
    expect(text).toContain('id = "gw one"');
    expect(text).toContain('id-local = "gw one"');
    expect(text).toContain('id-remote = "127.0.0.2"');
  });
});

describe('strongswanConf', () => {
  it('logs ike and chd at level 4 and listens on the harness ports; libipsec adds its plugin', () => {
    const netlink = strongswanConf({ connections: [conn] }, { log: '/tmp/x/charon.log' });
    expect(netlink).toMatch(/^ {6}ike = 4$/m);
    expect(netlink).toMatch(/^ {6}chd = 4$/m);
    expect(netlink).toMatch(/^ {2}port = 5500$/m);
    expect(netlink).toMatch(/^ {2}port_nat_t = 5501$/m);
    expect(netlink).toMatch(/^ {6}path = \/tmp\/x\/charon.log$/m);
    expect(netlink).not.toContain('kernel-libipsec');
    expect(strongswanConf({ connections: [conn], kernel: 'libipsec' }, { log: '/l' })).toContain('kernel-libipsec kernel-netlink');
    expect(() => strongswanConf({ connections: [conn], retransmitTries: -1 }, { log: '/l' })).toThrow(/retransmitTries/);
  });
});
