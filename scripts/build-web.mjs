// Builds the web app into dist/web/ (npm run build:web, after `tsc -p tsconfig.web.json`
// checked its types): web/main.ts and the sim/ core it reaches through sim/web/index.ts
// bundled by esbuild for the browser into app.js (and the chunks it loads later), beside index.html, style.css, the
// example scenarios and labs as data (examples.json, labs.json) and scenario.schema.json.
// A bundle that would import a Node.js module (node:..., or a builtin by its bare name
// that no package's "browser" field maps away) is refused: the build fails naming it and
// the file that imports it. Usage: node scripts/build-web.mjs [OUT_DIR [ENTRY]] (ENTRY:
// web/main.ts unless a test gives another)
import { builtinModules } from 'node:module';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(process.argv[2] ?? join(root, 'dist', 'web'));
const entry = resolve(process.argv[3] ?? join(root, 'web', 'main.ts'));
const builtins = new Set(builtinModules);

/** esbuild plugin: any import of a Node.js builtin fails the build, with the importer's name. */
const noNode = {
  name: 'no-node-builtins',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      const bare = args.path.startsWith('node:') ? args.path.slice(5) : args.path;
      if (!args.path.startsWith('node:') && !builtins.has(bare.split('/')[0])) return undefined;
      // A bare builtin name imported by a package is left to esbuild, which applies the
      // package's "browser" field (node-forge maps crypto to false) and fails on one no field maps.
      if (!args.path.startsWith('node:') && args.importer.includes('node_modules')) return undefined;
      return { errors: [{ text: `${args.path} is a Node.js module: the browser bundle cannot import it (imported by ${args.importer.replace(root + '/', '')})` }] };
    });
  },
};

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: [entry],
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: ['es2022'],
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  metafile: true,
  // app.js, and chunks it loads later (the editor) beside it.
  splitting: true,
  outdir: out,
  entryNames: 'app',
  chunkNames: '[name]-[hash]',
  plugins: [noNode],
  logLevel: 'warning',
});
// What esbuild could not map away would show as an input named after a builtin: refuse it too.
const nodeInputs = Object.keys(result.metafile.inputs).filter((p) => p.startsWith('node:') || builtins.has(p));
if (nodeInputs.length > 0) {
  console.error(`build-web: the bundle would import Node.js modules: ${nodeInputs.join(', ')}`);
  process.exit(1);
}

/** The JS files of the bundle: app.js and what it imports statically (loaded before the first result), and the rest (loaded later). */
const outputs = result.metafile.outputs;
const named = (p) => p.split('/').pop();
const appOut = Object.keys(outputs).find((p) => named(p) === 'app.js');
const first = new Set([appOut]);
for (const p of first) for (const i of outputs[p].imports) if (i.kind === 'import-statement') first.add(i.path);
const later = Object.keys(outputs).filter((p) => p.endsWith('.js') && !first.has(p));
// index.html asks for app.js's static chunks at once (modulepreload) instead of after app.js.
const preloads = [...first].filter((p) => p !== appOut).map((p) => `<link rel="modulepreload" href="${named(p)}">`).join('\n');
const html = readFileSync(join(root, 'web', 'index.html'), 'utf8');
const script = '<script type="module" src="app.js"></script>';
if (!html.includes(script)) throw new Error(`web/index.html lost its ${script}`);
writeFileSync(join(out, 'index.html'), html.replace(script, `${preloads}\n${script}`));
copyFileSync(join(root, 'web', 'style.css'), join(out, 'style.css'));
copyFileSync(join(root, 'scenarios', 'scenario.schema.json'), join(out, 'scenario.schema.json'));

/** The example scenarios: every scenarios/*.yaml, by file name, with its text. */
const scenariosDir = join(root, 'scenarios');
const examples = readdirSync(scenariosDir)
  .filter((f) => f.endsWith('.yaml') && statSync(join(scenariosDir, f)).isFile())
  .sort()
  .map((file) => ({ file, text: readFileSync(join(scenariosDir, file), 'utf8') }));
writeFileSync(join(out, 'examples.json'), JSON.stringify(examples));

/**
 * The labs: scenarios/labs/NN-topic/ with the lesson (README.md) and the learner's lab.yaml
 * (never the solution: of it only the addresses and prefixes it writes, which shape a seeded
 * variant as they do for vgw lab start --variant).
 */
const labsDir = join(scenariosDir, 'labs');
const labs = existsSync(labsDir)
  ? readdirSync(labsDir)
      .filter((d) => /^\d\d-/.test(d) && existsSync(join(labsDir, d, 'lab.yaml')))
      .sort()
      .map((dir) => {
        const readme = existsSync(join(labsDir, dir, 'README.md')) ? readFileSync(join(labsDir, dir, 'README.md'), 'utf8') : '';
        const title = /^#\s+(.+)$/m.exec(readme)?.[1]?.trim() ?? dir;
        const solution = existsSync(join(labsDir, dir, 'solution.yaml')) ? readFileSync(join(labsDir, dir, 'solution.yaml'), 'utf8') : '';
        const solutionAddresses = solution.match(/(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?(?![\d.])/g) ?? [];
        return { id: dir.slice(0, 2), dir, title, readme, lab: readFileSync(join(labsDir, dir, 'lab.yaml'), 'utf8'), solutionAddresses };
      })
  : [];
writeFileSync(join(out, 'labs.json'), JSON.stringify(labs));

const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
const files = readdirSync(out);
const raw = files.reduce((n, f) => n + statSync(join(out, f)).size, 0);
const gz = files.reduce((n, f) => n + gzipSync(readFileSync(join(out, f)), { level: 9 }).length, 0);
const gzOf = (paths) => paths.reduce((n, p) => n + gzipSync(readFileSync(resolve(root, p)), { level: 9 }).length, 0);
console.log(`build-web: ${out}: ${files.length} files, ${kib(raw)} (${kib(gz)} gzip); JS before the first result ${kib(gzOf([...first]))} gzip, after it (the editor) ${kib(gzOf(later))} gzip; ${examples.length} examples, ${labs.length} labs`);
