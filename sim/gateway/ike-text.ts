/**
 * An IKE endpoint's outputs (sim/ike/endpoint.ts `IkeOutput`) in words and as JSON objects:
 * one line per message sent or received (strongSwan's summary and both ends), log line,
 * child SA up or down, and status (with its detail and the peer's notify). `vgw peer`
 * prints these; a simulated negotiation shows the same words. Key material is never shown:
 * `ike-sa-keys` outputs have no line. Pure: no Node.
 */
import type { IkeOutput, SelectorPair } from '../ike/endpoint.js';
import { formatIPv4 } from '../net/ipv4.js';

/** A selector pair as strongSwan writes it: `10.1.0.0/16 === 192.168.0.0/16`. */
function pairText(p: SelectorPair): string {
  return `${p.local.text} === ${p.remote.text}`;
}

function hostPort(addr: number, port: number): string {
  return `${formatIPv4(addr)}[${port}]`;
}

/**
 * One output in words, or null for the ones not shown (keys). `send` and
 * `received` carry strongSwan's summary and both ends (`sending packet: from A[500] to
 * B[500]`, as charon logs it); statuses carry the detail and the peer's notify.
 */
export function ikeOutputText(o: IkeOutput): string | null {
  switch (o.kind) {
    case 'send': {
      const d = o.datagram;
      const again = o.retransmit > 0 ? ` (retransmit ${o.retransmit})` : '';
      return `send      ${o.summary} ${hostPort(d.src, d.sport)} -> ${hostPort(d.dst, d.dport)}${again}`;
    }
    case 'received': {
      const d = o.datagram;
      return `received  ${o.summary} ${hostPort(d.src, d.sport)} -> ${hostPort(d.dst, d.dport)}${o.problem ? `: dropped, ${o.problem}` : ''}`;
    }
    case 'log':
      return `log       ${o.text}`;
    case 'status':
      return `status    ${o.status}: ${o.detail}${o.notify ? ` (notify ${o.notify})` : ''}`;
    case 'child-up':
      return `child-up  SPIs ${spiText(o.child.inboundSpi)}_i ${spiText(o.child.outboundSpi)}_o ${o.child.transform.name} ${o.child.selectors.map(pairText).join(', ')}`;
    case 'child-down':
      return `child-down SPIs ${spiText(o.inboundSpi)}_i ${spiText(o.outboundSpi)}_o: ${o.reason}`;
    case 'ike-sa-keys':
      return null;
  }
}

function spiText(spi: number): string {
  return (spi >>> 0).toString(16).padStart(8, '0');
}

/** One output as a JSON Lines object (no key material), or null for the ones not shown. */
export function ikeOutputJson(o: IkeOutput): Record<string, unknown> | null {
  switch (o.kind) {
    case 'send':
    case 'received': {
      const d = o.datagram;
      return {
        type: o.kind, summary: o.summary, from: formatIPv4(d.src), sport: d.sport, to: formatIPv4(d.dst), dport: d.dport, bytes: d.payload.length,
        ...(o.kind === 'send' ? { retransmit: o.retransmit } : { problem: o.problem }),
      };
    }
    case 'log':
      return { type: 'log', text: o.text };
    case 'status':
      return { type: 'status', status: o.status, detail: o.detail, notify: o.notify };
    case 'child-up':
      return {
        type: 'child-up', inboundSpi: spiText(o.child.inboundSpi), outboundSpi: spiText(o.child.outboundSpi), transform: o.child.transform.name,
        selectors: o.child.selectors.map(pairText), lifetime: o.child.lifetime,
      };
    case 'child-down':
      return { type: 'child-down', inboundSpi: spiText(o.inboundSpi), outboundSpi: spiText(o.outboundSpi), reason: o.reason };
    case 'ike-sa-keys':
      return null;
  }
}

/** What each payload of strongSwan's one-line summaries carries (IKEv2 and ISAKMP names). */
const PAYLOAD_MEANING: Readonly<Record<string, string>> = {
  SA: 'security association: the proposals (algorithms, DH group) offered, or the one chosen',
  KE: 'key exchange: this side\'s Diffie-Hellman public value',
  No: 'nonce: fresh random bytes that go into the keys',
  V: 'vendor ID (here: the NAT traversal capability)',
  'NAT-D': 'NAT detection: a hash of an address and port, to see whether a NAT changed them',
  IDi: 'the initiator\'s identity', IDr: 'the responder\'s identity', ID: 'an identity (Main Mode) or a proxy ID (Quick Mode: a prefix)',
  AUTH: 'authentication: a PRF over the exchange keyed with the pre-shared key',
  HASH: 'a PRF over the message, keyed from the exchange (IKEv1\'s integrity and authentication)',
  TSi: 'the initiator\'s traffic selectors', TSr: 'the responder\'s traffic selectors',
  D: 'delete: the SPIs of SAs being deleted',
  CPRQ: 'configuration request', CPRP: 'configuration reply',
};

/**
 * The payloads of a message summary (`IKE_AUTH request 1 [ IDi AUTH SA TSi TSr ]`), each with
 * what it carries; notifies (`N(NATD_S_IP)`) by name. Empty when the summary lists none.
 */
export function ikePayloadLines(summary: string): string[] {
  const m = /\[ (.*) \]/.exec(summary);
  if (!m) return [];
  return m[1]!.split(' ').filter(Boolean).map((p) => {
    const notify = /^N\((.+)\)$/.exec(p);
    if (notify) return `N(${notify[1]}): notify ${notify[1]}${/^NATD/.test(notify[1]!) ? ' (NAT detection hash)' : ''}`;
    return `${p}: ${PAYLOAD_MEANING[p] ?? 'payload'}`;
  });
}
