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

await Promise.all([
  build({ ...common, entryPoints: { cli: 'server/src/cli/main.ts' } }),
  // `vscode` exists only inside the extension host, which provides it at run time.
  build({ ...common, entryPoints: { extension: 'client/src/extension.ts' }, external: ['vscode'] }),
  // The language server is written separately; until its entry exists the other bundles must still build.
  existsSync(SERVER_ENTRY)
    ? build({ ...common, entryPoints: { server: SERVER_ENTRY } })
    : Promise.resolve(console.warn(`esbuild.mjs: ${SERVER_ENTRY} does not exist yet; out/server.cjs was not built.`)),
]);
