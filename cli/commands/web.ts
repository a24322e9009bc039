/**
 * `vgw web`: serve the web app (dist/web/, built by `npm run build:web`) on a loopback
 * address with node:http, until SIGINT or SIGTERM. Builds the app first when it is missing
 * and the build script and esbuild are here (a checkout); otherwise says how to build it.
 * Serves GET and HEAD of the files in the folder only (no listing, nothing outside it).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMON, UsageError, intFlag, str } from '../command.js';
import type { Command, Io } from '../command.js';

/** The checkout or installed package: dist/cli/commands/ is three levels down. */
const ROOT = resolve(fileURLToPath(new URL('../../../', import.meta.url)));
const WEB_DIR = join(ROOT, 'dist', 'web');
const BUILD_SCRIPT = join(ROOT, 'scripts', 'build-web.mjs');

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
};

/** The file a request path names inside `dir`, or undefined when it names none (or anything outside). */
export function fileFor(dir: string, urlPath: string): string | undefined {
  let p: string;
  try {
    p = decodeURIComponent(urlPath.split(/[?#]/)[0]!);
  } catch {
    return undefined;
  }
  if (p.includes('\0')) return undefined;
  const rel = normalize(p === '/' || p.endsWith('/') ? `${p}index.html` : p).replace(/^([/\\])+/, '');
  const file = resolve(dir, rel);
  if (!file.startsWith(dir + sep)) return undefined;
  try {
    return statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

function respond(dir: string, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('only GET and HEAD\n');
    return;
  }
  const file = fileFor(dir, req.url ?? '/');
  if (!file) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
    return;
  }
  const body = readFileSync(file);
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': body.length,
    'cache-control': 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Build dist/web/ when it is missing; false (having said why) when it cannot be built here. */
function ensureBuilt(io: Io): boolean {
  if (existsSync(join(WEB_DIR, 'index.html'))) return true;
  let haveEsbuild = true;
  try {
    createRequire(import.meta.url).resolve('esbuild');
  } catch {
    haveEsbuild = false;
  }
  if (!existsSync(BUILD_SCRIPT) || !haveEsbuild) {
    io.err(`vgw web: the web app is not built (${WEB_DIR} has no index.html); run \`npm run build:web\` in a checkout of vgwsim (it needs the devDependencies: npm ci)`);
    return false;
  }
  io.err('vgw web: building the web app first (npm run build:web)…');
  const r = spawnSync(process.execPath, [BUILD_SCRIPT], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0 || !existsSync(join(WEB_DIR, 'index.html'))) {
    io.err('vgw web: building the web app failed (see above); run `npm run build:web` to see why');
    return false;
  }
  return true;
}

/** The command that opens a URL in a browser here, if there is one on the PATH. */
function opener(): string | undefined {
  const names = process.platform === 'darwin' ? ['open'] : process.platform === 'win32' ? [] : ['xdg-open'];
  const dirs = (process.env['PATH'] ?? '').split(':').filter(Boolean);
  for (const n of names) for (const d of dirs) if (existsSync(join(d, n))) return join(d, n);
  return undefined;
}

export const webCommand: Command = {
  summary: 'serve the web app (editor, run, diagram, trace player) on 127.0.0.1',
  usage: 'vgw web [--port N] [--host ADDRESS] [--open]',
  help: [
    'Serves the web app built by `npm run build:web` (dist/web/; built first when missing in',
    'a checkout): a scenario editor with completion and diagnostics, run, the topology with a',
    'flow\'s path, the hop-by-hop trace with a player, the summary and expectations, every',
    'example, capture downloads and share links. Everything runs in the browser. Stops on',
    'Ctrl+C (SIGINT) or SIGTERM.',
    '',
    'Options:',
    '  --port N        TCP port (default 8080; 0: any free port, printed)',
    '  --host ADDRESS  address to listen on (default 127.0.0.1, this machine only)',
    '  --open          open the page with xdg-open (open on macOS) when there is one; else the',
    '                  URL is printed to open by hand',
    '',
    'Exit codes: 0 stopped by a signal, 2 bad input (a flag, a port in use, the app not built).',
  ].join('\n'),
  options: { ...COMMON, port: { type: 'string' }, host: { type: 'string' }, open: { type: 'boolean' } },
  run({ values, positionals }, io) {
    if (positionals.length > 0) throw new UsageError(`vgw web: takes no file, got "${positionals[0]}" (open a scenario in the page, or see vgw web --help)`);
    const port = intFlag('web', 'port', values['port'], 0, 65535) ?? 8080;
    const host = str(values['host']) ?? '127.0.0.1';
    if (host === '') throw new UsageError('vgw web: --host needs an address, such as 127.0.0.1');
    if (!ensureBuilt(io)) return 2;
    const server = createServer((req, res) => respond(WEB_DIR, req, res));
    return new Promise<number>((done) => {
      server.once('error', (e: NodeJS.ErrnoException) => {
        const why = e.code === 'EADDRINUSE' ? `port ${port} on ${host} is in use; choose another with --port N (--port 0 picks a free one)`
          : e.code === 'EACCES' ? `no permission to listen on port ${port} of ${host} (ports below 1024 need privileges); choose another with --port N`
          : e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND' ? `cannot listen on ${host}: not an address of this machine`
          : e.message;
        io.err(`vgw web: ${why}`);
        done(2);
      });
      server.listen(port, host, () => {
        const a = server.address();
        const shown = host.includes(':') ? `[${host}]` : host;
        const url = `http://${shown}:${typeof a === 'object' && a ? a.port : port}/`;
        io.out(`vgw web: serving ${WEB_DIR} at ${url} (Ctrl+C stops)`);
        if (values['open'] === true) {
          const cmd = opener();
          if (cmd) {
            // Detached: the browser outlives the opener; a failure to start is the opener's to report.
            const child = spawn(cmd, [url], { stdio: 'ignore', detached: true });
            child.on('error', () => io.out(`vgw web: ${cmd} failed: open ${url} in a browser`));
            child.unref();
          } else io.out(`vgw web: no xdg-open or open here: open ${url} in a browser`);
        }
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          server.close(() => done(0));
          server.closeAllConnections();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
  },
};
