// Builds the native ESP backend (native/vgw_esp.c → build/Release/vgw_esp.node) with
// node-gyp, against the Node headers already on this machine; nothing is downloaded.
// `npm ci` runs it as the install script; `npm run build:native` runs it by hand.
//
// Prerequisites (it checks them first and names every one that is missing):
//   - a C compiler: $CC, else `cc` (gcc or clang; Debian: build-essential);
//   - make: $MAKE, else `make` (`gmake` on the BSDs);
//   - Python 3.6 or newer, which node-gyp runs: $npm_config_python, $PYTHON, `python3`, `python`;
//   - Node's headers (include/node/node_api.h): $npm_config_nodedir, else beside this node
//     binary (official Node builds ship them; Debian's own nodejs puts them in libnode-dev);
//   - node-gyp, which ships with npm.
// Without one of them the simulator still works, on node:crypto (same bytes, two to three
// times slower on ESP): a failed build is a warning and exit 0, unless VGW_NATIVE=required
// (set by .ci/run), which makes it exit 1. VGW_NATIVE=skip builds nothing.
//
// It builds aside and swaps in: sources are copied to build/.staging-PID, node-gyp builds
// there, the result is loaded in a child process, and only an addon that loads is renamed
// over build/Release/vgw_esp.node (one rename, atomic on the same file system; a process
// that has the old addon loaded keeps it). A failed rebuild leaves the addon that was
// there in place and says so.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const required = process.env.VGW_NATIVE === 'required';
const buildDir = join(root, 'build');
const target = join(buildDir, 'Release', 'vgw_esp.node');
const shown = relative(root, target);

/** The interface version the sources declare (VGW_ESP_ABI), which the loader checks too. */
function sourceAbi() {
  try {
    const m = /#define\s+VGW_ESP_ABI\s+(\d+)/.exec(readFileSync(join(root, 'native', 'vgw_esp.c'), 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** '' when the addon at `path` loads in a fresh node and matches these sources, else why not. */
function loadProblem(path) {
  if (!existsSync(path)) return 'not there';
  const abi = sourceAbi();
  const code = `const m = require(${JSON.stringify(path)}); m.openssl();
    if (${abi ?? 'null'} !== null && m.abi !== ${abi ?? 'null'}) { console.error('built from other sources (interface ' + m.abi + ', the sources declare ${abi})'); process.exit(3); }`;
  const r = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8', timeout: 30_000 });
  if (r.status === 0) return '';
  return (r.stderr || '').split('\n').find((l) => l.trim()) ?? `exit ${r.status ?? r.signal}`;
}

/** Ends the script after a failure: what stays in use now, and the exit code VGW_NATIVE asks for. */
function giveUp(why) {
  const before = loadProblem(target);
  const what = before === ''
    ? `native ESP backend not rebuilt: ${why}. The addon built before stays in place (${shown}) and vgw keeps using it`
    : `native ESP backend not built: ${why}. vgw uses node:crypto instead (same bytes, slower)`;
  if (required) {
    console.error(`vgwsim: ${what} (VGW_NATIVE=required: this is an error)`);
    process.exit(1);
  }
  console.warn(`vgwsim: ${what}. Retry with: npm run build:native`);
  process.exit(0);
}

/** Whether `cmd` (a program name or path, maybe followed by arguments as in CC="ccache gcc") can be started. */
function runs(cmd, args = ['--version']) {
  const [exe, ...pre] = cmd.trim().split(/\s+/);
  if (!exe) return false;
  const r = spawnSync(exe, [...pre, ...args], { stdio: 'ignore', timeout: 30_000 });
  return !(r.error && r.error.code === 'ENOENT');
}

/** The first Python 3 node-gyp would find, or null. */
function python3() {
  for (const p of [process.env.npm_config_python, process.env.PYTHON, 'python3', 'python']) {
    if (!p) continue;
    const r = spawnSync(p, ['-c', 'import sys; print(sys.version_info >= (3, 6))'], { encoding: 'utf8', timeout: 30_000 });
    if (r.status === 0 && r.stdout.trim() === 'True') return p;
  }
  return null;
}

if (process.env.VGW_NATIVE === 'skip') giveUp('VGW_NATIVE=skip');

// node-gyp: the one npm hands to install scripts, else the one bundled with npm.
const gyp = [process.env.npm_config_node_gyp, join(dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js')]
  .find((p) => p && existsSync(p));
// Headers: npm's nodedir setting, else those installed beside this node binary. Node-API
// is stable across versions, so any Node ≥ 20's headers build an addon for all of them.
const nodedir = [process.env.npm_config_nodedir, resolve(dirname(process.execPath), '..')]
  .find((d) => d && existsSync(join(d, 'include/node/node_api.h')));
const python = python3();
const missing = [];
if (!gyp) missing.push('node-gyp (it ships with npm)');
if (!nodedir) missing.push("Node's headers (include/node/node_api.h beside the node binary, or npm's nodedir; node-gyp would download them, vgwsim does not)");
if (!python) missing.push('Python 3.6 or newer for node-gyp (python3, or set PYTHON)');
if (process.platform !== 'win32') {
  const cc = process.env.CC || 'cc';
  const make = process.env.MAKE || (/bsd/.test(process.platform) ? 'gmake' : 'make');
  if (!runs(cc)) missing.push(`a C compiler (${cc}; set CC, or install gcc or clang)`);
  if (!runs(make)) missing.push(`make (${make})`);
}
if (missing.length > 0) giveUp(`missing ${missing.join('; ')}`);

// Stage directories left by a build that was killed are removed; a live build's is not.
mkdirSync(buildDir, { recursive: true });
for (const name of readdirSync(buildDir)) {
  const m = /^\.staging-(\d+)$/.exec(name);
  if (!m) continue;
  let alive = true;
  try {
    process.kill(Number(m[1]), 0);
  } catch {
    alive = false;
  }
  if (!alive) rmSync(join(buildDir, name), { recursive: true, force: true });
}
const stage = join(buildDir, `.staging-${process.pid}`);
rmSync(stage, { recursive: true, force: true });
process.on('exit', () => rmSync(stage, { recursive: true, force: true }));
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => process.exit(130));
mkdirSync(stage);
cpSync(join(root, 'binding.gyp'), join(stage, 'binding.gyp'));
cpSync(join(root, 'native'), join(stage, 'native'), { recursive: true });

const r = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${nodedir}`, `--python=${python}`, '--loglevel=warn'], { cwd: stage, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
if (r.status !== 0) {
  process.stderr.write(r.stdout ?? '');
  process.stderr.write(r.stderr ?? '');
  giveUp(`node-gyp rebuild failed (exit ${r.status ?? r.signal})`);
}
// Loading it catches a build that links but cannot run (missing OpenSSL symbols).
const built = join(stage, 'build', 'Release', 'vgw_esp.node');
const problem = loadProblem(built);
if (problem) giveUp(`the addon built but does not load: ${problem}`);
mkdirSync(dirname(target), { recursive: true });
try {
  renameSync(built, target);
} catch (e) {
  giveUp(`could not move the new addon into place: ${e instanceof Error ? e.message : String(e)}`);
}
console.log(`vgwsim: native ESP backend built (${shown}; ${nodedir}/include/node, ${process.version})`);
