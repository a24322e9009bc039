/**
 * The terminal UI's state as a pure reducer: the events of one run, a cursor on them
 * (everything up to the cursor has "happened"), play/pause and speed, a flow filter,
 * search and help. No terminal, no timers: the Ink component dispatches actions (keys,
 * timer ticks) and draws what this returns, so every behaviour is testable without a TTY.
 */
import type { SimEvent } from '../../sim/index.js';

export const SPEEDS = [1, 2, 4, 8, 16] as const;

export interface TuiState {
  readonly events: readonly SimEvent[];
  /** Flow ids in scenario order (for the filter). */
  readonly flows: readonly string[];
  /** Indexes into `events` that pass the filter. */
  readonly visible: readonly number[];
  /** Position in `visible`: the selected event. */
  readonly cursor: number;
  readonly playing: boolean;
  /** Index into SPEEDS: events per second while playing. */
  readonly speed: number;
  /** A flow id, or undefined for every flow. */
  readonly filter?: string;
  readonly mode: 'normal' | 'search' | 'help';
  /** The search text being typed. */
  readonly query: string;
  /** The last search applied (n/N style repeat with `/` + enter). */
  readonly lastSearch?: string;
  /** A one-line note for the status bar (not found, no more drops, ...). */
  readonly note?: string;
  readonly quit: boolean;
}

export type TuiAction =
  | { type: 'next' }
  | { type: 'prev' }
  | { type: 'first' }
  | { type: 'last' }
  | { type: 'tick' }
  | { type: 'toggle-play' }
  | { type: 'faster' }
  | { type: 'slower' }
  | { type: 'cycle-filter' }
  | { type: 'next-drop' }
  | { type: 'search-start' }
  | { type: 'search-input'; text: string }
  | { type: 'search-backspace' }
  | { type: 'search-submit' }
  | { type: 'search-cancel' }
  | { type: 'help' }
  | { type: 'quit' };

function visibleOf(events: readonly SimEvent[], filter: string | undefined): number[] {
  const out: number[] = [];
  events.forEach((e, i) => {
    if (filter === undefined || e.type === 'fault' || e.flow === filter) out.push(i);
  });
  return out;
}

export function initialState(events: readonly SimEvent[], flows: readonly string[]): TuiState {
  return { events, flows, visible: visibleOf(events, undefined), cursor: 0, playing: false, speed: 1, mode: 'normal', query: '', quit: false };
}

/** The selected event, if any. */
export function selected(s: TuiState): SimEvent | undefined {
  const i = s.visible[s.cursor];
  return i === undefined ? undefined : s.events[i];
}

/** Text an event is searched by: flow, node, stage, decision, addresses, reason. */
export function eventText(e: SimEvent): string {
  if (e.type === 'fault') return `fault ${e.target} ${e.note}`;
  if (e.type === 'ike') return `ike ${e.connection} ${e.node} ${e.action} ${e.status ?? ''} ${e.text}`;
  if (e.type === 'hop') return `${e.flow}#${e.packet} ${e.node} ${e.stage} ${e.decision} ${e.src} ${e.dst} ${e.connection ?? ''}`;
  if (e.type === 'inject') return `${e.flow}#${e.packet} inject ${e.action} ${e.connection} ${e.sa} ${e.result} ${e.reason ?? ''} ${e.detail}`;
  return `${e.flow}#${e.packet} ${e.node} ${e.stage} ${e.type} ${e.reason ?? ''} ${e.detail ?? ''} ${e.via.join(' ')}`;
}

const last = (s: TuiState) => Math.max(0, s.visible.length - 1);
const withNote = (s: TuiState, note: string | undefined): TuiState => {
  const { note: _old, ...rest } = s;
  return note === undefined ? rest : { ...rest, note };
};

export function reduce(s: TuiState, a: TuiAction): TuiState {
  if (s.mode === 'search') {
    switch (a.type) {
      case 'search-input': return { ...s, query: s.query + a.text };
      case 'search-backspace': return { ...s, query: s.query.slice(0, -1) };
      case 'search-cancel': return { ...s, mode: 'normal', query: '' };
      case 'search-submit': {
        const q = s.query.trim().toLowerCase();
        const base = { ...s, mode: 'normal' as const, query: '' };
        if (!q) return base;
        const n = s.visible.length;
        for (let k = 1; k <= n; k++) {
          const pos = (s.cursor + k) % n;
          if (eventText(s.events[s.visible[pos]!]!).toLowerCase().includes(q)) return withNote({ ...base, cursor: pos, lastSearch: q, playing: false }, `found "${q}"`);
        }
        return withNote({ ...base, lastSearch: q }, `"${q}" not found`);
      }
      case 'quit': return { ...s, quit: true };
      default: return s;
    }
  }
  const clean = withNote(s, undefined);
  switch (a.type) {
    case 'next': return { ...clean, cursor: Math.min(last(s), s.cursor + 1) };
    case 'prev': return { ...clean, cursor: Math.max(0, s.cursor - 1), playing: false };
    case 'first': return { ...clean, cursor: 0, playing: false };
    case 'last': return { ...clean, cursor: last(s), playing: false };
    case 'tick': {
      if (!s.playing) return s;
      if (s.cursor >= last(s)) return withNote({ ...s, playing: false }, 'end of the run');
      return { ...s, cursor: s.cursor + 1 };
    }
    case 'toggle-play': {
      // Play from the start again when the end was reached.
      const cursor = !s.playing && s.cursor >= last(s) ? 0 : s.cursor;
      return { ...clean, playing: !s.playing, cursor };
    }
    case 'faster': return { ...clean, speed: Math.min(SPEEDS.length - 1, s.speed + 1) };
    case 'slower': return { ...clean, speed: Math.max(0, s.speed - 1) };
    case 'cycle-filter': {
      const i = s.filter === undefined ? 0 : s.flows.indexOf(s.filter) + 1;
      const filter = i < s.flows.length ? s.flows[i] : undefined;
      const visible = visibleOf(s.events, filter);
      // Keep the selection near the same moment: the last visible event at or before the old one.
      const old = s.visible[s.cursor] ?? 0;
      let cursor = 0;
      visible.forEach((ev, k) => {
        if (ev <= old) cursor = k;
      });
      const { filter: _f, ...rest } = clean;
      return withNote({ ...rest, ...(filter === undefined ? {} : { filter }), visible, cursor }, filter === undefined ? 'all flows' : `flow ${filter} only`);
    }
    case 'next-drop': {
      for (let pos = s.cursor + 1; pos < s.visible.length; pos++) {
        if (s.events[s.visible[pos]!]!.type === 'dropped') return { ...clean, cursor: pos, playing: false };
      }
      return withNote(s, 'no more drops');
    }
    case 'search-start': return { ...clean, mode: 'search', query: '', playing: false };
    case 'help': return { ...clean, mode: s.mode === 'help' ? 'normal' : 'help' };
    case 'quit': return { ...s, quit: true };
    default: return s;
  }
}

/** The keys of a key press that the UI reads (Ink's useInput arguments, reduced). */
export interface KeyPress {
  leftArrow?: boolean; rightArrow?: boolean; upArrow?: boolean; downArrow?: boolean; return?: boolean; escape?: boolean;
  backspace?: boolean; delete?: boolean; home?: boolean; end?: boolean; ctrl?: boolean;
}

/**
 * Reduce a key press against the CURRENT state. The UI dispatches raw keys to this, not
 * actions mapped in the component: a component's handler can still hold the state of the
 * frame before (keys typed right after a mode change would be read in the old mode).
 */
export function reduceKey(s: TuiState, input: string, key: KeyPress): TuiState {
  // Keys typed faster than the terminal is read arrive as one chunk ("??f"): outside the
  // search prompt (where a chunk is text), each character is its own key press.
  const plainChunk = input.length > 1 && s.mode !== 'search' && !key.ctrl && !key.escape && !key.return;
  if (plainChunk) return [...input].reduce((st, ch) => reduceKey(st, ch, {}), s);
  const a = keyToAction(s, input, key);
  return a ? reduce(s, a) : s;
}

/** Map a key press to an action, given the mode the UI is in. */
export function keyToAction(s: TuiState, input: string, key: KeyPress): TuiAction | undefined {
  if (key.ctrl && input === 'c') return { type: 'quit' };
  if (s.mode === 'search') {
    if (key.return) return { type: 'search-submit' };
    if (key.escape) return { type: 'search-cancel' };
    if (key.backspace || key.delete) return { type: 'search-backspace' };
    if (input && !key.ctrl) return { type: 'search-input', text: input };
    return undefined;
  }
  if (s.mode === 'help') {
    if (input === 'q') return { type: 'quit' };
    return input === '?' || key.escape || input === 'h' ? { type: 'help' } : undefined;
  }
  if (key.rightArrow || key.downArrow || input === 'l' || input === 'j') return { type: 'next' };
  if (key.leftArrow || key.upArrow || input === 'h' || input === 'k') return { type: 'prev' };
  if (key.home || input === 'g') return { type: 'first' };
  if (key.end || input === 'G') return { type: 'last' };
  switch (input) {
    case ' ': case 'p': return { type: 'toggle-play' };
    case '+': case '=': return { type: 'faster' };
    case '-': return { type: 'slower' };
    case 'f': return { type: 'cycle-filter' };
    case 'n': case 'd': return { type: 'next-drop' };
    case '/': return { type: 'search-start' };
    case '?': return { type: 'help' };
    case 'q': return { type: 'quit' };
    default: return undefined;
  }
}

export const HELP: readonly (readonly [string, string])[] = [
  ['→ / l / j', 'step forward one event'],
  ['← / h / k', 'step back (rewind to any earlier event)'],
  ['g / G', 'first / last event'],
  ['space / p', 'play / pause'],
  ['+ / -', 'faster / slower'],
  ['f', 'filter: next flow (cycles back to all flows)'],
  ['n', 'jump to the next drop'],
  ['/', 'search (flow, node, address, decision); enter finds the next match'],
  ['?', 'this help (any of ? h esc closes it)'],
  ['q', 'quit'],
];
