// Writes scenarios/scenario.schema.json from the scenario schema DSL (sim/scenario/schema/declarations.ts).
// Run after `npm run build`: node scripts/emit-schema.mjs
// The output is stable (same DSL → same bytes): 2-space JSON with a trailing newline;
// test/scenario/schema.test.ts fails when the committed file is out of date.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { scenarioJsonSchema } = await import(pathToFileURL(join(root, 'dist/sim/scenario/schema/index.js')).href);
const out = join(root, 'scenarios/scenario.schema.json');
writeFileSync(out, JSON.stringify(scenarioJsonSchema(), null, 2) + '\n');
process.stdout.write(`wrote ${out}\n`);
