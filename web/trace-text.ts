/**
 * What the trace panel says: one line per event (time, flow#packet, node, stage, decision;
 * a drop always says "DROP", so colour is never the only signal) and the selected event's
 * detail (headers, the route or selector and the routes it beat, the SA, a drop's reason
 * explained with its fix), as the terminal UI shows them. Pure: events in, text out.
 */
import { DROP_EXPLANATIONS, ikePayloadLines } from '../sim/web/index.js';
import type { SimEvent } from '../sim/web/index.js';

export type Tone = 'drop' | 'ok' | 'internet' | 'fault' | 'dim' | 'title';

export interface DetailRow {
  readonly label: string;
  readonly text: string;
  readonly tone?: Tone;
}

/** Virtual time in words: 0s, 12.5ms, 1.25s. */
export function timeText(t: number): string {
  if (t === 0) return '0s';
  if (t < 1) return `${+(t * 1000).toFixed(1)}ms`;
  return `${+t.toFixed(3)}s`;
}

/** A trace line's text (tabs of an access-list entry as spaces). */
const oneLine = (s: string): string => s.replace(/\s+/g, ' ');

/** One event as a line of the trace list. */
export function eventText(e: SimEvent): string {
  const t = timeText(e.t);
  if (e.type === 'fault') return `${t}  FAULT ${e.note}`;
  if (e.type === 'ike') return `${t}  IKE ${e.connection} ${e.node}: ${oneLine(e.text)}`;
  const who = `${e.flow}#${e.packet}`;
  if (e.type === 'hop') return `${t}  ${who}  ${e.hop}. ${e.node} ${e.stage}: ${oneLine(e.decision)}`;
  if (e.type === 'inject') return `${t}  ${who}  INJECT ${e.action} on ${e.connection}: ${e.result}${e.reason ? ` (${e.reason})` : ''}`;
  if (e.type === 'delivered') return `${t}  ${who}  ✓ DELIVERED to ${e.node}`;
  if (e.type === 'internet') return `${t}  ${who}  → INTERNET at ${e.node} (clear text)`;
  return `${t}  ${who}  ✗ DROP ${e.reason ?? ''} at ${e.node}`;
}

export function eventTone(e: SimEvent): Tone | undefined {
  if (e.type === 'dropped') return 'drop';
  if (e.type === 'delivered') return 'ok';
  if (e.type === 'internet') return 'internet';
  if (e.type === 'fault') return 'fault';
  if (e.type === 'ike') return e.action === 'lost' || (e.status !== undefined && e.status !== 'IPSEC_SESSION_ESTABLISHED') ? 'drop' : e.action === 'status' ? 'ok' : 'dim';
  if (e.type === 'inject' && e.reason) return 'drop';
  return undefined;
}

/** The selected event explained, row by row. */
export function detailRows(e: SimEvent): DetailRow[] {
  const rows: DetailRow[] = [];
  const add = (label: string, text: string, tone?: Tone): void => {
    rows.push(tone ? { label, text: oneLine(text), tone } : { label, text: oneLine(text) });
  };
  if (e.type === 'fault') {
    add('fault', `t=${timeText(e.t)}: ${e.note}`, 'fault');
    add('effect', e.down ? 'Its routes are withdrawn and its tunnels carry nothing until it comes back.' : 'Its routes are back; traffic returns to it.');
    return rows;
  }
  if (e.type === 'ike') {
    add('IKE', `${e.connection} at t=${timeText(e.t)}: ${e.node} (${e.action})`, 'title');
    add('message', e.text);
    if (e.src) add('UDP', `${e.src}:${e.sport} → ${e.dst}:${e.dport}, ${e.bytes} bytes of IKE`);
    for (const p of ikePayloadLines(e.text)) add('payload', p, 'dim');
    if (e.status) add('status', `${e.status}${e.notify ? ` (notify ${e.notify})` : ''}`, e.status === 'IPSEC_SESSION_ESTABLISHED' ? 'ok' : 'drop');
    return rows;
  }
  if (e.type === 'inject') {
    add('injection', `${e.flow} packet ${e.packet} at t=${timeText(e.t)} on ${e.connection}`, 'title');
    add('result', `${e.action} of ESP packet SA ${e.sa} spi ${e.spi} seq ${e.seq}: ${e.result}${e.reason ? ` (DROP ${e.reason})` : ''}`, e.reason ? 'drop' : undefined);
    add('detail', e.detail, 'dim');
    return rows;
  }
  add('packet', `${e.flow} packet ${e.packet} at t=${timeText(e.t)}, ${e.node} (${e.stage})`, 'title');
  if (e.type === 'hop') {
    add('decision', e.decision);
    add('header', `IPv4 ${e.src} → ${e.dst}`);
    if (e.route) add('route', `${e.route.prefix} → ${e.route.nextHop} [${e.route.source}]`);
    for (const b of e.beat ?? []) add('beat', `${b.prefix} → ${b.nextHop} [${b.source}]`, 'dim');
    if (e.selector) add('selector', `#${e.selector.index}: ${e.selector.src} ↔ ${e.selector.dst}${e.selector.action ? ` (${e.selector.action})` : ''}`);
    if (e.sa) {
      const sa = e.sa;
      add('SA', `${sa.name} spi ${sa.spi}${sa.seq !== undefined ? ` seq ${sa.seq}` : ''}${sa.transform ? ` ${sa.transform}` : ''}`);
      if (sa.innerHeader) add('inner', sa.innerHeader);
      if (sa.outerHeader) add('outer', sa.outerHeader);
      else if (sa.outer) add('outer', `${sa.outer.src} → ${sa.outer.dst}`);
      if (sa.sizeBefore !== undefined && sa.sizeAfter !== undefined) {
        const more = sa.overhead !== undefined ? ` (+${sa.overhead} ESP overhead)` : '';
        add('size', `${sa.sizeBefore} → ${sa.sizeAfter} bytes${more}${sa.mtu !== undefined ? `, path MTU ${sa.mtu}` : ''}${sa.espPackets && sa.espPackets > 1 ? `, ${sa.espPackets} ESP packets` : ''}`);
      }
    }
    if (e.connection) add('connection', e.connection);
    return rows;
  }
  const via = e.via.length ? ` via ${e.via.join(', ')}` : '';
  if (e.type === 'delivered') add('outcome', `✓ DELIVERED to ${e.node}${via}`, 'ok');
  else if (e.type === 'internet') add('outcome', `→ INTERNET: left for the Internet in clear text at ${e.node}${via}`, 'internet');
  else {
    add('outcome', `✗ DROP: ${e.reason ?? 'dropped'} at ${e.node} (${e.stage})`, 'drop');
    if (e.reason) {
      const x = DROP_EXPLANATIONS[e.reason];
      add('why', x.meaning);
      add('decided by', x.responsible);
      add('fix', x.fix);
    }
    if (e.detail) add('here', e.detail, 'dim');
  }
  return rows;
}
