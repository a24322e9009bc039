/**
 * Test support for the tests of `vgw tui/explain/lab/diagram`: the same runner as
 * run-cli.ts (one build per test process, colours off), under the short name `vgw`.
 */
import { ensureBuilt, runCli } from './run-cli.js';
import type { CliResult } from './run-cli.js';

export { ROOT, CLI, ensureBuilt } from './run-cli.js';
export type { CliResult } from './run-cli.js';

/** `node dist/cli/main.js ...args`, colours off. */
export function vgw(args: readonly string[], opts: { cwd?: string; env?: Record<string, string> } = {}): CliResult {
  ensureBuilt();
  return runCli(args, opts);
}
