/**
 * Test support: a typed description of a strongSwan charon test peer, written out as the two
 * files charon and swanctl read (strongswan.conf and swanctl.conf).
 *
 * Owns: the description's types, its defaults (charon on 127.0.0.1 ports 5500/5501, the peer
 * under test on 127.0.0.2 ports 500/4500, level-4 `ike`/`chd` logs, two retransmits one
 * second apart) and the text of both files. Refuses names and values that would need quoting
 * rules swanctl does not have (a connection name with a space, a PSK with a newline): it
 * throws, since the description is test code and a wrong one is a bug in that test.
 * Running charon is runner.ts's job; this file writes text only.
 */

/** Where charon listens, and where the peer under test listens, in the harness namespace. */
export const CHARON_ADDR = '127.0.0.1';
export const CHARON_PORT = 5500;
export const CHARON_NATT_PORT = 5501;
export const PEER_ADDR = '127.0.0.2';
export const PEER_PORT = 500;
export const PEER_NATT_PORT = 4500;
/** The only secret the interop tests use. */
export const TEST_PSK = 'interop-test-psk';

/** One CHILD_SA configuration (swanctl `connections.<conn>.children.<name>`). */
export interface CharonChild {
  readonly name: string;
  /** Traffic selectors in swanctl syntax (`10.1.0.0/16`, `0.0.0.0/0`). */
  readonly localTs: readonly string[];
  readonly remoteTs: readonly string[];
  /** ESP proposals in swanctl syntax (`aes256-sha1`, `aes128-sha256-modp2048`). */
  readonly espProposals: readonly string[];
  readonly mode?: 'tunnel' | 'transport';
  /** What charon does once the config is loaded: nothing, install a trap policy, initiate. */
  readonly startAction?: 'none' | 'trap' | 'start';
  /** What charon does with this CHILD_SA when DPD declares the peer dead. */
  readonly dpdAction?: 'clear' | 'trap' | 'restart';
  /** CHILD_SA rekey and hard lifetimes in seconds (swanctl rekey_time, life_time). */
  readonly rekeyTimeS?: number;
  readonly lifeTimeS?: number;
  /** CHILD_SA rekey and hard volume limits in bytes (swanctl rekey_bytes, life_bytes). */
  readonly rekeyBytes?: number;
  readonly lifeBytes?: number;
}

/** One connection (swanctl `connections.<name>`): an IKE SA config and its children. */
export interface CharonConnection {
  readonly name: string;
  /** 2 = IKEv2 (route-based), 1 = IKEv1 (policy-based, Main Mode unless aggressive). */
  readonly version: 1 | 2;
  readonly aggressive?: boolean;
  /** Defaults: charon at CHARON_ADDR, the peer at PEER_ADDR. */
  readonly localAddrs?: readonly string[];
  readonly remoteAddrs?: readonly string[];
  /** The peer's IKE port charon sends to as initiator (default PEER_PORT). */
  readonly remotePort?: number;
  /** IKE proposals in swanctl syntax (`aes256-sha1-modp1024`); charon offers them in order. */
  readonly proposals: readonly string[];
  /** PSK authentication on both sides (default TEST_PSK). */
  readonly psk?: string;
  /** Identities (default: the first local/remote address). */
  readonly localId?: string;
  readonly remoteId?: string;
  /** Force UDP encapsulation: charon fakes a NAT (swanctl encap = yes). */
  readonly encap?: boolean;
  readonly mobike?: boolean;
  readonly fragmentation?: boolean;
  /** IKE SA rekey, reauthentication and over time in seconds (swanctl rekey_time, ...). */
  readonly rekeyTimeS?: number;
  readonly reauthTimeS?: number;
  readonly overTimeS?: number;
  /** Dead peer detection: interval and (IKEv1 only) timeout in seconds. */
  readonly dpdDelayS?: number;
  readonly dpdTimeoutS?: number;
  readonly children: readonly CharonChild[];
}

/** charon's whole side of a test. */
export interface CharonConfig {
  readonly connections: readonly CharonConnection[];
  /**
   * How charon installs CHILD_SAs. `netlink`: the kernel's XFRM (this project's kernels
   * have no ESP, so installing fails and charon keeps the IKE SA, having logged the keys).
   * `libipsec`: userspace ESP on a TUN device; it supports UDP-encapsulated ESP only, so
   * charon fakes a NAT whenever NAT detection runs.
   */
  readonly kernel?: 'netlink' | 'libipsec';
  readonly port?: number;
  readonly portNatT?: number;
  /** Retransmissions of an unanswered request, and the first wait in seconds. */
  readonly retransmitTries?: number;
  readonly retransmitTimeoutS?: number;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
/** Values written unquoted: addresses, prefixes, proposal names. */
const BARE = /^[A-Za-z0-9.:/%_-]+$/;

function checkName(what: string, name: string): string {
  if (!NAME.test(name)) throw new Error(`strongswan config: ${what} name ${JSON.stringify(name)} must match ${NAME}`);
  return name;
}

function bareList(what: string, values: readonly string[]): string {
  if (values.length === 0) throw new Error(`strongswan config: ${what} is empty`);
  for (const v of values) {
    if (!BARE.test(v)) throw new Error(`strongswan config: ${what} value ${JSON.stringify(v)} is not a plain token`);
  }
  return values.join(',');
}

/** A double-quoted swanctl string; swanctl has no escapes for newlines, so they are refused. */
function quoted(what: string, value: string): string {
  if (/[\n\r\0]/.test(value)) throw new Error(`strongswan config: ${what} has a line break or NUL`);
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function seconds(what: string, s: number): string {
  if (!Number.isInteger(s) || s < 0) throw new Error(`strongswan config: ${what} ${s} is not a whole number of seconds`);
  return `${s}s`;
}

function count(what: string, n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`strongswan config: ${what} ${n} is not a count`);
  return String(n);
}

function yesNo(b: boolean): string {
  return b ? 'yes' : 'no';
}

function localIdOf(c: CharonConnection): string {
  return c.localId ?? (c.localAddrs ?? [CHARON_ADDR])[0]!;
}

function remoteIdOf(c: CharonConnection): string {
  return c.remoteId ?? (c.remoteAddrs ?? [PEER_ADDR])[0]!;
}

function childText(ch: CharonChild): string[] {
  const out = [
    `      ${checkName('child', ch.name)} {`,
    `        local_ts = ${bareList('local_ts', ch.localTs)}`,
    `        remote_ts = ${bareList('remote_ts', ch.remoteTs)}`,
    `        esp_proposals = ${bareList('esp_proposals', ch.espProposals)}`,
    `        mode = ${ch.mode ?? 'tunnel'}`,
    `        start_action = ${ch.startAction ?? 'none'}`,
  ];
  if (ch.dpdAction !== undefined) out.push(`        dpd_action = ${ch.dpdAction}`);
  if (ch.rekeyTimeS !== undefined) out.push(`        rekey_time = ${seconds('child rekey_time', ch.rekeyTimeS)}`);
  if (ch.lifeTimeS !== undefined) out.push(`        life_time = ${seconds('child life_time', ch.lifeTimeS)}`);
  if (ch.rekeyBytes !== undefined) out.push(`        rekey_bytes = ${count('child rekey_bytes', ch.rekeyBytes)}`);
  if (ch.lifeBytes !== undefined) out.push(`        life_bytes = ${count('child life_bytes', ch.lifeBytes)}`);
  out.push('      }');
  return out;
}

function connectionText(c: CharonConnection): string[] {
  const out = [
    `  ${checkName('connection', c.name)} {`,
    `    version = ${c.version}`,
    `    local_addrs = ${bareList('local_addrs', c.localAddrs ?? [CHARON_ADDR])}`,
    `    remote_addrs = ${bareList('remote_addrs', c.remoteAddrs ?? [PEER_ADDR])}`,
    `    remote_port = ${count('remote_port', c.remotePort ?? PEER_PORT)}`,
    `    proposals = ${bareList('proposals', c.proposals)}`,
    `    encap = ${yesNo(c.encap ?? false)}`,
    `    mobike = ${yesNo(c.mobike ?? false)}`,
    `    fragmentation = ${yesNo(c.fragmentation ?? false)}`,
  ];
  if (c.version === 1) out.push(`    aggressive = ${yesNo(c.aggressive ?? false)}`);
  else if (c.aggressive) throw new Error(`strongswan config: connection ${c.name}: aggressive mode is IKEv1 only`);
  if (c.rekeyTimeS !== undefined) out.push(`    rekey_time = ${seconds('rekey_time', c.rekeyTimeS)}`);
  if (c.reauthTimeS !== undefined) out.push(`    reauth_time = ${seconds('reauth_time', c.reauthTimeS)}`);
  if (c.overTimeS !== undefined) out.push(`    over_time = ${seconds('over_time', c.overTimeS)}`);
  if (c.dpdDelayS !== undefined) out.push(`    dpd_delay = ${seconds('dpd_delay', c.dpdDelayS)}`);
  if (c.dpdTimeoutS !== undefined) out.push(`    dpd_timeout = ${seconds('dpd_timeout', c.dpdTimeoutS)}`);
  out.push(
    `    local {`,
    `      auth = psk`,
    `      id = ${quoted('local id', localIdOf(c))}`,
    `    }`,
    `    remote {`,
    `      auth = psk`,
    `      id = ${quoted('remote id', remoteIdOf(c))}`,
    `    }`,
    `    children {`,
    ...c.children.flatMap(childText),
    `    }`,
    `  }`,
  );
  return out;
}

/** swanctl.conf: the connections, and one PSK entry per connection for its identity pair. */
export function swanctlConf(config: CharonConfig): string {
  if (config.connections.length === 0) throw new Error('strongswan config: no connection');
  const names = config.connections.map((c) => c.name);
  if (new Set(names).size !== names.length) throw new Error(`strongswan config: connection names repeat: ${names.join(', ')}`);
  const secrets = config.connections.flatMap((c) => [
    `  ike-${c.name} {`,
    `    id-local = ${quoted('local id', localIdOf(c))}`,
    `    id-remote = ${quoted('remote id', remoteIdOf(c))}`,
    `    secret = ${quoted('psk', c.psk ?? TEST_PSK)}`,
    `  }`,
  ]);
  return [
    '# Written by test/support/strongswan/config.ts for one harness run.',
    'connections {',
    ...config.connections.flatMap(connectionText),
    '}',
    'secrets {',
    ...secrets,
    '}',
    '',
  ].join('\n');
}

/** Where the run's files are, as charon sees them (inside the harness namespace). */
export interface CharonPaths {
  readonly log: string;
}

/** The plugins charon loads: the 2016 algorithms need no openssl plugin (aes, sha1, hmac, gmp). */
function charonPlugins(kernel: 'netlink' | 'libipsec'): string {
  const kernels = kernel === 'libipsec' ? 'kernel-libipsec kernel-netlink' : 'kernel-netlink';
  return `random nonce aes sha1 sha2 hmac gmp kdf socket-default ${kernels} vici`;
}

/**
 * strongswan.conf for charon and swanctl. charon: loopback ports, fast retransmits, a file
 * log with `ike` and `chd` at level 4 (every derived key as a labelled hex dump), plugins
 * named one by one (`load_modular = no`) so /etc/strongswan.d does not change the run.
 */
export function strongswanConf(config: CharonConfig, paths: CharonPaths): string {
  const kernel = config.kernel ?? 'netlink';
  const tries = config.retransmitTries ?? 2;
  const timeout = config.retransmitTimeoutS ?? 1;
  if (!Number.isInteger(tries) || tries < 0) throw new Error(`strongswan config: retransmitTries ${tries}`);
  if (!(timeout > 0)) throw new Error(`strongswan config: retransmitTimeoutS ${timeout}`);
  return [
    '# Written by test/support/strongswan/config.ts for one harness run.',
    'charon {',
    '  load_modular = no',
    `  load = ${charonPlugins(kernel)}`,
    `  port = ${count('port', config.port ?? CHARON_PORT)}`,
    `  port_nat_t = ${count('port_nat_t', config.portNatT ?? CHARON_NATT_PORT)}`,
    `  retransmit_tries = ${tries}`,
    `  retransmit_timeout = ${timeout}`,
    '  install_routes = yes',
    '  filelog {',
    '    main {',
    `      path = ${paths.log}`,
    '      time_format = %H:%M:%S',
    '      append = no',
    '      flush_line = yes',
    '      default = 1',
    '      ike = 4',
    '      chd = 4',
    '      knl = 2',
    '      esp = 2',
    '    }',
    '  }',
    '}',
    'swanctl {',
    '  load = random nonce aes sha1 sha2 hmac gmp pem pkcs1 x509 pubkey',
    '}',
    '',
  ].join('\n');
}
