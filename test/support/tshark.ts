/**
 * Running tshark from tests: whether it is installed (a test that needs it fails, never
 * skips, without it) and `-T fields` output as rows, every occurrence of a field joined
 * with `|`.
 */
import { execFileSync } from 'node:child_process';

export function tsharkOk(): boolean {
  try {
    execFileSync('tshark', ['-v'], { stdio: ['ignore', 'pipe', 'ignore'] });
    return true;
  } catch {
    return false;
  }
}

/** `tshark ARGS -T fields -e F...`: one row per frame, each field's occurrences joined with `|`. */
export function tsharkFields<F extends string>(args: readonly string[], fields: readonly F[], env?: NodeJS.ProcessEnv): Record<F, string>[] {
  const out = execFileSync(
    'tshark',
    [...args, '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=|', ...fields.flatMap((f) => ['-e', f])],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20, ...(env ? { env } : {}) },
  );
  return out
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const cells = l.split('\t');
      return Object.fromEntries(fields.map((f, i) => [f, cells[i] ?? ''])) as Record<F, string>;
    });
}
