/**
 * A lab's lesson (its README.md) as DOM: the Markdown the labs use (headings, paragraphs,
 * lists, fenced code, tables kept as text, `code`, **bold**, *emphasis*). Text stays text:
 * nothing of the file becomes HTML markup.
 */
import { h } from './dom.js';

/** Inline Markdown: `code`, **bold**, *emphasis*; the rest as text. */
export function inline(text: string): (Node | string)[] {
  const out: (Node | string)[] = [];
  const re = /`([^`]+)`|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*/g;
  let at = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > at) out.push(text.slice(at, m.index));
    out.push(m[1] !== undefined ? h('code', {}, m[1]) : m[2] !== undefined ? h('strong', {}, m[2]) : h('em', {}, m[3]!));
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

export function lesson(markdown: string): HTMLElement {
  const box = h('div', { class: 'lesson' });
  const lines = markdown.replace(/\r\n/g, '\n').split('\n');
  for (let i = 0; i < lines.length;) {
    const line = lines[i]!;
    if (line.trim() === '') {
      i++;
      continue;
    }
    if (line.startsWith('```')) {
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.startsWith('```'); i++) code.push(lines[i]!);
      i++;
      box.append(h('pre', {}, h('code', {}, code.join('\n'))));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      box.append(h(heading[1]!.length <= 1 ? 'h3' : 'h4', {}, ...inline(heading[2]!)));
      i++;
      continue;
    }
    // A block: the lines up to the next blank line, fence or heading.
    const block: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '' && !lines[i]!.startsWith('```') && !/^#{1,6}\s/.test(lines[i]!)) block.push(lines[i++]!);
    if (block.every((l) => l.trimStart().startsWith('|'))) {
      box.append(h('pre', { class: 'table' }, block.join('\n')));
    } else if (/^\s*([-*]|\d+\.)\s/.test(block[0]!)) {
      const items: string[] = [];
      for (const l of block) {
        if (/^\s*([-*]|\d+\.)\s/.test(l)) items.push(l.replace(/^\s*([-*]|\d+\.)\s+/, ''));
        else items[items.length - 1] += ` ${l.trim()}`;
      }
      box.append(h(/^\s*\d/.test(block[0]!) ? 'ol' : 'ul', {}, ...items.map((t) => h('li', {}, ...inline(t)))));
    } else {
      box.append(h('p', {}, ...inline(block.map((l) => l.trim()).join(' '))));
    }
  }
  return box;
}
