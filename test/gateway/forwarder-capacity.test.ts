/**
 * A Forwarder refuses a batch bigger than its preallocated queues instead of losing the
 * packets past their end (typed arrays drop such writes silently).
 */
import { keyedEspPlane } from '../support/keyed-plane.js';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PacketBatch } from '../../sim/engine/batch.js';
import { DropCounters } from '../../sim/engine/counters.js';
import { Forwarder } from '../../sim/gateway/pipeline.js';
import type { PipelineContext } from '../../sim/gateway/pipeline.js';
import { RunState } from '../../sim/gateway/world.js';
import { nodeCrypto } from '../../sim/ipsec/crypto-node.js';
import { compileWorld } from '../../sim/scenario/compile/index.js';
import { validateScenarioFile } from '../../sim/index.js';
import { loadBatch, randomTraffic } from '../../sim/bench/forward.js';

const DIR = join(import.meta.dirname, '..', '..', 'scenarios');
const FIRST = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort()[0]!;

describe('Forwarder capacity', () => {
  it('refuses a batch bigger than its queues instead of losing packets', () => {
    const s = validateScenarioFile(join(DIR, FIRST)).scenario;
    if (!s) throw new Error(`${FIRST} is invalid`);
    const { world } = compileWorld(s);
    const traffic = randomTraffic(world, 1, 300);
    const ctx: PipelineContext = { world, state: new RunState(world), esp: keyedEspPlane(world, nodeCrypto, 300), counters: new DropCounters(world.counterNodes), flowNames: ['random'] };
    const b = new PacketBatch(300);
    loadBatch(b, traffic, 0, 300, 0);
    expect(() => new Forwarder(256).run(ctx, b)).toThrow(/batch of 300 packets for a forwarder of capacity 256/);
    expect(() => new Forwarder(300).run(ctx, b)).not.toThrow();
  });
});
