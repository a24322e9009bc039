/**
 * `vgw peer`: play the Azure side of one Site-to-Site connection of a scenario on real UDP
 * against a real device, and print the negotiation. Flags, sockets, the clock and printing
 * only; the endpoint and the words are sim/'s (openPeerSession, ikeOutputText).
 * Refuses to send anywhere but the device's address (the scenario's gatewayIp, or --peer),
 * and ignores datagrams from any other address.
 */
import dgram from 'node:dgram';
import { randomInt } from 'node:crypto';
import { openPeerSession, parseIPv4, ikeOutputJson, ikeOutputText, formatIPv4 } from '../../sim/index.js';
import type { IkeDatagram, IkeOutput, PeerPorts, PeerSession } from '../../sim/index.js';
import { COMMON, UsageError, fileArg, intFlag, secondsFlag, str, validScenario } from '../command.js';
import type { Command, Io } from '../command.js';
import { jsonLine, printable } from '../printable.js';

const IKE_PORT = 500;
const NATT_PORT = 4500;
const DEFAULT_TIMEOUT_S = 60;
/** How long the command still answers after the final status (a retransmitted request whose answer was lost) before it exits. */
const LINGER_MS = 500;

/** `ADDR[:PORT]` as an address and the IKE and NAT-T ports (PORT 500 or none: 4500; else PORT+1). */
function addressFlag(name: string, v: string): { addr: number; port: number; natPort: number } {
  const m = /^([^:]+)(?::(\d+))?$/.exec(v);
  const addr = m ? parseIPv4(m[1]!) : undefined;
  if (!m || !addr || !addr.ok) throw new UsageError(`vgw peer: --${name} must be ADDR or ADDR:PORT with an IPv4 address, got "${v}"`);
  const port = m[2] === undefined ? IKE_PORT : Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > 65534) throw new UsageError(`vgw peer: --${name} port must be a whole number from 1 to 65534, got "${m[2]}"`);
  return { addr: addr.value, port, natPort: port === IKE_PORT ? NATT_PORT : port + 1 };
}

export const peerCommand: Command = {
  summary: 'play the Azure side of a connection on real UDP against a real device',
  usage: 'vgw peer FILE --connection NAME --listen ADDR[:PORT] [--peer ADDR[:PORT]] [--initiate] [--timeout SECONDS] [--seed N] [--json] [--no-color]',
  help: [
    'Test your on-premises device against the gateway before you deploy: plays the Azure',
    'gateway\'s side of the Site-to-Site (IPsec) connection NAME of the scenario in FILE over',
    'real UDP, with the settings Azure uses for that gateway (policy-based: IKEv1 Main Mode',
    'and Quick Mode; route-based: IKEv2), the connection\'s shared key, and the gateway\'s',
    'public address and the site\'s gatewayIp as identities. Prints every message sent and',
    'received (strongSwan\'s summaries), every log line and the session status in the words',
    'of a simulated run, and exits after the first final status.',
    '',
    'It sends only to the device: the site\'s gatewayIp, or the --peer address, on the port',
    'the device talks from. Datagrams from any other address are ignored. Its random values',
    'come from vgwsim\'s seeded generator, not a cryptographic one: use a test key.',
    'It exits without deleting what was negotiated: the device keeps its SAs until its dead',
    'peer detection or their lifetimes end them, as after a gateway that went away.',
    '',
    'Options:',
    '  --connection NAME  the IPsec connection to play (required)',
    '  --listen A[:P]     listen on address A, IKE port P (default 500) and NAT-T port 4500,',
    '                     or P+1 when P is not 500 (required; binding 500 usually needs root)',
    '  --peer A[:P]       where the device really is, when it differs from the scenario\'s',
    '                     gatewayIp (a lab behind NAT, a test on loopback): its address, IKE',
    '                     port P (default 500) and NAT-T port (4500, or P+1 when P is not 500)',
    '  --initiate         start the negotiation (route-based: IKE_SA_INIT; policy-based: Main',
    '                     Mode and a Quick Mode for the first VNet prefix x site prefix pair);',
    '                     without it, wait for the device to start',
    '  --timeout S        give up after S seconds without a final status (default 60)',
    '  --seed N           seed of the SPIs, nonces and DH values (default: a random one)',
    '  --json             one JSON object per line: listening, each message, log and status',
    '  --no-color         no colours',
    '',
    'Example: vgw peer scenarios/s2s-policy-based.yaml --connection gw1-hq --listen 0.0.0.0 --initiate',
    '',
    'Exit codes: 0 the session was established, 1 it failed (a status such as',
    'AUTHENTICATION_FAILED or IKE_PHASE1_KEY_MISMATCH) or no answer came in time,',
    '2 bad input (the scenario, a flag, an unknown connection, an address it cannot listen on).',
  ].join('\n'),
  options: {
    ...COMMON,
    connection: { type: 'string' },
    listen: { type: 'string' },
    peer: { type: 'string' },
    initiate: { type: 'boolean' },
    timeout: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean' },
  },
  run({ values, positionals }, io) {
    const file = fileArg('peer', positionals);
    const json = values['json'] === true;
    const name = str(values['connection']);
    if (name === undefined) throw new UsageError('vgw peer: missing --connection NAME (see vgw peer --help)');
    const listenText = str(values['listen']);
    if (listenText === undefined) throw new UsageError('vgw peer: missing --listen ADDR[:PORT] (see vgw peer --help)');
    const listen = addressFlag('listen', listenText);
    const peerText = str(values['peer']);
    const peer = peerText === undefined ? null : addressFlag('peer', peerText);
    const timeoutS = secondsFlag('peer', 'timeout', values['timeout']) ?? DEFAULT_TIMEOUT_S;
    const seed = intFlag('peer', 'seed', values['seed'], 0, 0xffff_ffff) ?? randomInt(0, 0xffff_ffff);
    const scenario = validScenario(file, io, json);
    if (!scenario) return 2;
    const ports: PeerPorts = { local: listen.port, localNatT: listen.natPort, remote: peer?.port ?? IKE_PORT, remoteNatT: peer?.natPort ?? NATT_PORT };
    const opened = openPeerSession(scenario, name, {
      initiate: values['initiate'] === true,
      localAddress: listen.addr === 0 ? null : listen.addr,
      peerAddress: peer?.addr ?? null,
      ports,
      seed,
    });
    if (!opened.ok) {
      const names = opened.known.length > 0 ? opened.known.map((n) => `"${n}"`).join(', ') : 'none';
      throw new UsageError(`vgw peer: ${opened.problem} in ${file} (its IPsec connections: ${names})`);
    }
    return drive(opened.session, formatIPv4(listen.addr), ports, timeoutS, json, io);
  },
};

/** Run the session on real sockets until a final status or the timeout; resolves to the exit code. */
function drive(session: PeerSession, listenAddr: string, ports: PeerPorts, timeoutS: number, json: boolean, io: Io): Promise<number> {
  const { endpoint, config, peerAddress } = session;
  const peerText = formatIPv4(peerAddress);
  const t0 = Date.now();
  const now = (): number => (Date.now() - t0) / 1000;
  const sockets = new Map<number, dgram.Socket>();
  let timer: NodeJS.Timeout | null = null;
  let finished = false;
  let heard = false;

  return new Promise<number>((resolve) => {
    const print = (o: IkeOutput): void => {
      const t = Math.round(now() * 1000) / 1000;
      if (json) {
        const j = ikeOutputJson(o);
        if (j) io.out(jsonLine({ t, ...j }));
      } else {
        const text = ikeOutputText(o);
        if (text) io.out(`${t.toFixed(3).padStart(8)}s  ${printable(text)}`);
      }
    };
    const note = (type: string, text: string, extra: Record<string, unknown> = {}): void => {
      if (json) io.out(jsonLine({ t: Math.round(now() * 1000) / 1000, type, text, ...extra }));
      else io.out(`${now().toFixed(3).padStart(8)}s  ${printable(text)}`);
    };

    const end = (code: number): void => {
      if (finished) return;
      finished = true;
      if (timer) clearTimeout(timer);
      clearTimeout(deadline);
      setTimeout(() => {
        for (const s of sockets.values()) s.close();
        resolve(code);
      }, LINGER_MS);
    };

    const send = (d: IkeDatagram): void => {
      const socket = sockets.get(d.sport);
      // The endpoint answers the device only; anything else is refused here, never sent.
      if (d.dst !== peerAddress || !socket) {
        note('refused', `refused to send to ${formatIPv4(d.dst)}[${d.dport}]: vgw peer sends only to ${peerText}`);
        return;
      }
      socket.send(d.payload, d.dport, peerText);
    };

    function carry(outputs: readonly IkeOutput[]): void {
      let status: IkeOutput | undefined;
      for (const o of outputs) {
        print(o);
        if (o.kind === 'send') send(o.datagram);
        if (o.kind === 'status' && status === undefined) status = o;
      }
      if (status?.kind === 'status') end(status.status === 'IPSEC_SESSION_ESTABLISHED' ? 0 : 1);
      schedule();
    }

    function schedule(): void {
      if (timer) clearTimeout(timer);
      timer = null;
      const at = endpoint.nextDeadline();
      if (!Number.isFinite(at) || finished) return;
      timer = setTimeout(() => carry(endpoint.tick(now())), Math.max(0, (at - now()) * 1000));
    }

    const deadline = setTimeout(() => {
      note('timeout', heard
        ? `no final status from ${peerText} within ${timeoutS} s`
        : `no answer from ${peerText} within ${timeoutS} s`);
      end(1);
    }, timeoutS * 1000);

    const onMessage = (port: number) => (msg: Buffer, rinfo: dgram.RemoteInfo): void => {
      if (rinfo.address !== peerText) {
        note('ignored', `ignored a datagram from ${rinfo.address}[${rinfo.port}]: not the device (${peerText})`);
        return;
      }
      // On the NAT-T port, a datagram without the 4-byte zero non-ESP marker is ESP (RFC 3948 §2.2): not IKE, not played here.
      if (port === ports.localNatT && msg.length >= 4 && msg.readUInt32BE(0) !== 0) return;
      heard = true;
      const d: IkeDatagram = { src: peerAddress, dst: config.local, sport: rinfo.port, dport: port, payload: new Uint8Array(msg) };
      carry(endpoint.receive(d, now()));
    };

    const bind = (port: number): Promise<string | null> => new Promise((done) => {
      const s = dgram.createSocket('udp4');
      s.once('error', (e: NodeJS.ErrnoException) => done(`cannot listen on ${listenAddr}[${port}]: ${e.code ?? e.message}`));
      s.on('message', onMessage(port));
      s.bind(port, listenAddr, () => {
        sockets.set(port, s);
        done(null);
      });
    });

    void (async () => {
      const problems = [await bind(ports.local), await bind(ports.localNatT)].filter((p): p is string => p !== null);
      if (problems.length > 0) {
        finished = true;
        clearTimeout(deadline);
        for (const s of sockets.values()) s.close();
        io.err(printable(`vgw peer: ${problems.join('; ')}`));
        resolve(2);
        return;
      }
      const version = config.version === 2 ? 'IKEv2' : 'IKEv1';
      note('listening', `listening on ${listenAddr}[${ports.local}] and [${ports.localNatT}] as ${config.connection}'s gateway (${version}), device ${peerText}[${ports.remote}]`,
        { connection: config.connection, version: config.version, listen: listenAddr, port: ports.local, nattPort: ports.localNatT, peer: peerText, peerPort: ports.remote });
      if (config.initiator && session.firstPair) carry(endpoint.acquire(session.firstPair, now()));
      else carry(endpoint.start(now()));
    })();
  });
}
