// Bundles every entry point into out/. Run by `npm run build` and on `npm ci` (prepare),
// so `npx fenjie` works straight after installing.
import { existsSync } from 'node:fs';
import { build } from 'esbuild';

// `npm run package` passes --minify: the .vsix is downloaded by every user, often over slow
// government networks; names are kept so that stack traces in bug reports stay readable.
const minify = process.argv.includes('--minify');

const common = {
  bundle: true,
  minify,
  keepNames: minify,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  legalComments: 'none',
  outdir: 'out',
  outExtension: { '.js': '.cjs' },
};

const SERVER_ENTRY = 'server/src/lsp/main.ts';

/**
 * The exporters (docx, exceljs and what they pull in: about half of all the code) are bundles
 * of their own, out/export.cjs and out/xlsx.cjs, loaded only when something is exported: `fenjie check` and the
 * language server's start do not pay for compiling them. The CLI and the server import
 * server/src/export.ts dynamically; in their bundles that import names out/export.cjs.
 */
const APART = { 'export.ts': './export.cjs', 'xlsx.ts': './xlsx.cjs' };
const exportApart = {
  name: 'export-apart',
  setup(b) {
    b.onResolve({ filter: /[\\/](export|xlsx)\.ts$/ }, (args) =>
      args.kind === 'dynamic-import' ? { path: APART[args.path.split(/[\\/]/).pop()], external: true } : undefined,
    );
  },
};

await Promise.all([
  // `supported`: the external import becomes a require, which node loads without scanning the
  // bundle for ES module exports (a third of a second for out/export.cjs).
  build({ ...common, entryPoints: { cli: 'server/src/cli/main.ts' }, plugins: [exportApart], supported: { 'dynamic-import': false } }),
  // Word and HTML in one bundle; Excel (exceljs and its dependencies) in another, loaded by the first.
  build({ ...common, entryPoints: { export: 'server/src/export.ts' }, plugins: [exportApart], supported: { 'dynamic-import': false } }),
  build({ ...common, entryPoints: { xlsx: 'server/src/engine/export/xlsx.ts' } }),
  // `vscode` exists only inside the extension host, which provides it at run time.
  build({ ...common, entryPoints: { extension: 'client/src/extension.ts' }, external: ['vscode'] }),
  // The language server is written separately; until its entry exists the other bundles must still build.
  existsSync(SERVER_ENTRY)
    ? build({ ...common, entryPoints: { server: SERVER_ENTRY }, plugins: [exportApart], supported: { 'dynamic-import': false } })
    : Promise.resolve(console.warn(`esbuild.mjs: ${SERVER_ENTRY} does not exist yet; out/server.cjs was not built.`)),
]);
