import * as fs from 'node:fs';
import * as path from 'node:path';
import { DOCUMENT_SUFFIX } from './engine/index.ts';

/**
 * The `*.fj.md` documents below a folder, as the CLI (`fenjie check 文件夹/`) and the
 * language server (its workspace index) both look for them: hidden folders and
 * node_modules are skipped, and the walk stops at `max` documents or 32 levels deep.
 */
export function findDocuments(root: string, options: { max?: number; onError?: (error: unknown, dir: string) => void } = {}): string[] {
  const max = options.max ?? Infinity;
  const out: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 32 || out.length >= max) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      options.onError?.(e, dir);
      return;
    }
    for (const e of entries) {
      if (out.length >= max) return;
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p, depth + 1);
      else if (e.isFile() && e.name.endsWith(DOCUMENT_SUFFIX)) out.push(p);
    }
  };
  walk(root, 0);
  return out;
}
