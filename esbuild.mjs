// Bundles every entry point into out/. Run by `npm run build` and on `npm ci` (prepare),
// so `npx fenjie` works straight after installing.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  legalComments: 'none',
};

await build({ ...common, entryPoints: { cli: 'server/src/cli/main.ts' }, outdir: 'out', outExtension: { '.js': '.cjs' } });
