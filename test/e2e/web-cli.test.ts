/**
 * `vgw web` and `npm run build:web` without a browser: the build refuses a Node.js import
 * (by `node:` name or bare builtin name) naming the importer; the server serves the app's
 * files and nothing outside its folder; bad flags and a busy port are exit code 2 with a
 * clear line. The page itself is tested in chromium (web.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../support/run-cli.js';
import { buildWeb, startWeb } from '../support/web-page.js';
import type { WebServer } from '../support/web-page.js';

let server: WebServer;

beforeAll(async () => {
  buildWeb();
  server = await startWeb();
}, 300_000);

afterAll(async () => {
  if (server) expect(await server.stop()).toBe(0);
});

/** Status, content type and body of GET `path` (sent as written: no client-side normalising of `..`). */
async function get(path: string): Promise<{ status: number; type: string; body: string }> {
  const { request } = await import('node:http');
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('npm run build:web', () => {
  it.each(['imports-node.ts', 'imports-bare-builtin.ts'])('refuses a bundle that imports Node.js (%s)', (fixture) => {
    const out = mkdtempSync(join(tmpdir(), 'vgw-web-build-'));
    try {
      const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-web.mjs'), out, join(ROOT, 'test', 'fixtures', 'web', fixture)], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/is a Node\.js module: the browser bundle cannot import it \(imported by test\/fixtures\/web\//);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('vgw web', () => {
  it('serves the page, the bundle and the data, with their types', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/^text\/html/);
    expect(page.body).toContain('<script type="module" src="app.js">');
    expect((await get('/app.js')).type).toMatch(/^text\/javascript/);
    const examples = JSON.parse((await get('/examples.json')).body) as { file: string }[];
    expect(examples.map((x) => x.file)).toContain('s2s-policy-based.yaml');
    expect(JSON.parse((await get('/scenario.schema.json')).body)).toHaveProperty('title', 'vgwsim scenario');
  });

  it('serves nothing outside its folder', async () => {
    for (const p of ['/../../package.json', '/%2e%2e/%2e%2e/package.json', '/..%2f..%2fpackage.json', '/missing.js', '/%00', '/%E0%A4%A']) {
      expect((await get(p)).status, p).toBe(404);
    }
  });

  it('refuses a busy port, a bad port and a file argument with exit code 2', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const port = (busy.address() as { port: number }).port;
    try {
      const r = runCli(['web', '--port', String(port)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`vgw web: port ${port} on 127.0.0.1 is in use; choose another with --port N (--port 0 picks a free one)\n`);
    } finally {
      busy.close();
    }
    const bad = runCli(['web', '--port', '70000']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--port must be a whole number from 0 to 65535, got "70000"/);
    const file = runCli(['web', 'scenarios/s2s-policy-based.yaml']);
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(/takes no file/);
  });
});
