import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CODES, RULE_DOCS, ruleAnchor } from '../engine/index.ts';

/**
 * The link of each code to its section of the rule reference shipped with fenjie
 * (docs/dialect.md in the package; the bundles sit in out/ beside docs/), looked for from
 * `from` upward. A file URL with the section's line (`#L574`): VS Code opens the file
 * there. No reference found (a bundle copied elsewhere): no links, and nothing else changes.
 */
export function ruleDocsLinks(from: string): Map<string, string> {
  const links = new Map<string, string>();
  let dir = path.resolve(from);
  for (let up = 0; up < 4; up++, dir = path.dirname(dir)) {
    const file = path.join(dir, RULE_DOCS);
    let text: string;
    try {
      if (!fs.statSync(file).isFile()) continue;
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const lines = text.split(/\r\n|\r|\n/);
    const url = pathToFileURL(file).href;
    for (const c of CODES) {
      const at = lines.indexOf(`### ${ruleAnchor(c.code)}`);
      if (at >= 0) links.set(c.code, `${url}#L${at + 1}`);
    }
    break;
  }
  return links;
}
