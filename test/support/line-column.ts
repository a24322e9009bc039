/** Test support: the 1-based `line:column` where `needle` first starts in `text`, as diagnostics print it. */
export function lineColumn(text: string, needle: string): string {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`fixture: "${needle}" not found`);
  const before = text.slice(0, i);
  return `${before.split('\n').length}:${i - before.lastIndexOf('\n')}`;
}
