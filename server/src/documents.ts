import * as fs from 'node:fs';
import * as path from 'node:path';
import { DOCUMENT_SUFFIX } from './engine/index.ts';

export interface FindOptions {
  max?: number;
  onError?: (error: unknown, dir: string) => void;
  /**
   * Real paths of the files already listed: a file reached twice (through a link, or given
   * twice) is listed once. Shared across calls to find documents under several folders.
   */
  seen?: Set<string>;
}

/**
 * The `*.fj.md` documents below a folder, as the CLI (`fenjie check 文件夹/`) and the
 * language server (its workspace index) both look for them: hidden folders and
 * node_modules are skipped, and the walk stops at `max` documents or 32 levels deep.
 * Links are followed, to files and to folders; a folder already walked (a link back up,
 * or two links to one folder) is not walked again, and a file reached twice is listed once,
 * by the first path found. A link that leads nowhere is skipped.
 */
export function findDocuments(root: string, options: FindOptions = {}): string[] {
  const max = options.max ?? Infinity;
  const out: string[] = [];
  const seenFiles = options.seen ?? new Set<string>();
  const seenDirs = new Set<string>();
  const real = (p: string): string | undefined => {
    try {
      return fs.realpathSync.native(p);
    } catch {
      return undefined;
    }
  };
  const walk = (dir: string, depth: number): void => {
    if (depth > 32 || out.length >= max) return;
    const key = real(dir);
    if (key === undefined || seenDirs.has(key)) return;
    seenDirs.add(key);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      options.onError?.(e, dir);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (out.length >= max) return;
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = path.join(dir, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const st = fs.statSync(p);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue;
        }
      }
      if (isDir) walk(p, depth + 1);
      else if (isFile && e.name.endsWith(DOCUMENT_SUFFIX)) {
        const r = real(p) ?? path.resolve(p);
        if (seenFiles.has(r)) continue;
        seenFiles.add(r);
        out.push(p);
      }
    }
  };
  walk(root, 0);
  return out;
}
