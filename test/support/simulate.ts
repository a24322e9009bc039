/**
 * Test support: load inline scenario text and run it through the public API, and read
 * flows and events of the result. Shared by the pipeline and routing tests.
 */
import { expect } from 'vitest';
import { CollectSink, runScenario, validateScenarioText } from '../../sim/index.js';
import type { EndEvent, HopEvent, RunResult, Scenario, SimEvent } from '../../sim/index.js';

/** A scenario from YAML text; fails the test on any error diagnostic. */
export function load(text: string): Scenario {
  const v = validateScenarioText(text, 'inline.yaml');
  expect(v.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([]);
  expect(v.scenario).toBeDefined();
  return v.scenario!;
}

/** Run scenario text with every event collected. */
export function simulate(text: string, traceLimit?: number): { s: Scenario; r: RunResult; events: SimEvent[] } {
  const s = load(text);
  const sink = new CollectSink();
  const r = runScenario(s, { sink, ...(traceLimit !== undefined ? { traceLimit } : {}) });
  return { s, r, events: sink.events };
}

export function flow(r: RunResult, id: string) {
  const f = r.flows.find((x) => x.id === id);
  expect(f, `flow ${id}`).toBeDefined();
  return f!;
}

/** The flow's summary has exactly these values for the given keys (via/dropReasons compared whole). */
export function expectFlow(r: RunResult, id: string, want: Record<string, unknown>): void {
  const f = flow(r, id) as unknown as Record<string, unknown>;
  expect(Object.fromEntries(Object.keys(want).map((k) => [k, f[k]])), `flow ${id}`).toEqual(want);
}

export function hops(events: readonly SimEvent[], id: string, packet = 1): HopEvent[] {
  return events.filter((e): e is HopEvent => e.type === 'hop' && e.flow === id && e.packet === packet);
}

function isEnd(e: SimEvent): e is EndEvent {
  return e.type === 'delivered' || e.type === 'dropped' || e.type === 'internet';
}

/** End events (delivered, dropped, internet) of a flow, by packet number. */
export function ends(events: readonly SimEvent[], id: string): EndEvent[] {
  return events.filter((x): x is EndEvent => isEnd(x) && x.flow === id).sort((a, b) => a.packet - b.packet);
}

export function end(events: readonly SimEvent[], id: string, packet = 1): EndEvent {
  const e = ends(events, id).find((x) => x.packet === packet);
  expect(e, `end event of ${id}#${packet}`).toBeDefined();
  return e!;
}
