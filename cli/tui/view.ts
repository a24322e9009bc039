/**
 * What the three panes of the terminal UI say, as plain lines: the topology, the event
 * list around the cursor, and the selected event's detail. Pure functions of the scenario,
 * the run result and the UI state; the Ink component only lays them out and colours them.
 * Every line is escaped for the terminal (printable.ts; traceText, so the tabs of an
 * access-list line show as spaces) before it is cut to its pane.
 */
import { DROP_EXPLANATIONS, ikePayloadLines } from '../../sim/index.js';
import type { RunResult, Scenario, SimEvent } from '../../sim/index.js';
import { wrapText } from '../format.js';
import { printable, traceText } from '../printable.js';
import type { TuiState } from './state.js';

export interface Line {
  readonly text: string;
  readonly tone?: 'drop' | 'ok' | 'internet' | 'fault' | 'dim' | 'title' | 'selected';
}

/** `s` escaped for the terminal, then cut to `w` columns. */
function cut(text: string, w: number): string {
  if (w <= 0) return '';
  const s = traceText(text);
  return s.length <= w ? s : s.slice(0, Math.max(0, w - 1)) + '…';
}

export function fmtTime(t: number): string {
  if (t === 0) return '0s';
  if (t < 1) return `${+(t * 1000).toFixed(1)}ms`;
  return `${+t.toFixed(3)}s`;
}

/**
 * Each connection's state at the selected event: a Site-to-Site or VNet-to-VNet connection
 * follows its gateway's IKE status events (down until the first), every connection its
 * faults.
 */
export type ConnectionState = 'up' | 'down' | 'ike-failed' | 'no-sa-yet';

export function connectionStates(s: Scenario, r: RunResult, events: readonly SimEvent[], upTo: number): Map<string, ConnectionState> {
  // A connection's IKE state (from its gateway's status events) and whether a fault cut it.
  const negotiated = new Set(r.ike.map((c) => c.connection));
  const ike = new Map<string, ConnectionState>(s.connections.map((c) => [c.name, negotiated.has(c.name) ? 'no-sa-yet' : 'up']));
  const cut = new Set<string>();
  for (let i = 0; i <= upTo && i < events.length; i++) {
    const e = events[i]!;
    if (e.type === 'ike' && e.action === 'status' && s.connections.some((c) => c.name === e.connection && c.gateway === e.node)) {
      ike.set(e.connection, e.status === 'IPSEC_SESSION_ESTABLISHED' ? 'up' : 'ike-failed');
    } else if (e.type === 'fault') {
      for (const c of s.connections) {
        if (c.name !== e.target && c.circuit !== e.target) continue;
        if (e.down) cut.add(c.name);
        else cut.delete(c.name);
      }
    }
  }
  return new Map(s.connections.map((c) => [c.name, cut.has(c.name) ? 'down' : ike.get(c.name)!]));
}

export function topologyLines(s: Scenario, r: RunResult, st: TuiState, width: number): Line[] {
  const lines: Line[] = [];
  const sel = st.visible[st.cursor] ?? -1;
  lines.push({ text: 'VNets', tone: 'title' });
  for (const v of s.vnets) lines.push({ text: cut(` ${v.name} ${v.addressSpace.map((p) => p.text).join(' ')}`, width) });
  lines.push({ text: 'Gateways', tone: 'title' });
  for (const g of s.gateways) {
    const kind = g.type === 'ExpressRoute' ? 'ExpressRoute' : g.vpnType === 'PolicyBased' ? 'policy-based' : 'route-based';
    lines.push({ text: cut(` ${g.name} ${kind} ${g.sku}${g.p2s ? ' +P2S' : ''}`, width) });
  }
  if (s.sites.length) lines.push({ text: 'Sites', tone: 'title' });
  for (const x of s.sites) lines.push({ text: cut(` ${x.name} ${x.addressPrefixes.map((p) => p.text).join(' ')}`, width) });
  if (s.connections.length) lines.push({ text: 'Connections', tone: 'title' });
  const states = connectionStates(s, r, st.events, sel);
  for (const c of s.connections) {
    const state = states.get(c.name) ?? 'up';
    const kind = c.type === 'IPsec' ? 'S2S' : c.type === 'Vnet2Vnet' ? 'V2V' : 'ER';
    const label = state === 'up' ? 'up' : state === 'down' ? 'DOWN' : state === 'ike-failed' ? 'IKE failed' : 'no SA yet';
    lines.push({ text: cut(` ${c.name} ${kind} ${label}`, width), tone: state === 'up' ? 'ok' : state === 'no-sa-yet' ? 'dim' : 'drop' });
  }
  return lines;
}

/** One event as a list line: time, flow#packet, node, stage, decision. */
function eventText(e: SimEvent): string {
  const t = fmtTime(e.t).padStart(7);
  if (e.type === 'fault') return `${t} ! ${e.note}`;
  if (e.type === 'ike') return `${t} IKE ${e.connection} ${e.node}: ${e.text.replace(/\s+/g, ' ')}`;
  const who = `${e.flow}#${e.packet}`;
  if (e.type === 'hop') return `${t} ${who} ${e.node} ${e.stage}: ${e.decision}`;
  if (e.type === 'inject') return `${t} ${who} ! inject ${e.action} on ${e.connection}: ${e.result}${e.reason ? ` (${e.reason})` : ''}`;
  if (e.type === 'delivered') return `${t} ${who} ✓ delivered to ${e.node}`;
  if (e.type === 'internet') return `${t} ${who} → internet at ${e.node}`;
  return `${t} ${who} ✗ DROP ${e.reason} at ${e.node}`;
}

function toneOf(e: SimEvent): Line['tone'] {
  if (e.type === 'dropped') return 'drop';
  if (e.type === 'delivered') return 'ok';
  if (e.type === 'internet') return 'internet';
  if (e.type === 'fault') return 'fault';
  if (e.type === 'ike') return e.action === 'lost' || (e.status !== undefined && e.status !== 'IPSEC_SESSION_ESTABLISHED') ? 'drop' : e.action === 'status' ? 'ok' : 'dim';
  return undefined;
}

/** The event list window of `height` lines, scrolled so the cursor is visible. */
export function eventLines(st: TuiState, width: number, height: number): { lines: Line[]; selectedRow: number } {
  const n = st.visible.length;
  if (n === 0) return { lines: [{ text: 'no events (the scenario sends no traffic?)', tone: 'dim' }], selectedRow: -1 };
  const top = Math.max(0, Math.min(st.cursor - Math.floor(height / 2), n - height));
  const lines: Line[] = [];
  for (let k = top; k < Math.min(n, top + height); k++) {
    const e = st.events[st.visible[k]!]!;
    const marker = k === st.cursor ? '▶' : ' ';
    const tone = toneOf(e);
    lines.push({ text: cut(`${marker}${eventText(e)}`, width), ...(tone ? { tone } : {}) });
  }
  return { lines, selectedRow: st.cursor - top };
}

function firstSentence(text: string): string {
  const m = /^.*?[.!?](?=\s|$)/.exec(text);
  return m ? m[0] : text;
}

/** The selected event explained: headers, route or selector and what it beat, SA, drop reason. */
export function detailLines(st: TuiState, width: number): Line[] {
  const e = st.events[st.visible[st.cursor] ?? -1];
  if (!e) return [{ text: 'no event selected', tone: 'dim' }];
  const out: Line[] = [];
  const add = (text: string, tone?: Line['tone']): void => {
    for (const l of wrapText(traceText(text), width)) out.push(tone ? { text: l, tone } : { text: l });
  };
  if (e.type === 'fault') {
    add(`t=${fmtTime(e.t)}: ${e.note}`, 'fault');
    add(e.down ? 'Its routes are withdrawn and its tunnels carry nothing until it comes back.' : 'Its routes are back; traffic returns to it.');
    return out;
  }
  if (e.type === 'ike') {
    add(`IKE on ${e.connection} at t=${fmtTime(e.t)}  ${e.node} (${e.action})`, 'title');
    add(e.text.replace(/\s+/g, ' '));
    if (e.src) add(`UDP ${e.src}:${e.sport} → ${e.dst}:${e.dport}, ${e.bytes} bytes of IKE`);
    for (const p of ikePayloadLines(e.text)) add(`  ${p}`, 'dim');
    if (e.status) add(`status: ${e.status}${e.notify ? ` (notify ${e.notify})` : ''}`, e.status === 'IPSEC_SESSION_ESTABLISHED' ? 'ok' : 'drop');
    return out;
  }
  if (e.type === 'inject') {
    add(`${e.flow} packet ${e.packet} at t=${fmtTime(e.t)}  injection on ${e.connection}`, 'title');
    add(`${e.action} of ESP packet SA ${e.sa} spi ${e.spi} seq ${e.seq}: ${e.result}${e.reason ? ` (${e.reason})` : ''}`, e.reason ? 'drop' : undefined);
    add(e.detail, 'dim');
    return out;
  }
  add(`${e.flow} packet ${e.packet} at t=${fmtTime(e.t)}  ${e.node} (${e.stage})`, 'title');
  if (e.type === 'hop') {
    add(`IPv4 ${e.src} → ${e.dst}; ${e.decision}`);
    if (e.route) add(`route: ${e.route.prefix} → ${e.route.nextHop} [${e.route.source}]`);
    if (e.beat && e.beat.length) add(`beat: ${e.beat.map((b) => `${b.prefix} → ${b.nextHop} [${b.source}]`).join('; ')}`, 'dim');
    if (e.selector) add(`selector #${e.selector.index}: ${e.selector.src} ↔ ${e.selector.dst}${e.selector.action ? ` (${e.selector.action})` : ''}`);
    if (e.sa) {
      const sa = e.sa;
      add(`SA ${sa.name} spi ${sa.spi}${sa.seq !== undefined ? ` seq ${sa.seq}` : ''}${sa.transform ? ` ${sa.transform}` : ''}`);
      if (sa.outer) add(`ESP outer ${sa.outer.src} → ${sa.outer.dst}${sa.sizeBefore !== undefined ? `, ${sa.sizeBefore} → ${sa.sizeAfter} bytes` : ''}`);
    }
    if (e.connection) add(`connection: ${e.connection}`);
    return out;
  }
  if (e.type === 'delivered') add(`✓ delivered to ${e.node}${e.via.length ? ` via ${e.via.join(', ')}` : ''}`, 'ok');
  else if (e.type === 'internet') add(`→ left for the Internet in clear text at ${e.node}${e.via.length ? ` via ${e.via.join(', ')}` : ''}`, 'internet');
  else {
    // The reason explained first (the pane is short at 80x24), then this packet's specifics.
    add(`✗ dropped: ${e.reason} at ${e.node} (${e.stage})`, 'drop');
    if (e.reason) {
      const x = DROP_EXPLANATIONS[e.reason];
      add(`Why: ${firstSentence(x.meaning)}`);
      add(`Fix: ${x.fix}`);
    }
    if (e.detail) add(`Here: ${e.detail}`, 'dim');
  }
  return out;
}

/** The status bar: position, play state, speed, filter, and the key reminder or search prompt (escaped). */
export function statusLine(st: TuiState, speeds: readonly number[]): string {
  return printable(statusText(st, speeds));
}

function statusText(st: TuiState, speeds: readonly number[]): string {
  if (st.mode === 'search') return `/${st.query}▏  (enter: find next, esc: cancel)`;
  const pos = st.visible.length ? `${st.cursor + 1}/${st.visible.length}` : '0/0';
  const play = st.playing ? `▶ playing ${speeds[st.speed]}/s` : `❚❚ paused ${speeds[st.speed]}/s`;
  const filt = st.filter ? ` flow:${st.filter}` : '';
  const note = st.note ? `  ${st.note}` : '';
  return `${pos} ${play}${filt}${note}  ←→ step  space play  +- speed  f flow  n drop  / search  ? help  q quit`;
}
