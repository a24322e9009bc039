/**
 * Terraform (HCL) expressions to a syntax tree: literals, strings with `${...}` templates,
 * heredocs, references (`var.x`, `azurerm_subnet.gw[0].id`), function calls, tuples and
 * objects, `for` expressions, unary and binary operators and conditionals. Every node keeps
 * its offset in the file, for diagnostics. A syntax error is an ExprSyntaxError at its offset.
 */
import { commentEnd } from './positions.js';

export type Expr =
  | { readonly kind: 'literal'; readonly at: number; readonly value: null | boolean | number | string }
  | { readonly kind: 'template'; readonly at: number; readonly parts: readonly (string | Expr)[] }
  | { readonly kind: 'name'; readonly at: number; readonly name: string }
  | { readonly kind: 'attr'; readonly at: number; readonly of: Expr; readonly name: string }
  | { readonly kind: 'index'; readonly at: number; readonly of: Expr; readonly index: Expr }
  | { readonly kind: 'splat'; readonly at: number; readonly of: Expr; readonly then: readonly (string | Expr)[] }
  | { readonly kind: 'call'; readonly at: number; readonly name: string; readonly args: readonly Expr[]; readonly expand: boolean }
  | { readonly kind: 'tuple'; readonly at: number; readonly items: readonly Expr[] }
  | { readonly kind: 'object'; readonly at: number; readonly entries: readonly (readonly [Expr, Expr])[] }
  | { readonly kind: 'for'; readonly at: number; readonly key?: string; readonly value: string; readonly coll: Expr; readonly keyExpr?: Expr; readonly valueExpr: Expr; readonly cond?: Expr; readonly object: boolean }
  | { readonly kind: 'unary'; readonly at: number; readonly op: string; readonly operand: Expr }
  | { readonly kind: 'binary'; readonly at: number; readonly op: string; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'cond'; readonly at: number; readonly test: Expr; readonly then: Expr; readonly else: Expr };

export class ExprSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const BINARY: readonly (readonly string[])[] = [['||'], ['&&'], ['==', '!='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%']];

class Parser {
  pos: number;
  constructor(
    private readonly text: string,
    start: number,
    private readonly end: number,
  ) {
    this.pos = start;
  }

  fail(message: string, at = this.pos): never {
    throw new ExprSyntaxError(at, message);
  }

  skip(): void {
    const t = this.text;
    while (this.pos < this.end) {
      const c = t[this.pos] as string;
      if (/\s/.test(c)) this.pos++;
      else {
        const e = commentEnd(t, this.pos, this.end);
        if (e === undefined) return;
        this.pos = e;
      }
    }
  }

  peek(s: string): boolean {
    this.skip();
    return this.text.startsWith(s, this.pos) && this.pos + s.length <= this.end;
  }

  eat(s: string): boolean {
    if (!this.peek(s)) return false;
    this.pos += s.length;
    return true;
  }

  expect(s: string, what: string): void {
    if (!this.eat(s)) this.fail(`expected ${s} ${what}, found ${this.pos >= this.end ? 'the end of the expression' : JSON.stringify(this.text.slice(this.pos, this.pos + 12))}`);
  }

  ident(): string | undefined {
    this.skip();
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.text.slice(this.pos, this.end));
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  expression(): Expr {
    const test = this.binary(0);
    if (this.eat('?')) {
      const then = this.expression();
      this.expect(':', 'in the conditional (COND ? A : B)');
      return { kind: 'cond', at: test.at, test, then, else: this.expression() };
    }
    return test;
  }

  binary(level: number): Expr {
    if (level >= BINARY.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      this.skip();
      const ops = [...(BINARY[level] as readonly string[])].sort((a, b) => b.length - a.length);
      const op = ops.find((o) => this.text.startsWith(o, this.pos) && !(o === '<' && this.text[this.pos + 1] === '<') && !(['<', '>', '='].includes(o) && this.text[this.pos + 1] === '=' && o.length === 1) && !(o === '/' && '/*'.includes(this.text[this.pos + 1] ?? '')));
      if (!op) return left;
      this.pos += op.length;
      left = { kind: 'binary', at: left.at, op, left, right: this.binary(level + 1) };
    }
  }

  unary(): Expr {
    this.skip();
    const at = this.pos;
    if (this.eat('!')) return { kind: 'unary', at, op: '!', operand: this.unary() };
    if (this.peek('-') && !/[0-9]/.test(this.text[this.pos + 1] ?? '')) {
      this.pos++;
      return { kind: 'unary', at, op: '-', operand: this.unary() };
    }
    return this.postfix(this.primary());
  }

  postfix(e: Expr): Expr {
    for (;;) {
      this.skip();
      if (this.text[this.pos] === '.' && this.pos < this.end) {
        this.pos++;
        if (this.eat('*')) {
          e = { kind: 'splat', at: e.at, of: e, then: this.splatSteps() };
          continue;
        }
        this.skip();
        const num = /^[0-9]+/.exec(this.text.slice(this.pos, this.end));
        if (num) {
          this.pos += num[0].length;
          e = { kind: 'index', at: e.at, of: e, index: { kind: 'literal', at: this.pos, value: Number(num[0]) } };
          continue;
        }
        const name = this.ident() ?? this.fail('expected an attribute name after .');
        e = { kind: 'attr', at: e.at, of: e, name };
      } else if (this.text[this.pos] === '[' && this.pos < this.end) {
        this.pos++;
        if (this.eat('*')) {
          this.expect(']', 'closing the splat [*]');
          e = { kind: 'splat', at: e.at, of: e, then: this.splatSteps() };
          continue;
        }
        const index = this.expression();
        this.expect(']', 'closing the index');
        e = { kind: 'index', at: e.at, of: e, index };
      } else return e;
    }
  }

  /** The attribute names and indexes after a splat, applied to each element. */
  splatSteps(): (string | Expr)[] {
    const then: (string | Expr)[] = [];
    for (;;) {
      if (this.peek('.') && !this.text.startsWith('...', this.pos)) {
        this.pos++;
        then.push(this.ident() ?? this.fail('expected an attribute name after .'));
      } else if (this.peek('[')) {
        this.pos++;
        then.push(this.expression());
        this.expect(']', 'closing the index');
      } else return then;
    }
  }

  primary(): Expr {
    this.skip();
    const at = this.pos;
    const t = this.text;
    const c = t[this.pos];
    if (this.pos >= this.end) this.fail('expected an expression, found the end of it');
    if (c === '(') {
      this.pos++;
      const e = this.expression();
      this.expect(')', 'closing the parenthesis');
      return e;
    }
    if (c === '"') return this.quoted();
    if (c === '<' && t[this.pos + 1] === '<') return this.heredoc();
    const num = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(t.slice(this.pos, this.end)) ?? (c === '-' ? /^-[0-9]+(\.[0-9]+)?/.exec(t.slice(this.pos, this.end)) : null);
    if (num) {
      this.pos += num[0].length;
      return { kind: 'literal', at, value: Number(num[0]) };
    }
    if (c === '[') {
      this.pos++;
      if (this.peekKeyword('for')) return this.forExpr(at, false);
      const items: Expr[] = [];
      while (!this.eat(']')) {
        items.push(this.expression());
        if (!this.eat(',') && !this.peek(']')) this.fail('expected , or ] in the list');
      }
      return { kind: 'tuple', at, items };
    }
    if (c === '{') {
      this.pos++;
      if (this.peekKeyword('for')) return this.forExpr(at, true);
      const entries: [Expr, Expr][] = [];
      while (!this.eat('}')) {
        this.skip();
        const kat = this.pos;
        const bare = /^[A-Za-z_][A-Za-z0-9_-]*\s*[=:]/.test(t.slice(this.pos, this.end)) && !/^[A-Za-z_][A-Za-z0-9_-]*\s*==/.test(t.slice(this.pos, this.end));
        const key: Expr = bare ? { kind: 'literal', at: kat, value: this.ident() as string } : this.expression();
        if (!this.eat('=') && !this.eat(':')) this.fail('expected = or : after the object key');
        entries.push([key, this.expression()]);
        this.eat(',');
      }
      return { kind: 'object', at, entries };
    }
    const name = this.ident();
    if (name === undefined) this.fail(`unexpected ${JSON.stringify(t.slice(this.pos, this.pos + 1))} in the expression`);
    if (name === 'true' || name === 'false') return { kind: 'literal', at, value: name === 'true' };
    if (name === 'null') return { kind: 'literal', at, value: null };
    if (this.peek('(')) {
      this.pos++;
      const args: Expr[] = [];
      let expand = false;
      while (!this.eat(')')) {
        args.push(this.expression());
        if (this.eat('...')) expand = true;
        if (!this.eat(',') && !this.peek(')')) this.fail(`expected , or ) in the arguments of ${name}()`);
      }
      return { kind: 'call', at, name, args, expand };
    }
    return { kind: 'name', at, name };
  }

  peekKeyword(k: string): boolean {
    this.skip();
    return new RegExp(`^${k}\\b`).test(this.text.slice(this.pos, this.end));
  }

  forExpr(at: number, object: boolean): Expr {
    this.ident();
    const first = this.ident() ?? this.fail('expected a variable name after for');
    const second = this.eat(',') ? (this.ident() ?? this.fail('expected a second variable name')) : undefined;
    if (this.ident() !== 'in') this.fail('expected in after the for variables');
    const coll = this.expression();
    this.expect(':', 'after the collection of the for expression');
    const e1 = this.expression();
    let keyExpr: Expr | undefined;
    let valueExpr = e1;
    if (object) {
      this.expect('=>', 'between the key and value of the for expression');
      keyExpr = e1;
      valueExpr = this.expression();
      this.eat('...');
    }
    const cond = this.peekKeyword('if') ? (this.ident(), this.expression()) : undefined;
    this.expect(object ? '}' : ']', 'closing the for expression');
    return { kind: 'for', at, ...(second === undefined ? { value: first } : { key: first, value: second }), coll, ...(keyExpr ? { keyExpr } : {}), valueExpr, ...(cond ? { cond } : {}), object };
  }

  /** The template parts between `pos` and the closing `stop` (a quote, or the end for heredocs). */
  templateParts(stop: (p: number) => boolean, escapes: boolean): (string | Expr)[] {
    const t = this.text;
    const parts: (string | Expr)[] = [];
    let lit = '';
    while (!stop(this.pos)) {
      if (this.pos >= this.end) this.fail('unterminated string');
      const c = t[this.pos] as string;
      if (escapes && c === '\\') {
        const n = t[this.pos + 1] ?? '';
        const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };
        if (n === 'u') {
          lit += String.fromCharCode(parseInt(t.slice(this.pos + 2, this.pos + 6), 16));
          this.pos += 6;
        } else {
          lit += map[n] ?? n;
          this.pos += 2;
        }
      } else if ((c === '$' || c === '%') && t[this.pos + 1] === c && t[this.pos + 2] === '{') {
        lit += `${c}{`;
        this.pos += 3;
      } else if (c === '$' && t[this.pos + 1] === '{') {
        this.pos += 2;
        if (lit) parts.push(lit);
        lit = '';
        this.eat('~');
        const e = this.expression();
        this.eat('~');
        this.expect('}', 'closing the ${...} interpolation');
        parts.push(e);
      } else if (c === '%' && t[this.pos + 1] === '{') {
        this.fail('template directives (%{if}, %{for}) are not supported by vgw import; use a conditional or a for expression');
      } else {
        lit += c;
        this.pos++;
      }
    }
    if (lit) parts.push(lit);
    return parts;
  }

  quoted(): Expr {
    const at = this.pos++;
    const parts = this.templateParts((p) => this.text[p] === '"', true);
    this.pos++;
    return parts.length === 0 ? { kind: 'literal', at, value: '' } : parts.length === 1 && typeof parts[0] === 'string' ? { kind: 'literal', at, value: parts[0] } : { kind: 'template', at, parts };
  }

  heredoc(): Expr {
    const at = this.pos;
    const m = /^<<(-?)([A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?\n/.exec(this.text.slice(this.pos, this.end)) ?? this.fail('expected a heredoc marker after <<');
    this.pos += m[0].length;
    const rest = this.text.slice(this.pos, this.end);
    const close = new RegExp(`^[ \\t]*${m[2] as string}[ \\t]*\\r?$`, 'm').exec(rest) ?? this.fail(`the heredoc ${m[2] as string} is never closed`);
    const bodyEnd = this.pos + close.index;
    const parts = this.templateParts((p) => p >= bodyEnd, false);
    this.pos = bodyEnd + close[0].length;
    let out = parts;
    if (m[1] === '-') {
      const lines = parts.filter((p): p is string => typeof p === 'string').join('').split('\n').filter((l) => l.trim() !== '');
      const indent = Math.min(...lines.map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0));
      out = parts.map((p) => (typeof p === 'string' ? p.replace(new RegExp(`(^|\\n)[ \\t]{0,${indent}}`, 'g'), '$1') : p));
    }
    return { kind: 'template', at, parts: out };
  }
}

/** The expression in `text` from `start` to `end` (the whole of it must be one expression). */
export function parseExpression(text: string, start: number, end: number): Expr {
  const p = new Parser(text, start, end);
  const e = p.expression();
  p.skip();
  if (p.pos < end) p.fail(`unexpected ${JSON.stringify(text.slice(p.pos, p.pos + 12))} after the expression`);
  return e;
}
