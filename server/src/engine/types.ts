/**
 * Shared shapes of the dialect engine. Positions count as LSP does: 0-based lines and
 * UTF-16 code units, so the editor can use them as they are.
 */

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A replacement of the text between two offsets of the document. */
export interface TextEdit {
  range: Range;
  newText: string;
}

export interface Fix {
  /** Chinese title shown in the editor's quick-fix menu. */
  title: string;
  edits: TextEdit[];
  /** Safe to apply without asking (used by `fenjie check --fix` and "fix all"). */
  preferred?: boolean;
}

export type Severity = 'error' | 'warning' | 'information';

export const DIAGNOSTIC_CODES = [
  'missing-lead',
  'missing-deadline',
  'missing-field',
  'unknown-unit',
  'collective-lead',
  'lead-also-responsible',
  'bad-deadline',
  'deadline-before-issue',
  'deadline-outside-year',
  'numbering',
  'duplicate-task',
  'halfwidth-punctuation',
  'duplicate-field',
  'front-matter',
  'directory',
  'document',
] as const;

export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];

export interface RelatedInfo {
  /** Absent: the same document. */
  file?: string;
  range: Range;
  message: string;
}

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  range: Range;
  /** Edits that resolve the finding, best first. */
  fixes?: Fix[];
  related?: RelatedInfo[];
  /** Extra facts for editor features (e.g. the unknown name and its suggestions). */
  data?: Record<string, unknown>;
}

export const FIELD_KEYS = ['lead', 'responsible', 'cooperating', 'deadline', 'note'] as const;
export type FieldKey = (typeof FIELD_KEYS)[number];
