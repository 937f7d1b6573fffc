#!/usr/bin/env node
// The `fenjie` command: a thin launcher for the bundled CLI built by esbuild.mjs.
const path = require('node:path');
const fs = require('node:fs');
const bundle = path.join(__dirname, '..', '..', 'out', 'cli.cjs');
if (!fs.existsSync(bundle)) {
  process.stderr.write('fenjie：尚未构建。请先在项目目录运行 npm ci（或 npm run build）。\n');
  process.exit(2);
}
require(bundle).main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
