import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EngineHost } from '../engine/index.ts';
import { DOCUMENT_SUFFIX } from '../engine/index.ts';
import { findDocuments } from '../documents.ts';
import { describeError, FileProblem, MAX_DOCUMENT_BYTES, readDirectoryFile, readText, writeBack, writeFileAtomic as writeAtomic, type ReadResult, type WriteBackResult } from '../host/files.ts';

/** A failure the user can act on, shown as one line without a stack trace. */
export class UserError extends Error {}

function user(e: unknown, file: string): UserError {
  return new UserError(describeError(e, file).message);
}

/** Reads a document for checking, with its stamp for a write-back; every failure becomes a UserError with a Chinese message. */
export function readDocumentStamped(file: string): ReadResult {
  try {
    return readText(file, MAX_DOCUMENT_BYTES);
  } catch (e) {
    throw user(e, file);
  }
}

/** Reads a document; every failure becomes a UserError with a Chinese message. */
export function readDocument(file: string): string {
  return readDocumentStamped(file).text;
}

/** Writes a fixed document back (see host/files.ts writeBack); a failure is a UserError saying what was not written. */
export function writeDocument(file: string, text: string, read: ReadResult): WriteBackResult {
  try {
    return writeBack(file, text, read.stamp);
  } catch (e) {
    if (e instanceof FileProblem) throw new UserError(e.message);
    throw e;
  }
}

/** The host the engine reads 单位名录 files through. */
export const nodeHost: EngineHost = {
  readFile: (file) => readDirectoryFile(file),
  isBoundary(dir) {
    // The search stops at a project's top folder, as the editor's stops at the workspace.
    return fs.existsSync(path.join(dir, '.git')) || fs.existsSync(path.join(dir, '.vscode'));
  },
};

/**
 * Expands folders into the `*.fj.md` files below them, sorted; files are kept as given.
 * A file reached twice (given twice, or through a link) is listed once.
 */
export function collectDocuments(inputs: string[]): { files: string[]; problems: string[] } {
  const files: string[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const input of inputs) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch (e) {
      problems.push(describeError(e, input).message);
      continue;
    }
    if (!stat.isDirectory()) {
      let real: string;
      try {
        real = fs.realpathSync.native(input);
      } catch {
        real = path.resolve(input);
      }
      if (seen.has(real)) continue;
      seen.add(real);
      files.push(input);
      continue;
    }
    const found = findDocuments(input, { seen, onError: (e, dir) => problems.push(describeError(e, dir).message) });
    if (found.length === 0) problems.push(`${input}：文件夹中没有 ${DOCUMENT_SUFFIX} 文档。`);
    files.push(...found.sort());
  }
  return { files, problems };
}

/**
 * Writes a file atomically (a temporary file beside it, then a rename), so a failure
 * leaves the old file whole. Refuses to write over `protect` (the source document).
 */
export function writeFileAtomic(target: string, data: string | Uint8Array, protect?: string): void {
  // A document's name in any case (通知.FJ.MD is the same file on Windows and macOS) is never an output.
  if (protect && (samePath(target, protect) || /\.fj\.md$/i.test(target))) {
    throw new UserError(`${target}：输出文件与源文档是同一个文件（或是一个 .fj.md 文档），fenjie 不会覆盖文档。请用 -o 指定其他文件名。`);
  }
  const dir = path.dirname(path.resolve(target));
  if (!fs.existsSync(dir)) throw new UserError(`${target}：所在的文件夹不存在。`);
  try {
    const stat = fs.statSync(target);
    if (stat.isDirectory()) throw new UserError(`${target}：这是文件夹，请指定文件名。`);
    // Marked read-only by its owner: not replaced, even where the folder would allow it.
    if ((stat.mode & 0o222) === 0) throw new UserError(`${target}：文件是只读的，fenjie 不会改动它。请去掉只读属性${protect ? '，或用 -o 另选文件名' : ''}。`);
  } catch (e) {
    if (e instanceof UserError) throw e;
  }
  try {
    writeAtomic(target, data);
  } catch (e) {
    if (e instanceof FileProblem) throw new UserError(e.message);
    throw e;
  }
}

/** Whether two paths name the same file, following links (a file that does not exist yet is compared by its resolved path). */
export function samePath(a: string, b: string): boolean {
  const real = (p: string): string => {
    try {
      return fs.realpathSync.native(p);
    } catch {
      try {
        return path.join(fs.realpathSync.native(path.dirname(path.resolve(p))), path.basename(p));
      } catch {
        return path.resolve(p);
      }
    }
  };
  return real(a) === real(b);
}
