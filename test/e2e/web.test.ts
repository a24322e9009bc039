/// <reference lib="dom" />
/**
 * The web app in a real browser: `vgw web` serves the built app, Debian's chromium loads it
 * (playwright-core), and the tests assert what a user sees: a flow's path in the diagram
 * and the trace, a drop with its reason explained, a diagnostic at the right line and
 * column after an edit, a share link that brings the scenario back, a lab goal turning from
 * failed to passed (and the progress kept over a reload); and that the browser
 * (node-forge crypto) gives the same events and capture bytes as Node (`vgw run`).
 * A failed test leaves a screenshot in test-results/web/. Needs /usr/bin/chromium: fails,
 * never skips, without it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DROP_EXPLANATIONS, gradeLab, runScenario, scenarioJsonSchema, validateScenarioFile, validateScenarioText } from '../../sim/index.js';
import type { DropReason } from '../../sim/index.js';
import { ROOT, exampleScenarios, runCli } from '../support/run-cli.js';
import { SHOTS, buildWeb, launchChromium, startWeb } from '../support/web-page.js';
import type { WebServer } from '../support/web-page.js';

let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  buildWeb();
  server = await startWeb();
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  // SIGINT stops the server with exit code 0.
  if (server) expect(await server.stop()).toBe(0);
});

/** A new page on `hash` (default: the default example), with a screenshot kept if the test fails. */
async function open(name: string, hash = ''): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  onTestFailed(async () => {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  });
  await page.goto(server.url + hash);
  await page.waitForFunction(() => document.body.dataset['runs'] !== undefined || document.getElementById('status')?.textContent?.startsWith('✗'), null, { timeout: 30_000 });
  // The editor's code arrives after the first result.
  await page.waitForSelector('.cm-content');
  expect(errors).toEqual([]);
  return page;
}

/** Choose example `file` from the menu and wait for its run. */
async function example(page: Page, file: string): Promise<void> {
  const runs = await page.evaluate(() => Number(document.body.dataset['runs'] ?? '0'));
  await page.selectOption('#examples', file);
  await page.waitForFunction((n) => Number(document.body.dataset['runs'] ?? '0') > n, runs);
}

/**
 * All the editor holds, taken as a user would: select all, copy, read the clipboard (the
 * editor's DOM has only the lines in view).
 */
async function editorText(page: Page): Promise<string> {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
  await page.click('.cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+C');
  return page.evaluate(() => navigator.clipboard.readText());
}

/** The bytes of the download a click on `selector`, then on the link named `name`, gives. */
async function downloaded(page: Page, selector: string, name: string): Promise<Buffer> {
  await page.click(selector);
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(`#downloads a[download="${name}"]`)]);
  const path = await d.path();
  return readFileSync(path);
}

/** The event lines of `vgw run FILE --json`: without the validator's warnings before them and the summary after. */
function nodeEvents(file: string): string[] {
  const r = runCli(['run', join('scenarios', file), '--json']);
  expect(r.code, r.stderr).toBeLessThan(2);
  const lines = r.stdout.trim().split('\n').slice(0, -1);
  return lines.filter((l) => (JSON.parse(l) as { type: string }).type !== 'diagnostic');
}

describe('vgw web in chromium', () => {
  it('runs the default scenario at once and shows a flow\'s path in the diagram and the trace', async () => {
    const page = await open('default-path');
    // The time to first result, part by part (the README's numbers): printed and kept in test-results/web/.
    const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => `${m.name.replace(/^vgw-/, '')} ${Math.round(m.startTime)} ms`));
    expect(marks.map((m) => m.split(' ')[0])).toEqual(['bundle-evaluated', 'data-fetched', 'first-result']);
    console.log(`web: default scenario, after navigation: ${marks.join(', ')}`);
    writeFileSync(join(SHOTS, 'first-result.txt'), `${marks.join('\n')}\n`);
    expect(await page.textContent('#status')).toContain('4 passed, 0 failed');
    // Every example is in the menu.
    const menu = await page.$$eval('#examples option', (os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    expect(menu.map((f) => `scenarios/${f}`)).toEqual(exampleScenarios());
    await page.selectOption('#flow', 'ping');
    // The diagram marks the path's nodes "▶": VNet vnet1, gateway gw1, site hq, and the connection.
    const marked = await page.$$eval('#diagram g.node.on-path .node-name', (ns) => ns.map((n) => n.textContent));
    expect(marked.sort()).toEqual(['▶ VNet vnet1', '▶ gw1', '▶ site hq']);
    expect(await page.$$eval('#diagram .edge-label.on-path', (ns) => ns.map((n) => n.textContent))).toEqual(['gw1-hq (IPsec)']);
    // Keyboard only: the trace list steps with ↓ and shows each hop's detail.
    await page.focus('#events');
    await page.keyboard.press('ArrowDown');
    expect(await page.textContent('#player-state')).toMatch(/^event 2\//);
    const detail = await page.textContent('#detail');
    expect(detail).toContain('route192.168.0.0/16 → VirtualNetworkGateway gw1 [VirtualNetworkGateway]');
    expect(detail).toContain('beat0.0.0.0/0 → Internet [Default]');
    // The diagram marks where the selected event happens: the VNet's subnet routes, then hq delivers.
    expect(await page.textContent('#diagram g.here .node-name')).toBe('▶ VNet vnet1');
    await page.keyboard.press('End');
    expect(await page.textContent('#events li[aria-selected="true"]')).toContain('✓ DELIVERED to pc1');
    expect(await page.textContent('#diagram g.here .node-name')).toBe('▶ site hq');
    await page.keyboard.press('Home');
    expect(await page.textContent('#player-state')).toMatch(/^event 1\//);
    // Space plays at the chosen speed and pauses again.
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    expect(await page.textContent('#player-state')).toBe(`event 1/${await page.$$eval('#events li', (l) => l.length)}, paused at 25 events/s`);
    await page.keyboard.press(' ');
    expect(await page.textContent('#play')).toBe('❚❚ Pause');
    await page.waitForFunction(() => /^event ([3-9]|\d\d)/.test(document.getElementById('player-state')?.textContent ?? ''));
    await page.keyboard.press(' ');
    expect(await page.textContent('#player-state')).toMatch(/paused at 25 events\/s$/);
    await page.close();
  });

  it('shows a drop as DROP with its reason explained', async () => {
    const page = await open('drop-reason');
    await example(page, 's2s-policy-based-selector-trap.yaml');
    await page.selectOption('#flow', 'new-out');
    await page.focus('#events');
    await page.keyboard.press('n');
    const line = await page.textContent('#events li[aria-selected="true"]');
    expect(line).toMatch(/✗ DROP tunnel-down at gw1/);
    const explanation = DROP_EXPLANATIONS['tunnel-down' as DropReason];
    const detail = await page.textContent('#detail');
    expect(detail).toContain('✗ DROP: tunnel-down at gw1');
    expect(detail).toContain(explanation.meaning.replace(/\s+/g, ' '));
    expect(detail).toContain(explanation.fix.replace(/\s+/g, ' '));
    await page.close();
  });

  it('puts a diagnostic at the line and column of an edit, as the Node validator does', async () => {
    const page = await open('diagnostic');
    const text = readFileSync(join(ROOT, 'scenarios', 's2s-policy-based.yaml'), 'utf8');
    const row = text.split('\n').findIndex((l) => l.trim() === 'sku: Basic');
    // Type "x" at the end of the gateway's sku line, with the keyboard.
    await page.click('.cm-content');
    await page.keyboard.press('Control+Home');
    for (let i = 0; i < row; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('End');
    await page.keyboard.type('x');
    const edited = text.split('\n').map((l, i) => (i === row ? `${l}x` : l)).join('\n');
    const expected = validateScenarioText(edited, 's2s-policy-based.yaml').diagnostics.filter((d) => d.severity === 'error');
    expect(expected.length).toBeGreaterThan(0);
    const d = expected[0]!;
    expect(d.line).toBe(row + 1);
    expect(d.column).toBe(text.split('\n')[row]!.indexOf('Basic') + 1);
    await page.waitForSelector('.cm-lintRange-error');
    expect(await page.textContent('.cm-lintRange-error')).toBe('Basicx');
    expect(await page.textContent('#diagnostics')).toContain(`s2s-policy-based.yaml:${d.line}:${d.column} ${d.code}`);
    await page.keyboard.press('Control+Enter');
    await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('✗'));
    expect(await page.textContent('#status')).toContain('nothing was simulated');
    await page.close();
  });

  it('works from the keyboard alone: Tab reaches every control in order, in and out of the editor', async () => {
    const page = await open('keyboard');
    const seen: string[] = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      seen.push(await page.evaluate(() => {
        const a = document.activeElement as HTMLElement | null;
        if (!a) return '';
        if (a.classList.contains('cm-content')) return 'editor';
        return a.id || a.tagName.toLowerCase();
      }));
    }
    const order = ['examples', 'labs', 'run', 'share', 'captures', 'events-jsonl', 'editor', 'flow', 'rewind', 'back', 'play', 'step', 'next-drop', 'speed', 'events'];
    const at = order.map((id) => seen.indexOf(id));
    expect(at.every((k) => k >= 0), `focus went through ${seen.join(', ')}`).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // A focused control is visibly outlined.
    await page.focus('#run');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    expect(await page.$eval('#run', (b) => getComputedStyle(b).outlineStyle)).toBe('solid');
    // Ctrl+Space in the editor offers the keys of the schema at the cursor; Enter writes one.
    await page.click('.cm-content');
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+Space');
    await page.waitForSelector('.cm-tooltip-autocomplete');
    const keys = await page.$$eval('.cm-tooltip-autocomplete li', (l) => l.map((x) => x.textContent));
    const text = readFileSync(join(ROOT, 'scenarios', 's2s-policy-based.yaml'), 'utf8');
    const present = new Set([...text.matchAll(/^([\w$]+):/gm)].map((m) => m[1]));
    const all = Object.keys((scenarioJsonSchema() as { properties: object }).properties);
    const missing = all.filter((k) => k !== '$schema' && !present.has(k)).sort();
    expect(missing.length).toBeGreaterThan(0);
    expect(keys).toEqual(missing);
    // CodeMirror takes Enter for the list only 75 ms after it opened (so a fast typist's Enter stays a newline).
    await page.waitForTimeout(200);
    await page.keyboard.press('Enter');
    expect((await page.textContent('.cm-content'))!.endsWith(`${missing[0]}: `)).toBe(true);
    await page.close();
  });

  it('grades a lab: a goal fails with its hint, passes after the fix, and the progress survives a reload', async () => {
    const page = await open('lab', '#lab=01');
    expect(await page.isVisible('#lab-panel')).toBe(true);
    expect(await page.textContent('#lab-lesson')).toContain('your first policy-based tunnel');
    await page.click('#lab-check');
    const goal1 = page.locator('#lab-goals li[data-goal="1"]');
    expect(await goal1.textContent()).toMatch(/^✗ FAIL goal 1: .*Hint: Packets reach gw1 and are dropped tunnel-down/);
    // The same grade as `vgw lab check` gives in Node.
    const start = readFileSync(join(ROOT, 'scenarios', 'labs', '01-first-policy-based-tunnel', 'lab.yaml'), 'utf8');
    const g = gradeLab(validateScenarioText(start, 'lab.yaml'));
    if (!g.valid) throw new Error('lab 01 does not validate');
    expect(g.complete).toBe(false);
    expect(await page.textContent('#lab-score')).toBe(`score: ${g.passed}/${g.total} goals: not yet`);
    // The fix, typed: the connection gets its pre-shared key.
    const text = start.split('\n');
    const row = text.findIndex((l) => l.includes('name: vnet1-hq'));
    await page.click('.cm-content');
    await page.keyboard.press('Control+Home');
    for (let i = 0; i < row; i++) await page.keyboard.press('ArrowDown');
    // From the line's end (vertical moves keep a goal column, End does not): back to before " }".
    await page.keyboard.press('End');
    for (let i = text[row]!.indexOf(' }'); i < text[row]!.length; i++) await page.keyboard.press('ArrowLeft');
    // The closing quote typed too: the editor steps over the one it may have closed by itself.
    await page.keyboard.type(', sharedKey: "contoso1"');
    const fixed = start.replace('site: hq }', 'site: hq, sharedKey: "contoso1" }');
    expect(await editorText(page)).toBe(fixed);
    await page.click('#lab-check');
    expect(await goal1.textContent()).toMatch(/^✓ PASS goal 1: /);
    expect(await page.textContent('#lab-score')).toBe(`score: ${g.total}/${g.total} goals: lab complete`);
    await page.reload();
    await page.waitForFunction(() => document.body.dataset['runs'] !== undefined);
    expect(await page.$eval('#labs', (m) => (m as HTMLSelectElement).selectedOptions[0]?.textContent)).toMatch(/^01: .*✓ complete$/);
    expect(await editorText(page)).toBe(fixed);
    await page.close();
  });

  it('opens a scenario file the user picks and saves the editor\'s text', async () => {
    const page = await open('open-save');
    const text = readFileSync(join(ROOT, 'scenarios', 'forced-tunnelling.yaml'), 'utf8');
    const runs = await page.evaluate(() => Number(document.body.dataset['runs']));
    await page.setInputFiles('#open-file', { name: 'mine.yaml', mimeType: 'application/yaml', buffer: Buffer.from(text) });
    await page.waitForFunction((n) => Number(document.body.dataset['runs']) > n, runs);
    expect(await page.textContent('#file-name')).toBe('mine.yaml');
    expect(await page.textContent('#status')).toMatch(/^✓ /);
    expect((await downloaded(page, '#save', 'mine.yaml')).toString('utf8')).toBe(text);
    await page.close();
  });

  it('shares the scenario as a link whose fragment brings it back', async () => {
    const page = await open('share');
    await example(page, 'vnet-to-vnet.yaml');
    await page.click('#share');
    const link = await page.inputValue('#share-link');
    expect(link).toMatch(/#s=[A-Za-z0-9_-]+$/);
    const again = await open('share-opened', link.slice(link.indexOf('#')));
    expect(await editorText(again)).toBe(readFileSync(join(ROOT, 'scenarios', 'vnet-to-vnet.yaml'), 'utf8'));
    await Promise.all([page.close(), again.close()]);
  });

  it('runs every example with the expectations it has in Node', async () => {
    const page = await open('every-example');
    for (const path of exampleScenarios()) {
      const v = validateScenarioFile(join(ROOT, path));
      const r = runScenario(v.scenario!, { traceLimit: 0 });
      await example(page, path.replace('scenarios/', ''));
      expect(await page.textContent('#status'), path).toContain(`${r.flows.length} flows`);
      expect(await page.textContent('#status'), path).toContain(`expectations ${r.passed} passed, ${r.failed} failed`);
    }
    await page.close();
  });

  it.each(['s2s-policy-based.yaml', 's2s-policy-based-selector-trap.yaml', 's2s-route-based-multisite.yaml'])(
    'gives the same events as vgw run --json for %s', async (file) => {
      const page = await open(`events-${file}`);
      await example(page, file);
      const browserEvents = (await downloaded(page, '#events-jsonl', 'events.jsonl')).toString('utf8').trim().split('\n');
      expect(browserEvents.length).toBeGreaterThan(10);
      expect(browserEvents).toEqual(nodeEvents(file));
      await page.close();
    });

  it('writes the same capture bytes as vgw run --pcap (node:crypto)', async () => {
    const page = await open('captures');
    const dir = mkdtempSync(join(tmpdir(), 'vgw-web-pcap-'));
    try {
      const r = runCli(['run', 'scenarios/s2s-policy-based.yaml', '--pcap', dir, '--crypto', 'node']);
      expect(r.code, r.stderr).toBe(0);
      const pcap = await downloaded(page, '#captures', 'internet.pcap');
      expect(pcap.length).toBeGreaterThan(24);
      expect(pcap.equals(readFileSync(join(dir, 'internet.pcap')))).toBe(true);
      const espSa = await downloaded(page, '#captures', 'esp_sa');
      expect(espSa.toString('utf8')).toBe(readFileSync(join(dir, 'esp_sa'), 'utf8'));
      const ike = await downloaded(page, '#captures', 'ikev1_decryption_table');
      expect(ike.toString('utf8')).toBe(readFileSync(join(dir, 'ikev1_decryption_table'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await page.close();
    }
  });
});
