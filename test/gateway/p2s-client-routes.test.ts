/**
 * What a point-to-site client's traffic to an on-premises site does in the 2016 model: the
 * client's routes are its VNet's address space (into the P2S tunnel) and nothing else, so a
 * packet to a site leaves by the client's own Internet link, while the site's packets do
 * reach the client through the gateway. The example and lab 06 show both ways.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileWorld } from '../../sim/scenario/compile/index.js';
import { end, expectFlow, load, simulate } from '../support/simulate.js';

const EXAMPLE = 'scenarios/p2s-with-s2s.yaml';
const LAB = 'scenarios/labs/06-point-to-site-with-site-to-site';

describe('a point-to-site client and an on-premises site', () => {
  it('the client\'s routes are the VNet\'s address space into the tunnel and the Internet for the rest', () => {
    const { world } = compileWorld(load(readFileSync(EXAMPLE, 'utf8')));
    for (const c of world.p2sClients) {
      expect(c.table.entries.map((e) => `${e.prefix.text} ${e.nextHop}`), c.name).toEqual(['10.5.0.0/16 tunnel corp-gw-p2s', '0.0.0.0/0 Internet']);
    }
  });

  it(`${EXAMPLE}: hq reaches laptop2 through corp-hq; laptop2's packets to hq leave by its own Internet link`, () => {
    const { r, events } = simulate(readFileSync(EXAMPLE, 'utf8'));
    expectFlow(r, 'hq-to-c', { delivered: 1, via: { 'corp-hq': 1, 'corp-gw-p2s': 1 } });
    expectFlow(r, 'c-to-hq', { delivered: 0, internet: 1, via: {} });
    expect(end(events, 'c-to-hq')).toMatchObject({ type: 'internet', node: 'laptop2' });
    expect(r.failed).toBe(0);
  });

  it('lab 06 shows the same: the laptop\'s packet to head office leaves by its own Internet link, in the lab and its solution, a flow to watch and not a goal (nothing the learner may change moves it)', () => {
    for (const f of ['lab.yaml', 'solution.yaml']) {
      const { r, events } = simulate(readFileSync(`${LAB}/${f}`, 'utf8'));
      expectFlow(r, 'l1-to-hq', { internet: 1, delivered: 0 });
      expect(end(events, 'l1-to-hq').node, f).toBe('laptop1');
      expect(r.expectations.map((e) => e.flow), f).not.toContain('l1-to-hq');
    }
  });
});
