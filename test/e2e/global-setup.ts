/**
 * Vitest global setup for the end-to-end tests: build dist/ once (`npx tsc -p .`, cheap
 * thanks to incremental builds) before any test spawns the CLI. `npm test` builds in its
 * pretest step already; `npx vitest run` alone does not. Each e2e file also calls
 * `ensureBuilt()` in beforeAll, which rebuilds only when a source is newer than dist/.
 * Enabled by `globalSetup: ['test/e2e/global-setup.ts']` in vitest.config.ts.
 */
import { build } from '../support/run-cli.js';

export default function setup(): void {
  build();
}
