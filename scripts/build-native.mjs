// Builds the native ESP backend (native/vgw_esp.c → build/Release/vgw_esp.node) with
// node-gyp, against the Node headers already on this machine; nothing is downloaded.
// `npm ci` runs it as the install script. Without a compiler or headers the simulator
// still works on node:crypto, so by default a failed build is a warning and exit 0;
// VGW_NATIVE=required (set by .ci/run) makes it an error.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const required = process.env.VGW_NATIVE === 'required';

function give(why) {
  const msg = `vgwsim: native ESP backend not built: ${why}`;
  if (required) {
    console.error(`${msg} (VGW_NATIVE=required)`);
    process.exit(1);
  }
  console.warn(`${msg}; vgw uses node:crypto instead (same bytes, slower). Retry with: npm run build:native`);
  process.exit(0);
}

if (process.env.VGW_NATIVE === 'skip') give('VGW_NATIVE=skip');

// node-gyp: the one npm hands to install scripts, else the one bundled with npm.
const gyp = [process.env.npm_config_node_gyp, join(dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js')]
  .find((p) => p && existsSync(p));
if (!gyp) give('node-gyp not found (it ships with npm)');

// Headers: npm's nodedir setting, else those installed beside this node binary. Node-API
// is stable across versions, so any Node ≥ 20's headers build an addon for all of them.
const nodedir = [process.env.npm_config_nodedir, resolve(dirname(process.execPath), '..')]
  .find((d) => d && existsSync(join(d, 'include/node/node_api.h')));
if (!nodedir) give("Node's headers are not on this machine (node-gyp would download them; vgwsim does not)");

const r = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${nodedir}`, '--loglevel=warn'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
if (r.status !== 0) {
  process.stderr.write(r.stdout ?? '');
  process.stderr.write(r.stderr ?? '');
  give(`node-gyp rebuild failed (exit ${r.status ?? r.signal})`);
}
// Loading it here catches a build that links but cannot run (missing OpenSSL symbols).
const check = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(join(root, 'build/Release/vgw_esp.node'))}).openssl()`], { encoding: 'utf8' });
if (check.status !== 0) give(`the addon built but does not load: ${(check.stderr || '').split('\n').find((l) => l.trim()) ?? ''}`);
console.log(`vgwsim: native ESP backend built (${nodedir}/include/node, ${process.version})`);
