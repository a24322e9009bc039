/**
 * The dependency rules of .dependency-cruiser.cjs hold for sim/, cli/ and web/: imports point
 * down the rooms of sim/, cli/ and the page (web/) use only the public entries, and the rooms
 * a browser build needs, and the page, import (and reach) nothing of Node. Plus what dependency-cruiser cannot say: no
 * cycle between two rooms of sim/ (its `circular` is per module).
 *
 * The same check over test/fixtures/architecture, a tree with one violation of each rule
 * (and imports the rules allow), proves every rule can fail.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cruise } from 'dependency-cruiser';
import type { ICruiseOptions, ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './support/run-cli.js';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'architecture');
let options: ICruiseOptions;

beforeAll(async () => {
  options = await extractDepcruiseOptions(join(ROOT, '.dependency-cruiser.cjs'));
});

async function cruiseTree(baseDir: string): Promise<ICruiseResult> {
  const r = await cruise(['sim', 'cli', 'web'].filter((d) => existsSync(join(baseDir, d))), { ...options, baseDir });
  if (typeof r.output === 'string') throw new Error('dependency-cruiser returned text, not a result');
  return r.output;
}

/** Every violation as "rule: from -> to", sorted. */
function violations(r: ICruiseResult): string[] {
  return r.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
}

/** The room of a sim/ path (`sim/net/lpm.ts` → net), or null for files directly in sim/ and outside it. */
function roomOf(path: string): string | null {
  const m = /^sim\/([^/]+)\//.exec(path);
  return m ? m[1]! : null;
}

/** Cycles between rooms of sim/, each as "a -> b -> a" from its smallest room; none is []. */
function roomCycles(r: ICruiseResult): string[] {
  const edges = new Map<string, Set<string>>();
  for (const m of r.modules) {
    const from = roomOf(m.source);
    if (from === null) continue;
    for (const d of m.dependencies) {
      const to = roomOf(d.resolved);
      if (to === null || to === from) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)!.add(to);
    }
  }
  const found = new Set<string>();
  const walk = (start: string, at: string, path: string[]): void => {
    for (const next of edges.get(at) ?? []) {
      if (next === start) found.add([...path, start].join(' -> '));
      else if (!path.includes(next) && next > start) walk(start, next, [...path, next]);
    }
  };
  for (const room of [...edges.keys()].sort()) walk(room, room, [room]);
  return [...found].sort();
}

describe('architecture', () => {
  it('sim/, cli/ and web/ break no dependency rule and sim/ rooms form no cycle', async () => {
    const r = await cruiseTree(ROOT);
    expect(r.modules.length).toBeGreaterThan(100);
    expect(violations(r)).toEqual([]);
    expect(roomCycles(r)).toEqual([]);
  });

  it('every rule fires on the fixture tree, and only where it should', async () => {
    const r = await cruiseTree(FIXTURE);
    expect(violations(r)).toEqual([
      'browser-room-imports-node: sim/net/fs-user.ts -> fs',
      'browser-room-reaches-node: sim/gateway/uses-ipsec.ts -> crypto',
      'browser-room-reaches-node: sim/net/fs-user.ts -> fs',
      'cli-deep-import: cli/deep.ts -> sim/net/b.ts',
      'page-deep-import: web/deep.ts -> sim/net/b.ts',
      'page-imports-node: web/node-user.ts -> path',
      'sim-circular: sim/scenario/cyc-a.ts -> sim/scenario/cyc-b.ts',
      'sim-imports-bench: sim/gateway/bench-user.ts -> sim/bench/x.ts',
      'sim-imports-web: sim/scenario/web-user.ts -> sim/web/index.ts',
      'sim-unranked-room: sim/newroom/x.ts -> sim/net/b.ts',
      'sim-upward-from-gateway: sim/gateway/up.ts -> sim/scenario/s.ts',
      'sim-upward-from-ike: sim/ike/up.ts -> sim/gateway/g.ts',
      'sim-upward-from-ipsec-engine: sim/engine/up.ts -> sim/gateway/g.ts',
      'sim-upward-from-scenario: sim/scenario/up.ts -> sim/index.ts',
      'sim-upward-from-wire-net-util: sim/net/up.ts -> sim/scenario/s.ts',
    ]);
    expect(roomCycles(r)).toEqual(['net -> wire -> net']);
  });
});
