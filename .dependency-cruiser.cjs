/**
 * Dependency rules of vgwsim, checked by test/architecture.test.ts (so `npm test` fails on
 * a violation) or by hand: `npx depcruise sim cli`.
 *
 * Imports point down. The rooms of sim/, lowest first:
 *   wire, net, util  <  ipsec, engine  <  ike  <  gateway  <  scenario  <  files directly in sim/  <  web
 * A room imports only rooms below it or of its own rank; sim/bench may import any room,
 * and nothing else in sim/ imports sim/bench. A folder cycle between rooms of one rank is
 * refused by the test (dependency-cruiser sees module cycles only: `sim-circular`).
 * sim/web is the browser entry: nothing else in sim/ imports it.
 * cli/ imports sim/ only through the public entries: sim/index.ts, the bench entry
 * sim/bench/index.ts and the browser entry sim/web/index.ts. The rooms a browser build needs
 * (wire, net, util, engine, ike, gateway, scenario, web) import nothing from Node and reach
 * nothing of Node through other rooms: crypto arrives through the backend interface, files
 * through sim/node-host.ts. The page's own code (web/) imports sim/ only through
 * sim/web/index.ts, and nothing of Node.
 */
const { builtinModules } = require('node:module');

const BUILTIN = `^(node:)?(${builtinModules.map((m) => m.replace(/[/]/g, '\\/')).join('|')})$`;
const BROWSER = '^sim/(wire|net|util|engine|ike|gateway|scenario|web)/';
const RANKED = 'wire|net|util|ipsec|engine|ike|gateway|scenario|bench|web';
/** Files directly in sim/ (index.ts, node-host.ts, explain.ts, ...): the top of the order. */
const TOP = '^sim/[^/]+$';

module.exports = {
  forbidden: [
    {
      name: 'sim-upward-from-wire-net-util',
      comment: 'wire, net and util are the bottom of sim/: they import no other room but each other',
      severity: 'error',
      from: { path: '^sim/(wire|net|util)/' },
      to: { path: [`^sim/(ipsec|engine|ike|gateway|scenario)/`, TOP] },
    },
    {
      name: 'sim-upward-from-ipsec-engine',
      comment: 'ipsec and engine import only wire, net, util and each other',
      severity: 'error',
      from: { path: '^sim/(ipsec|engine)/' },
      to: { path: ['^sim/(ike|gateway|scenario)/', TOP] },
    },
    {
      name: 'sim-upward-from-ike',
      comment: 'ike (the IKE control plane) imports only wire, net, util, ipsec and engine',
      severity: 'error',
      from: { path: '^sim/ike/' },
      to: { path: ['^sim/(gateway|scenario)/', TOP] },
    },
    {
      name: 'sim-upward-from-gateway',
      comment: 'gateway imports nothing of scenario or the top-level files',
      severity: 'error',
      from: { path: '^sim/gateway/' },
      to: { path: ['^sim/scenario/', TOP] },
    },
    {
      name: 'sim-upward-from-scenario',
      comment: 'scenario imports nothing of the top-level files (the entries, explain, lab, ...)',
      severity: 'error',
      from: { path: '^sim/scenario/' },
      to: { path: TOP },
    },
    {
      name: 'sim-imports-bench',
      comment: 'the benchmark structures and baselines are not part of the simulator',
      severity: 'error',
      from: { path: '^sim/', pathNot: '^sim/bench/' },
      to: { path: '^sim/bench/' },
    },
    {
      name: 'sim-imports-web',
      comment: 'sim/web is the browser entry, the top of the order: nothing else in sim/ imports it',
      severity: 'error',
      from: { path: '^sim/', pathNot: '^sim/web/' },
      to: { path: '^sim/web/' },
    },
    {
      name: 'sim-unranked-room',
      comment: 'a new room of sim/ gets its place in the order here first',
      severity: 'error',
      from: { path: '^sim/[^/]+/', pathNot: `^sim/(${RANKED})/` },
      to: {},
    },
    {
      name: 'sim-circular',
      comment: 'no import cycle among sim/ modules',
      severity: 'error',
      from: { path: '^sim/' },
      to: { path: '^sim/', circular: true },
    },
    {
      name: 'cli-deep-import',
      comment: 'cli/ uses the public entries only: sim/index.ts, sim/bench/index.ts and sim/web/index.ts',
      severity: 'error',
      from: { path: '^cli/' },
      to: { path: '^sim/', pathNot: '^sim/(index|bench/index|web/index)\\.ts$' },
    },
    {
      name: 'page-deep-import',
      comment: 'the web page (web/) uses the browser entry only: sim/web/index.ts',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^sim/', pathNot: '^sim/web/index\\.ts$' },
    },
    {
      name: 'page-imports-node',
      comment: 'the web page runs in a browser: it imports nothing of Node, directly or through anything',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: BUILTIN, reachable: true },
    },
    {
      name: 'browser-room-imports-node',
      comment: 'wire, net, util, engine, ike, gateway, scenario and web run in a browser: no node: import',
      severity: 'error',
      from: { path: BROWSER },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'browser-room-reaches-node',
      comment: 'nor anything that imports Node, through any other room (crypto comes through the backend interface)',
      severity: 'error',
      from: { path: BROWSER },
      to: { path: BUILTIN, reachable: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a type that points upward ties the layers as much as a value.
    tsPreCompilationDeps: true,
    exclude: { path: '(^|/)(dist|node_modules)/' },
  },
};
