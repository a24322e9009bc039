/**
 * The `lpm` suite: route lookups in the compiled table (the strategy it picks for the size)
 * against the same table one address at a time, the other table structures on the same
 * routes (so the adaptive choice can be checked), a linear scan and ip-num.
 */
import { bgpRoutes, IpNumLpm, LinearLpm, lookupAgrees, LpmTable, randomAddresses } from '../../../sim/bench/index.js';
import type { Variant } from '../measure.js';
import { defineSuite, identity, perItem, batched } from './case.js';
import type { CaseThunk, SuiteOptions } from './case.js';
import { lookupCase, PROBES } from './lookup-case.js';

/** ip-num scans objects: above this many routes one repetition would take minutes. */
const IPNUM_MAX = 20_000;

function lpmCase(o: SuiteOptions, size: number): CaseThunk {
  const user = o.table;
  const label = user ? `lpm ${user.file}` : `lpm ${size.toLocaleString('en-US')} routes`;
  return {
    suite: 'lpm', label,
    build() {
      const routes = user ? user.routes : bgpRoutes(o.seed, size);
      const addrs = o.addresses ? o.addresses.dst : randomAddresses(o.seed, o.quick ? PROBES >> 2 : PROBES);
      const n = addrs.length;
      return lookupCase({
        suite: 'lpm', name: label, unit: 'lookups',
        params: { routes: routes.length, addresses: n, source: user ? user.file : 'bgp-like', addressSource: o.addresses ? o.addresses.file : 'uniform random' },
        inputs: n,
        lineOf: user ? user.lineOf : identity(routes.length),
        compile: () => LpmTable.compile(routes),
        batch: (table, out, m) => table.lookupBatch(addrs, out, m),
        verify: (out) => lookupAgrees(routes, addrs, out, Math.min(n, routes.length > 100_000 ? 200 : 2000)),
        rest(table, _out, sink) {
          const baselines: Variant[] = [perItem(`${table.strategy} (one at a time)`, 'baseline', n, (i) => { sink[i] = table.lookup(addrs[i]!); })];
          for (const other of ['dir-24-8', 'dir-16-8', 'dir-16-search', 'range-table'] as const) {
            if (other === table.strategy) continue;
            const t2 = LpmTable.compile(routes, { strategy: other });
            baselines.push(batched(`${other} (batch, ${(t2.memoryBytes / (1 << 20)).toFixed(1)} MiB)`, 'baseline', n, (m) => t2.lookupBatch(addrs, sink, m)));
          }
          const linear = new LinearLpm(routes);
          baselines.push(perItem('linear scan', 'baseline', n, (i) => { sink[i] = linear.lookup(addrs[i]!); }));
          let ipnum = 'skipped: more than 20,000 routes would take minutes';
          if (routes.length <= IPNUM_MAX) {
            const ip = new IpNumLpm(routes);
            baselines.push(perItem('ip-num (linear, objects)', 'baseline', n, (i) => { sink[i] = ip.lookup(addrs[i]!); }));
            ipnum = 'measured';
          }
          return { baselines, after: { ipnum } };
        },
      });
    },
  };
}

export const lpmSuite = defineSuite({
  name: 'lpm',
  help: ['route lookups: the adaptive table (and the other structures) vs linear scan vs ip-num'],
  plan(o) {
    if (o.table) return [lpmCase(o, o.table.routes.length)];
    const sizes = o.sizes && o.sizes.length > 0 ? o.sizes : o.quick ? [100, 10_000] : [100, 10_000, 500_000];
    return sizes.map((n) => lpmCase(o, n));
  },
});
