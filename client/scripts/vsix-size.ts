/** Last step of `npm run package`: the size of the package just built, since it is what users download. */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const file = `${pkg.name}-${pkg.version}.vsix`;
const bytes = fs.statSync(path.join(ROOT, file)).size;
console.log(`${file}: ${(bytes / 1024).toFixed(1)} KiB (${bytes} bytes)`);
