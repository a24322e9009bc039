/**
 * The YAML editor: CodeMirror 6 with its YAML language, key completion from
 * scenario.schema.json (schema-keys.ts), and inline diagnostics from vgwsim's own
 * validator at their line and column (@codemirror/lint). Tab moves focus out of the editor
 * (keyboard-only use; Ctrl+] and Ctrl+[ indent), Ctrl+Enter runs the scenario.
 */
import { autocompletion } from '@codemirror/autocomplete';
import type { CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { indentLess, indentMore } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { lintGutter, linter } from '@codemirror/lint';
import type { Diagnostic as LintDiagnostic } from '@codemirror/lint';
import type { Text } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { scenarioJsonSchema, validateScenarioText } from '../sim/web/index.js';
import type { Diagnostic, Validation } from '../sim/web/index.js';
import { completeKeys } from './schema-keys.js';
import type { SchemaNode } from './schema-keys.js';

export interface EditorHooks {
  /** The file name diagnostics give (the example's, or scenario.yaml). */
  readonly file: () => string;
  /** Called with every validation the linter makes (after an edit settles). */
  readonly validated: (v: Validation) => void;
  readonly run: () => void;
}

/** The document range a diagnostic points at: from its line and column to the end of the word there. */
export function diagnosticRange(doc: Text, d: Pick<Diagnostic, 'line' | 'column'>): { from: number; to: number } {
  const line = doc.line(Math.min(Math.max(1, d.line), doc.lines));
  const from = Math.min(line.from + Math.max(0, d.column - 1), line.to);
  const word = /^[^\s,\]}]+/.exec(line.text.slice(from - line.from));
  return { from, to: from + (word ? word[0].length : 0) };
}

const schema = scenarioJsonSchema() as unknown as SchemaNode;

function completion(ctx: CompletionContext): CompletionResult | null {
  const line = ctx.state.doc.lineAt(ctx.pos);
  const lines = ctx.state.doc.sliceString(0, line.to).split('\n');
  const found = completeKeys(schema, lines, lines.length - 1, ctx.pos - line.from);
  if (!found || (found.from === ctx.pos - line.from && !ctx.explicit)) return null;
  return {
    from: line.from + found.from,
    options: found.options.map((o) => ({ label: o.key, apply: `${o.key}: `, type: 'property', info: o.description })),
    validFor: /^[\w$-]*$/,
  };
}

export function createEditor(parent: HTMLElement, text: string, hooks: EditorHooks): EditorView {
  const lint = linter((view) => {
    const v = validateScenarioText(view.state.doc.toString(), hooks.file());
    hooks.validated(v);
    return v.diagnostics.map((d): LintDiagnostic => ({
      ...diagnosticRange(view.state.doc, d),
      severity: d.severity,
      source: d.code,
      message: `${d.code}: ${d.message}`,
    }));
  }, { delay: 400 });
  return new EditorView({
    doc: text,
    parent,
    extensions: [
      keymap.of([
        { key: 'Mod-Enter', run: () => { hooks.run(); return true; } },
        { key: 'Mod-]', run: indentMore },
        { key: 'Mod-[', run: indentLess },
      ]),
      basicSetup,
      yaml(),
      lintGutter(),
      lint,
      autocompletion({ override: [completion] }),
      EditorView.contentAttributes.of({ 'aria-label': 'Scenario YAML editor' }),
    ],
  });
}

/** Replace the editor's whole text. */
export function setText(view: EditorView, text: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}
