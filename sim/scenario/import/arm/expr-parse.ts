/**
 * The syntax of an ARM template expression: a function call (`name(args)`), a string or a
 * whole number, each followed by any number of property accesses (`.name`) and indexes
 * (`[expr]`). Functions are the only operators; `true`, `false` and `null` are functions
 * too (`true()`). The result is a tree the evaluator walks; every node keeps its offset.
 */
import { ExpressionError, tokenize } from './expr-tokenize.js';
import type { Token } from './expr-tokenize.js';

export type Expr =
  | { readonly kind: 'string'; readonly value: string; readonly at: number }
  | { readonly kind: 'number'; readonly value: number; readonly at: number }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly at: number }
  | { readonly kind: 'property'; readonly target: Expr; readonly name: string; readonly at: number }
  | { readonly kind: 'index'; readonly target: Expr; readonly index: Expr; readonly at: number };

/** Deepest nesting of calls and indexes accepted (a guard against a stack overflow on hostile input). */
const MAX_DEPTH = 100;

class Parser {
  private i = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  private peek(): Token {
    return this.tokens[this.i] as Token;
  }

  private next(): Token {
    return this.tokens[this.i++] as Token;
  }

  private expect(text: string, what: string): Token {
    const t = this.next();
    if (t.kind !== 'punct' || t.text !== text) throw new ExpressionError(`${what} was expected, found ${describe(t)}`, t.at);
    return t;
  }

  expr(depth: number): Expr {
    if (depth > MAX_DEPTH) throw new ExpressionError(`the expression nests deeper than ${MAX_DEPTH} levels`, this.peek().at);
    let e = this.primary(depth);
    for (;;) {
      const t = this.peek();
      if (t.kind === 'punct' && t.text === '.') {
        this.next();
        const n = this.next();
        if (n.kind !== 'name') throw new ExpressionError(`a property name was expected after ".", found ${describe(n)}`, n.at);
        e = { kind: 'property', target: e, name: n.text, at: n.at };
      } else if (t.kind === 'punct' && t.text === '[') {
        this.next();
        const index = this.expr(depth + 1);
        this.expect(']', 'a closing bracket ]');
        e = { kind: 'index', target: e, index, at: t.at };
      } else {
        return e;
      }
    }
  }

  private primary(depth: number): Expr {
    const t = this.next();
    if (t.kind === 'string') return { kind: 'string', value: t.value, at: t.at };
    if (t.kind === 'number') return { kind: 'number', value: t.value, at: t.at };
    if (t.kind !== 'name') throw new ExpressionError(`a function call, a 'string' or a number was expected, found ${describe(t)}`, t.at);
    this.expect('(', `"(" after the function name ${t.text}`);
    const args: Expr[] = [];
    const close = this.peek();
    if (close.kind === 'punct' && close.text === ')') {
      this.next();
    } else {
      for (;;) {
        args.push(this.expr(depth + 1));
        const sep = this.next();
        if (sep.kind === 'punct' && sep.text === ')') break;
        if (sep.kind !== 'punct' || sep.text !== ',') throw new ExpressionError(`"," or ")" was expected in the arguments of ${t.text}, found ${describe(sep)}`, sep.at);
      }
    }
    return { kind: 'call', name: t.text, args, at: t.at };
  }

  end(): void {
    const t = this.peek();
    if (t.kind !== 'end') throw new ExpressionError(`the expression should end here, found ${describe(t)}`, t.at);
  }
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'end':
      return 'the end of the expression';
    case 'name':
      return `"${t.text}"`;
    case 'string':
      return `the string '${t.value}'`;
    case 'number':
      return `the number ${t.value}`;
    default:
      return `"${t.text}"`;
  }
}

/** The tree of expression text `src` (without the enclosing brackets). Throws ExpressionError. */
export function parseExpression(src: string): Expr {
  const p = new Parser(tokenize(src));
  const e = p.expr(0);
  p.end();
  return e;
}

/**
 * What a template string holds: an expression when it is written `[...]`, else a literal
 * (`[[...` is the escape for a literal that starts with a bracket: one bracket is dropped).
 */
export function templateString(s: string): { readonly literal: string } | { readonly expression: string } {
  if (s.startsWith('[[')) return { literal: s.slice(1) };
  if (s.startsWith('[') && s.endsWith(']') && s.length >= 2) return { expression: s.slice(1, -1) };
  return { literal: s };
}
