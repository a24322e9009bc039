/**
 * Where each block and attribute of a Terraform file starts. The HCL library that reads the
 * values gives no positions, so this scanner walks the text once more at the level of
 * structure only: a body is attributes (`NAME = expression`) and blocks (`TYPE LABEL... {
 * body }`); expressions are skipped whole (strings with `${...}` templates, heredocs,
 * brackets, comments). Each attribute keeps the offset of its name and of its value text.
 */

export interface HclAttribute {
  readonly name: string;
  readonly offset: number;
  /** The expression's source text, trimmed. */
  readonly source: string;
  readonly valueOffset: number;
}

export interface HclBlock {
  readonly type: string;
  readonly labels: readonly string[];
  readonly offset: number;
  readonly body: HclBody;
}

export interface HclBody {
  readonly attributes: ReadonlyMap<string, HclAttribute>;
  readonly blocks: readonly HclBlock[];
}

const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/y;

/** Where the comment at `pos` of `text` ends (`#` and `//` before the line feed, `/* *\/` after its close; `limit` at most), or undefined when none starts there. */
export function commentEnd(text: string, pos: number, limit: number): number | undefined {
  const c = text[pos];
  if (c === '#' || (c === '/' && text[pos + 1] === '/')) {
    const nl = text.indexOf('\n', pos);
    return nl < 0 || nl > limit ? limit : nl;
  }
  if (c === '/' && text[pos + 1] === '*') {
    const end = text.indexOf('*/', pos + 2);
    return end < 0 || end + 2 > limit ? limit : end + 2;
  }
  return undefined;
}

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  /** Skip spaces, tabs and comments; newlines too when `newlines`. */
  skip(newlines: boolean): void {
    const t = this.text;
    for (;;) {
      const c = t[this.pos];
      if (c === ' ' || c === '\t' || c === '\r' || (newlines && c === '\n')) this.pos++;
      else {
        const end = commentEnd(t, this.pos, t.length);
        if (end === undefined) return;
        this.pos = end;
      }
    }
  }

  ident(): string | undefined {
    IDENT.lastIndex = this.pos;
    const m = IDENT.exec(this.text);
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  /** Skip a quoted string starting at `pos` (templates may nest strings); returns its raw contents. */
  string(): string {
    const t = this.text;
    const start = ++this.pos;
    while (this.pos < t.length && t[this.pos] !== '"') {
      if (t[this.pos] === '\\') this.pos += 2;
      else if ((t[this.pos] === '$' || t[this.pos] === '%') && t[this.pos + 1] === '{') {
        this.pos += 2;
        this.nested('}');
      } else this.pos++;
    }
    const raw = t.slice(start, this.pos);
    this.pos++;
    return raw;
  }

  /** Skip a heredoc starting at `<<`. */
  heredoc(): void {
    const m = /^<<-?([A-Za-z_][A-Za-z0-9_]*)[ \t]*\r?\n/.exec(this.text.slice(this.pos, this.pos + 200));
    if (!m) {
      this.pos += 2;
      return;
    }
    const marker = m[1] as string;
    const re = new RegExp(`^[ \\t]*${marker}[ \\t]*\\r?$`, 'm');
    const rest = this.text.slice(this.pos + m[0].length);
    const end = re.exec(rest);
    this.pos = end ? this.pos + m[0].length + end.index + end[0].length : this.text.length;
  }

  /** Skip one token of an expression: a string, a heredoc, a bracketed group or one character. */
  skipOne(): void {
    const t = this.text;
    const c = t[this.pos];
    if (c === '"') this.string();
    else if (c === '<' && t[this.pos + 1] === '<') this.heredoc();
    else if (c === '(') (this.pos++, this.nested(')'));
    else if (c === '[') (this.pos++, this.nested(']'));
    else if (c === '{') (this.pos++, this.nested('}'));
    else this.pos++;
  }

  /** Skip up to and past the `close` that balances, over strings, heredocs, comments and brackets. */
  nested(close: string): void {
    const t = this.text;
    while (this.pos < t.length) {
      this.skip(true);
      const c = t[this.pos];
      if (c === close) {
        this.pos++;
        return;
      }
      this.skipOne();
    }
  }

  /** Skip an expression up to the end of its line (brackets may span lines). */
  expression(): void {
    const t = this.text;
    while (this.pos < t.length) {
      this.skip(false);
      const c = t[this.pos];
      if (c === '\n' || c === '}' || c === undefined) return;
      this.skipOne();
    }
  }

  body(closing: boolean): HclBody {
    const attributes = new Map<string, HclAttribute>();
    const blocks: HclBlock[] = [];
    const t = this.text;
    while (this.pos < t.length) {
      this.skip(true);
      if (t[this.pos] === '}' && closing) {
        this.pos++;
        break;
      }
      const offset = this.pos;
      const name = this.ident();
      if (name === undefined) {
        // Not a statement: the library reports the syntax error; move on.
        this.pos++;
        continue;
      }
      this.skip(false);
      if (t[this.pos] === '=' && t[this.pos + 1] !== '=') {
        this.pos++;
        this.skip(false);
        const valueOffset = this.pos;
        this.expression();
        if (!attributes.has(name)) attributes.set(name, { name, offset, valueOffset, source: t.slice(valueOffset, this.pos).trim() });
        continue;
      }
      const labels: string[] = [];
      for (;;) {
        this.skip(false);
        if (t[this.pos] === '"') labels.push(this.string());
        else {
          const l = this.ident();
          if (l === undefined) break;
          labels.push(l);
        }
      }
      if (t[this.pos] === '{') {
        this.pos++;
        blocks.push({ type: name, labels, offset, body: this.body(true) });
      }
    }
    return { attributes, blocks };
  }
}

/** The blocks and attributes of an HCL file, with their offsets. */
export function scanHcl(text: string): HclBody {
  return new Scanner(text).body(false);
}
