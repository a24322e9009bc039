/**
 * Labs in the page: the lab menu (a lab completed here shows ✓), the lesson, the learner's
 * scenario in the editor, "Check" grading each goal (PASS or FAIL in words, the hint of a
 * failed one) with a score, and progress kept in this browser (localStorage: each lab's
 * work and best score), so a learner can close the tab and come back.
 */
import { applyLabVariant, gradeRun, MAX_LAB_VARIANT, planLabVariant } from '../sim/web/index.js';
import type { LabGrade, WebRun } from '../sim/web/index.js';
import { byId, h } from './dom.js';
import { lesson } from './lesson.js';

export interface Lab {
  readonly id: string;
  readonly dir: string;
  readonly title: string;
  readonly readme: string;
  readonly lab: string;
  /** The addresses and prefixes the lab's solution writes (what shapes a variant besides the lesson and lab.yaml). */
  readonly solutionAddresses: readonly string[];
}

/** The variant the page's address asks for (`?variant=N`, 1 to MAX_LAB_VARIANT), or 0 (the labs as written). */
export function variantOf(search: string): number {
  const v = new URLSearchParams(search).get('variant');
  return v !== null && /^\d{1,7}$/.test(v) && Number(v) <= MAX_LAB_VARIANT ? Number(v) : 0;
}

/**
 * Lab `l` in variant `variant`: the same text `vgw lab start NN --variant N` writes (see
 * sim/lab-variant.ts), its progress kept apart from the lab as written and other variants.
 */
export function labVariant(l: Lab, variant: number): Lab {
  if (variant === 0) return l;
  const plan = planLabVariant([l.readme, l.lab, l.solutionAddresses.join('\n')], variant);
  return { ...l, dir: `${l.dir}@${variant}`, title: `${l.title} (variant ${variant})`, readme: applyLabVariant(l.readme, plan), lab: applyLabVariant(l.lab, plan) };
}

/** What the browser keeps of one lab. */
interface Progress {
  readonly work?: string;
  readonly passed?: number;
  readonly total?: number;
  readonly complete?: boolean;
}

const STORE = 'vgwsim.labs';

function load(): Record<string, Progress> {
  try {
    const v = JSON.parse(localStorage.getItem(STORE) ?? '{}') as unknown;
    return v !== null && typeof v === 'object' ? (v as Record<string, Progress>) : {};
  } catch {
    return {};
  }
}

function save(dir: string, p: Progress): void {
  const all = load();
  all[dir] = { ...all[dir], ...p };
  try {
    localStorage.setItem(STORE, JSON.stringify(all));
  } catch {
    // Storage full or refused (a private window): progress is simply not kept.
  }
}

/** The learner's saved work on `lab`, or the lab's starting scenario. */
export function labText(lab: Lab): string {
  return load()[lab.dir]?.work ?? lab.lab;
}

/** Keep the learner's current text of `lab`. */
export function keepWork(lab: Lab, text: string): void {
  save(lab.dir, { work: text });
}

/** Forget the learner's work on `lab` (the score stays). */
export function forgetWork(lab: Lab): void {
  const all = load();
  if (all[lab.dir]) {
    const { work: _drop, ...rest } = all[lab.dir]!;
    all[lab.dir] = rest;
    localStorage.setItem(STORE, JSON.stringify(all));
  }
}

/** Fill the lab menu: "NN: title", with ✓ and the best score of labs tried here. */
export function fillMenu(menu: HTMLSelectElement, labs: readonly Lab[]): void {
  const progress = load();
  const keep = menu.value;
  menu.replaceChildren(h('option', { value: '' }, '(no lab)'), ...labs.map((l) => {
    const p = progress[l.dir];
    const mark = p?.complete ? ' ✓ complete' : p?.total ? ` (${p.passed ?? 0}/${p.total})` : '';
    const title = l.title.startsWith(`${l.id}:`) ? l.title : `${l.id}: ${l.title}`;
    return h('option', { value: l.id }, `${title}${mark}`);
  }));
  menu.value = keep;
}

/** Show `lab`'s lesson in the lab panel (or hide the panel when undefined). */
export function showLesson(lab: Lab | undefined): void {
  const panel = byId('lab-panel');
  panel.hidden = lab === undefined;
  byId('lab-goals').replaceChildren();
  byId('lab-score').textContent = '';
  if (lab) byId('lab-lesson').replaceChildren(lesson(lab.readme));
}

/** Grade the run of the learner's scenario, show each goal and the score, and keep them. */
export function check(lab: Lab, text: string, run: WebRun): LabGrade {
  const g = gradeRun(run.validation, run.result);
  const goals = byId('lab-goals');
  const score = byId('lab-score');
  if (!g.valid) {
    goals.replaceChildren(h('li', { class: 'drop' }, `✗ The scenario is invalid (${run.validation.errors} error(s)): fix the diagnostics under the editor, then check again.`));
    score.textContent = 'score: not graded';
    save(lab.dir, { work: text });
    return g;
  }
  goals.replaceChildren(...g.goals.map((x) => h('li', { class: x.passed ? 'ok' : 'drop', 'data-goal': String(x.n) },
    h('strong', {}, x.passed ? `✓ PASS goal ${x.n}: ` : `✗ FAIL goal ${x.n}: `), x.message,
    ...(!x.passed && x.hint ? [h('div', { class: 'hint' }, `Hint: ${x.hint}`)] : []))));
  score.textContent = `score: ${g.passed}/${g.total} goal${g.total === 1 ? '' : 's'}${g.complete ? ': lab complete' : ': not yet'}`;
  score.className = g.complete ? 'ok' : 'drop';
  const best = load()[lab.dir];
  save(lab.dir, { work: text, passed: Math.max(g.passed, best?.passed ?? 0), total: g.total, complete: g.complete || best?.complete === true });
  return g;
}
