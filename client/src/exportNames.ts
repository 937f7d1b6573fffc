/**
 * The export's pure parts: the file name offered, the temporary file's name, and which
 * targets are refused. No `vscode` here, so that tests can run it.
 */
import * as path from 'node:path';
import type { ExportFormat } from '../../server/src/protocol.ts';

export const EXPORT_EXTENSIONS: Readonly<Record<ExportFormat, string>> = { html: 'html', docx: 'docx', xlsx: 'xlsx' };

/** Added to the name of a 按单位 export: 通知.fj.md → 通知-按单位.docx. */
export const BY_UNIT_SUFFIX = '-按单位';

/** Used when the document's name leaves nothing (a file named just `.fj.md`). */
const FALLBACK_STEM = '任务分解表';

/**
 * The file name the save dialog offers: the document's name without `.fj.md` (or `.md`, or
 * its last extension), `-按单位` for the by-unit view, and the format's extension.
 * Characters that Windows refuses in file names become `_`.
 */
export function defaultExportName(sourceName: string, format: ExportFormat, byUnit: boolean): string {
  let stem = sourceName.replace(/\.fj\.md$/i, '');
  if (stem === sourceName) stem = sourceName.replace(/\.md$/i, '');
  if (stem === sourceName) stem = sourceName.replace(/(?<=.)\.[^.]*$/, '');
  stem = stem.replace(/[<>:"/\\|?*\u0000-\u001f]/g, '_').replace(/[. ]+$/, '');
  if (stem === '') stem = FALLBACK_STEM;
  return `${stem}${byUnit ? BY_UNIT_SUFFIX : ''}.${EXPORT_EXTENSIONS[format]}`;
}

/**
 * The temporary file written beside the target and then renamed over it: hidden (leading
 * dot), named after the target so that a leftover is recognisable, and unique by `random`.
 */
export function tempFileName(targetName: string, random: string): string {
  return `.${targetName}.${random}.tmp`;
}

export interface PathOptions {
  /** `process.platform`: decides the path syntax and whether case matters. */
  platform: NodeJS.Platform;
  /** The file's real path (symbolic links resolved), or undefined when it does not exist. */
  realpath: (file: string) => string | undefined;
}

/**
 * Why a target is refused, or undefined when it may be written: it is a fenjie source file
 * (by its name), or the same file as one of `protectedFiles` (the document being exported
 * and every open fenjie document). Files are the same when their normalised absolute paths
 * are, or, when both exist, their real paths; case is ignored on Windows and macOS, whose
 * file systems ignore it by default.
 */
export function refusedTarget(target: string, protectedFiles: readonly string[], options: PathOptions): 'source' | undefined {
  const p = options.platform === 'win32' ? path.win32 : path.posix;
  if (/\.fj\.md$/i.test(p.basename(target))) return 'source';
  const fold = options.platform === 'win32' || options.platform === 'darwin' ? (s: string) => s.toLowerCase() : (s: string) => s;
  const key = (file: string): string => fold(p.resolve(p.normalize(file)));
  const targetKey = key(target);
  const targetReal = options.realpath(target);
  for (const file of protectedFiles) {
    if (key(file) === targetKey) return 'source';
    if (targetReal !== undefined) {
      const real = options.realpath(file);
      if (real !== undefined && key(real) === key(targetReal)) return 'source';
    }
  }
  return undefined;
}
