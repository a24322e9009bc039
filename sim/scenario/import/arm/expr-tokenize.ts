/**
 * The tokens of an ARM template expression: the text between the brackets of a string
 * like `"[concat(parameters('prefix'), '-gw')]"`. Strings are single-quoted with `''` for a
 * quote inside; numbers are whole (a leading minus belongs to the number); names are
 * letters, digits and underscores. Each token keeps its offset in the expression text.
 */

export type Token =
  | { readonly kind: 'name'; readonly text: string; readonly at: number }
  | { readonly kind: 'string'; readonly value: string; readonly at: number }
  | { readonly kind: 'number'; readonly value: number; readonly at: number }
  | { readonly kind: 'punct'; readonly text: '(' | ')' | ',' | '.' | '[' | ']'; readonly at: number }
  | { readonly kind: 'end'; readonly at: number };

/** A problem in an expression, at an offset of the expression text. */
export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

const PUNCT = new Set(['(', ')', ',', '.', '[', ']']);

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      const at = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new ExpressionError("a string that is never closed: add the closing quote '", at);
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += src[i];
        i++;
      }
      out.push({ kind: 'string', value, at });
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const at = i;
      const m = /^-?[0-9]+/.exec(src.slice(i)) as RegExpExecArray;
      if (/^\.[0-9]/.test(src.slice(i + m[0].length))) throw new ExpressionError('template numbers are whole numbers: write a decimal as a string and convert it', at);
      const value = Number(m[0]);
      if (!Number.isSafeInteger(value)) throw new ExpressionError(`${m[0]} is too large for a template integer`, at);
      out.push({ kind: 'number', value, at });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const at = i;
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ kind: 'name', text: m[0], at });
      i += m[0].length;
    } else if (PUNCT.has(c)) {
      out.push({ kind: 'punct', text: c as '(' | ')' | ',' | '.' | '[' | ']', at: i });
      i++;
    } else {
      throw new ExpressionError(`unexpected character "${c}" in an expression`, i);
    }
  }
  out.push({ kind: 'end', at: src.length });
  return out;
}
