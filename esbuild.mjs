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
 * The exporters (docx, exceljs and what they pull in: about half of all the code) are a bundle
 * of their own, out/export.cjs, loaded only when something is exported: `fenjie check` and the
 * language server's start do not pay for compiling them. The CLI and the server import
 * server/src/export.ts dynamically; in their bundles that import names out/export.cjs.
 */
const exportApart = {
  name: 'export-apart',
  setup(b) {
    b.onResolve({ filter: /[\\/]export\.ts$/ }, (args) => (args.kind === 'dynamic-import' ? { path: './export.cjs', external: true } : undefined));
  },
};

await Promise.all([
  build({ ...common, entryPoints: { cli: 'server/src/cli/main.ts' }, plugins: [exportApart] }),
  build({ ...common, entryPoints: { export: 'server/src/export.ts' } }),
  // `vscode` exists only inside the extension host, which provides it at run time.
  build({ ...common, entryPoints: { extension: 'client/src/extension.ts' }, external: ['vscode'] }),
  // The language server is written separately; until its entry exists the other bundles must still build.
  existsSync(SERVER_ENTRY)
    ? build({ ...common, entryPoints: { server: SERVER_ENTRY }, plugins: [exportApart] })
    : Promise.resolve(console.warn(`esbuild.mjs: ${SERVER_ENTRY} does not exist yet; out/server.cjs was not built.`)),
]);
