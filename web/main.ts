/**
 * The page: wires the editor, the run, the diagram, the trace player and the report
 * together. On load it shows the scenario the URL fragment carries (`#s=`: a shared link;
 * `#example=FILE`: an example; `#lab=NN`: a lab) or the default example, and runs it at
 * once. The editor's code (CodeMirror) is a separate chunk loaded after the first result,
 * so a learner sees the run sooner; until it is there the text shows read-only. Everything
 * runs here, in the browser; nothing is sent anywhere.
 */
import { diagramGraph, escapeControls, runScenarioText } from '../sim/web/index.js';
import type { Diagnostic, SimEvent, WebRun } from '../sim/web/index.js';
import { captureFiles } from './capture-files.js';
import { diagramSvg } from './diagram-svg.js';
import { byId, h } from './dom.js';
import type { EditorView } from '@codemirror/view';
import type * as EditorCode from './editor.js';
import { check, fillMenu, forgetWork, keepWork, labText, labVariant, showLesson, variantOf } from './labs.js';
import type { Lab } from './labs.js';
import { TracePlayer } from './player.js';
import { diagnosticList, dropCounters, expectationList, summaryTable } from './report.js';
import { shareFragment, sharedScenario } from './share.js';

interface Example { readonly file: string; readonly text: string }

// Timeline marks, read by the browser test for the README's numbers: the bundle evaluated,
// the data fetched, the first result shown (performance.getEntriesByType('mark')).
performance.mark('vgw-bundle-evaluated');

const DEFAULT_EXAMPLE = 's2s-policy-based.yaml';
/** The file name a scenario typed or shared in the page has in its diagnostics. */
const OWN_FILE = 'scenario.yaml';

let file = OWN_FILE;
/** The lab being worked on, if any. */
let lab: Lab | undefined;
let last: WebRun | undefined;
let firstResultShown = false;
const status = byId('status');
const flowSelect = byId<HTMLSelectElement>('flow');

function say(text: string): void {
  status.textContent = text;
}

/** A download link for `bytes` named `name`. */
function download(name: string, bytes: Uint8Array | string, type: string): HTMLAnchorElement {
  const url = URL.createObjectURL(new Blob([typeof bytes === 'string' ? bytes : bytes.slice()], { type }));
  return h('a', { href: url, download: name }, name);
}

/** The editor once its code has loaded; until then `pending` holds the scenario's text. */
let editor: EditorView | undefined;
let editorCode: typeof EditorCode | undefined;
let pending = '';

function currentText(): string {
  return editor ? editor.state.doc.toString() : pending;
}

function showText(text: string): void {
  if (editor && editorCode) return editorCode.setText(editor, text);
  pending = text;
  byId('editor').replaceChildren(h('pre', { class: 'editor-loading', 'aria-busy': 'true' }, text));
}

/** Load the editor's chunk and put the editor in place of the read-only text. */
async function loadEditor(): Promise<void> {
  editorCode = await import('./editor.js');
  const box = byId('editor');
  box.replaceChildren();
  editor = editorCode.createEditor(box, pending, {
    file: () => file,
    validated: (v) => {
      byId('diagnostics').replaceChildren(diagnosticList(v.diagnostics, goTo));
      if (lab) keepWork(lab, currentText());
    },
    run: () => run(),
  });
}

function goTo(d: Diagnostic): void {
  if (!editor) return;
  const doc = editor.state.doc;
  const line = doc.line(Math.min(Math.max(1, d.line), doc.lines));
  const pos = Math.min(line.from + d.column - 1, line.to);
  editor.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
  editor.focus();
}

const player = new TracePlayer({
  list: byId<HTMLOListElement>('events'), detail: byId('detail'), state: byId('player-state'),
  play: byId<HTMLButtonElement>('play'), speed: byId<HTMLSelectElement>('speed'),
}, (e) => drawDiagram(e));

/** The diagram with the path of the chosen flow, or of the selected event's flow when all are shown. */
function drawDiagram(selected?: SimEvent): void {
  const box = byId('diagram');
  const s = last?.validation.scenario;
  if (!s || !last) {
    box.replaceChildren(h('p', { class: 'dim' }, 'No diagram: the scenario has errors.'));
    return;
  }
  const flow = flowSelect.value || (selected && selected.type !== 'fault' ? selected.flow : undefined);
  const title = flow ? `${s.name}: the path of flow ${flow}` : s.name;
  const g = diagramGraph(s, last.events, flow);
  // Where the selected event happens: its node's VNet, gateway or site (an injection happens on the Internet link: nowhere).
  const where = selected && selected.type !== 'fault' && selected.type !== 'inject' ? g.owners.get(selected.node.split('/')[0]!) : undefined;
  box.replaceChildren(diagramSvg(g, title, where));
}

function run(): void {
  const t0 = performance.now();
  const text = currentText();
  const r = runScenarioText(text, file);
  last = r;
  byId('diagnostics').replaceChildren(diagnosticList(r.validation.diagnostics, goTo));
  byId('downloads').replaceChildren();
  const s = r.validation.scenario;
  if (!s || !r.result) {
    player.load([], '');
    for (const id of ['summary', 'expectations', 'counters']) byId(id).replaceChildren();
    drawDiagram();
    say(`✗ ${escapeControls(file)}: ${r.validation.errors} error(s): nothing was simulated; see the diagnostics.`);
    return;
  }
  const res = r.result;
  const keep = flowSelect.value;
  flowSelect.replaceChildren(h('option', { value: '' }, 'all flows'), ...res.flows.map((f) => h('option', { value: f.id }, f.id)));
  flowSelect.value = res.flows.some((f) => f.id === keep) ? keep : '';
  player.load(r.events, flowSelect.value);
  byId('summary').replaceChildren(summaryTable(res));
  byId('expectations').replaceChildren(expectationList(res));
  byId('counters').replaceChildren(dropCounters(res));
  const ms = performance.now() - t0;
  say(`✓ ${s.name}: ${res.flows.length} flows, ${r.events.length} events, expectations ${res.passed} passed, ${res.failed} failed (ran in ${ms.toFixed(0)} ms, ESP crypto ${res.crypto})`);
  if (!firstResultShown) {
    firstResultShown = true;
    performance.mark('vgw-first-result');
    document.body.dataset['firstResultMs'] = performance.now().toFixed(0);
  }
  document.body.dataset['runs'] = String(Number(document.body.dataset['runs'] ?? '0') + 1);
}

function load(text: string, name: string, which?: Lab): void {
  lab = which;
  showLesson(which);
  file = name;
  byId('file-name').textContent = name;
  showText(text);
  run();
}

async function share(): Promise<void> {
  const fragment = await shareFragment(currentText());
  const url = `${location.origin}${location.pathname}#${fragment}`;
  history.replaceState(null, '', `#${fragment}`);
  let copied = false;
  try {
    await navigator.clipboard.writeText(url);
    copied = true;
  } catch {
    // No clipboard permission: the link is in the field below to copy by hand.
  }
  const field = h('input', { type: 'text', readonly: '', value: url, 'aria-label': 'Link to this scenario', size: '60', id: 'share-link' });
  byId('downloads').replaceChildren(h('p', {}, copied ? 'Link copied; it holds the whole scenario (nothing is stored on a server): ' : 'Link to this scenario (nothing is stored on a server): ', field));
  field.select();
  say(copied ? 'Link copied to the clipboard.' : 'Link ready below: copy it.');
}

function captures(): void {
  const r = runScenarioText(currentText(), file, { capture: true });
  if (!r.result?.captures) return say('✗ No captures: the scenario has errors.');
  const links = captureFiles(r.result.captures).map((f) => download(f.name, f.bytes, f.type));
  byId('downloads').replaceChildren(h('p', {}, 'Captures, as vgw run --pcap writes them (open a .pcap in Wireshark with esp_sa and the IKE tables as its ESP and IKE decryption tables): '), ...links);
  links[0]?.focus();
  say(`${links.length} capture files ready below.`);
}

function eventsJsonl(): void {
  if (!last?.result) return say('✗ No events: the scenario has errors.');
  const text = last.events.map((e) => escapeControls(JSON.stringify(e))).join('\n') + '\n';
  const a = download('events.jsonl', text, 'application/jsonl');
  byId('downloads').replaceChildren(h('p', {}, 'The run\'s events, one JSON object a line (as vgw run --json prints them): ', a));
  a.focus();
}

/** Offer the editor's text as a download named as the scenario is. */
function saveYaml(): void {
  const name = file.endsWith('.yaml') || file.endsWith('.yml') || file.endsWith('.json') ? file : `${file}.yaml`;
  const a = download(name, currentText(), 'application/yaml');
  byId('downloads').replaceChildren(h('p', {}, 'Your scenario: ', a));
  a.focus();
}

/** Load a scenario file the user picked (the validator refuses one too big or not UTF-8, as for a file on disk). */
async function openFile(input: HTMLInputElement): Promise<void> {
  const f = input.files?.[0];
  if (!f) return;
  byId<HTMLSelectElement>('examples').value = '';
  byId<HTMLSelectElement>('labs').value = '';
  history.replaceState(null, '', location.pathname + location.search);
  load(await f.text(), f.name);
  input.value = '';
}

async function start(): Promise<void> {
  const [examples, written] = await Promise.all([
    fetch('examples.json').then((r) => r.json() as Promise<Example[]>),
    fetch('labs.json').then((r) => r.json() as Promise<Lab[]>),
  ]);
  // ?variant=N: every lab with the student's own addresses, as vgw lab start --variant N gives them.
  const variant = variantOf(location.search);
  const labs = written.map((l) => labVariant(l, variant));
  performance.mark('vgw-data-fetched');
  const menu = byId<HTMLSelectElement>('examples');
  const labMenu = byId<HTMLSelectElement>('labs');
  fillMenu(labMenu, labs);
  const openLab = (l: Lab): void => {
    menu.value = '';
    labMenu.value = l.id;
    history.replaceState(null, '', `#lab=${l.id}`);
    load(labText(l), 'lab.yaml', l);
  };
  labMenu.addEventListener('change', () => {
    const l = labs.find((x) => x.id === labMenu.value);
    if (l) openLab(l);
  });
  byId('lab-check').addEventListener('click', () => {
    if (!lab) return;
    run();
    if (last) check(lab, currentText(), last);
    fillMenu(labMenu, labs);
  });
  byId('lab-reset').addEventListener('click', () => {
    if (!lab) return;
    forgetWork(lab);
    load(lab.lab, 'lab.yaml', lab);
    say(`Lab ${lab.id} is back at its start (your best score is kept).`);
  });
  menu.replaceChildren(h('option', { value: '' }, '(your scenario)'), ...examples.map((x) => h('option', { value: x.file }, x.file)));
  menu.addEventListener('change', () => {
    const x = examples.find((e) => e.file === menu.value);
    if (x) {
      labMenu.value = '';
      history.replaceState(null, '', `#example=${encodeURIComponent(x.file)}`);
      load(x.text, x.file);
    }
  });
  byId('run').addEventListener('click', () => run());
  byId('share').addEventListener('click', () => void share());
  byId('captures').addEventListener('click', () => captures());
  byId('events-jsonl').addEventListener('click', () => eventsJsonl());
  byId('save').addEventListener('click', () => saveYaml());
  byId<HTMLInputElement>('open-file').addEventListener('change', (ev) => void openFile(ev.target as HTMLInputElement));
  byId('rewind').addEventListener('click', () => player.rewind());
  byId('back').addEventListener('click', () => player.step(-1));
  byId('play').addEventListener('click', () => player.toggle());
  byId('step').addEventListener('click', () => player.step(1));
  byId('next-drop').addEventListener('click', () => player.nextDrop());
  // Filtering selects an event again, which redraws the diagram for the chosen flow.
  flowSelect.addEventListener('change', () => player.filter(flowSelect.value));
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey) && !editor?.hasFocus) {
      ev.preventDefault();
      run();
    }
  });
  const shared = await sharedScenario(location.hash);
  if (typeof shared === 'string') {
    menu.value = '';
    return load(shared, OWN_FILE);
  }
  if (shared instanceof Error) say(`✗ ${shared.message}; showing the default example instead.`);
  const wantedLab = /^#lab=(\d+)$/.exec(location.hash);
  const l = wantedLab ? labs.find((x) => x.id === wantedLab[1]!.padStart(2, '0')) : undefined;
  if (l) return openLab(l);
  const wanted = /^#example=(.+)$/.exec(location.hash);
  const name = wanted ? decodeURIComponent(wanted[1]!) : DEFAULT_EXAMPLE;
  const x = examples.find((e) => e.file === name) ?? examples.find((e) => e.file === DEFAULT_EXAMPLE) ?? examples[0];
  if (x) {
    menu.value = x.file;
    load(x.text, x.file);
  }
}

start()
  .then(() => loadEditor())
  .catch((e: unknown) => say(`✗ The page could not start: ${e instanceof Error ? e.message : String(e)}`));
