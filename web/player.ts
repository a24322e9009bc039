/**
 * The hop-by-hop trace: the run's events as a list (all flows, or one), a cursor on the
 * selected event with its detail beside it, and a player: step, step back, rewind,
 * play/pause at a speed in events per second, jump to the next drop. Keys on the list:
 * ↓/j step, ↑/k back, Home rewind, End last, Space play/pause, +/- speed, n next drop.
 */
import type { SimEvent } from '../sim/web/index.js';
import { h } from './dom.js';
import { detailRows, eventText, eventTone } from './trace-text.js';

/** Playing speeds, events per second. */
export const SPEEDS = [1, 2, 5, 10, 25, 50] as const;

export interface PlayerParts {
  readonly list: HTMLOListElement;
  readonly detail: HTMLElement;
  readonly state: HTMLElement;
  readonly play: HTMLButtonElement;
  readonly speed: HTMLSelectElement;
}

/** Whether event `e` belongs to flow `flow` ('' = every event). */
function inFlow(e: SimEvent, flow: string): boolean {
  if (flow === '') return true;
  return e.type !== 'fault' && e.flow === flow;
}

export class TracePlayer {
  private events: readonly SimEvent[] = [];
  private visible: number[] = [];
  private cursor = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private speedIndex = 2;

  constructor(private readonly parts: PlayerParts, private readonly selected: (e: SimEvent | undefined) => void) {
    parts.speed.replaceChildren(...SPEEDS.map((s, i) => h('option', { value: String(i) }, `${s} events/s`)));
    parts.speed.value = String(this.speedIndex);
    parts.speed.addEventListener('change', () => this.setSpeed(Number(parts.speed.value)));
    parts.list.addEventListener('keydown', (ev) => this.key(ev));
    parts.list.addEventListener('click', (ev) => {
      const li = (ev.target as HTMLElement).closest('li');
      if (li?.dataset['k'] !== undefined) this.select(Number(li.dataset['k']));
    });
  }

  /** Show `events`, those of `flow` only when not ''; the cursor on the first. */
  load(events: readonly SimEvent[], flow: string): void {
    this.pause();
    this.events = events;
    this.filter(flow);
  }

  filter(flow: string): void {
    const keep = this.events[this.visible[this.cursor] ?? -1];
    this.visible = [];
    this.events.forEach((e, i) => { if (inFlow(e, flow)) this.visible.push(i); });
    const items = this.visible.map((i, k) => {
      const e = this.events[i]!;
      const tone = eventTone(e);
      return h('li', { id: `ev-${k}`, role: 'option', 'aria-selected': 'false', 'data-k': String(k), ...(tone ? { class: tone } : {}) }, eventText(e));
    });
    this.parts.list.replaceChildren(...(items.length ? items : [h('li', { class: 'dim' }, 'no events (the scenario sends no traffic?)')]));
    const again = keep ? this.visible.findIndex((i) => this.events[i] === keep) : -1;
    this.select(Math.max(0, again));
  }

  select(k: number): void {
    const n = this.visible.length;
    const old = this.parts.list.querySelector('[aria-selected="true"]');
    old?.setAttribute('aria-selected', 'false');
    this.cursor = n === 0 ? 0 : Math.min(Math.max(0, k), n - 1);
    const li = n ? document.getElementById(`ev-${this.cursor}`) : null;
    if (li) {
      li.setAttribute('aria-selected', 'true');
      this.parts.list.setAttribute('aria-activedescendant', li.id);
      li.scrollIntoView({ block: 'nearest' });
    }
    const e = this.events[this.visible[this.cursor] ?? -1];
    this.parts.detail.replaceChildren(...(e ? [h('dl', {}, ...detailRows(e).flatMap((r) => [h('dt', {}, r.label), h('dd', r.tone ? { class: r.tone } : {}, r.text)]))] : [h('p', { class: 'dim' }, 'no event selected')]));
    this.showState();
    this.selected(e);
  }

  step(d: number): void {
    this.select(this.cursor + d);
  }

  rewind(): void {
    this.pause();
    this.select(0);
  }

  /** The next drop after the cursor (wrapping round), if any. */
  nextDrop(): void {
    const n = this.visible.length;
    for (let j = 1; j <= n; j++) {
      const k = (this.cursor + j) % n;
      if (this.events[this.visible[k]!]!.type === 'dropped') return this.select(k);
    }
  }

  toggle(): void {
    if (this.timer !== undefined) this.pause();
    else this.play();
  }

  play(): void {
    if (this.visible.length === 0) return;
    if (this.cursor >= this.visible.length - 1) this.select(0);
    this.timer = setInterval(() => {
      if (this.cursor >= this.visible.length - 1) this.pause();
      else this.step(1);
    }, 1000 / SPEEDS[this.speedIndex]!);
    this.showState();
  }

  pause(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.showState();
  }

  setSpeed(i: number): void {
    this.speedIndex = Math.min(Math.max(0, i), SPEEDS.length - 1);
    this.parts.speed.value = String(this.speedIndex);
    if (this.timer !== undefined) {
      this.pause();
      this.play();
    }
    this.showState();
  }

  private showState(): void {
    const playing = this.timer !== undefined;
    this.parts.play.textContent = playing ? '❚❚ Pause' : '▶ Play';
    this.parts.play.setAttribute('aria-pressed', String(playing));
    const pos = this.visible.length ? `${this.cursor + 1}/${this.visible.length}` : '0/0';
    this.parts.state.textContent = `event ${pos}, ${playing ? 'playing' : 'paused'} at ${SPEEDS[this.speedIndex]} events/s`;
  }

  private key(ev: KeyboardEvent): void {
    const act: Record<string, () => void> = {
      ArrowDown: () => this.step(1), j: () => this.step(1), ArrowUp: () => this.step(-1), k: () => this.step(-1),
      Home: () => this.rewind(), End: () => this.select(this.visible.length - 1), ' ': () => this.toggle(),
      '+': () => this.setSpeed(this.speedIndex + 1), '=': () => this.setSpeed(this.speedIndex + 1), '-': () => this.setSpeed(this.speedIndex - 1),
      n: () => this.nextDrop(), PageDown: () => this.step(10), PageUp: () => this.step(-10),
    };
    const f = Object.hasOwn(act, ev.key) ? act[ev.key] : undefined;
    if (!f || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    ev.preventDefault();
    f();
  }
}
