import type { Directory } from '../directory.ts';
import type { DocumentModel } from '../model.ts';
import type { Diagnostic, DiagnosticCode, Fix, Severity } from '../types.ts';

/** What every rule is handed: the model parsed once, and a way to report. */
export interface RuleContext {
  model: DocumentModel;
  directory: Directory | undefined;
  /** Path of the directory as the user should see it in messages. */
  directoryLabel: string | undefined;
  report(d: Omit<Diagnostic, 'range' | 'severity'> & { start: number; end: number; severity?: Severity }): void;
  /** An edit replacing start..end with text. */
  edit(start: number, end: number, newText: string): Fix['edits'][number];
}

/** One example document of a rule: it becomes a test and a line of the rule's docs. */
export interface RuleExample {
  /** A whole document (front matter included when the rule needs one). */
  text: string;
  /** For a `notOk` example of a rule with a safe fix: the text after `fenjie check --fix`. */
  fixed?: string;
}

/**
 * A rule is a unit: one file under engine/rules/, listed in the registry. Its examples are
 * its tests (an `ok` example gives no finding of this code, a `notOk` one at least one),
 * and its metadata makes the rule table of docs/dialect.md and `fenjie rules`.
 */
export interface Rule {
  code: DiagnosticCode;
  /** The default severity. */
  severity: Severity;
  /** One line, Chinese: when the finding appears. */
  description: string;
  /** `safe`: `--fix` and 修正所有 apply it; `offered`: only as a quick fix; `none`. */
  fix: 'safe' | 'offered' | 'none';
  /** False for findings a user cannot turn off (a file that cannot be read). Default true. */
  canDisable?: boolean;
  examples: { ok: RuleExample[]; notOk: RuleExample[] };
  check(ctx: RuleContext): void;
}
