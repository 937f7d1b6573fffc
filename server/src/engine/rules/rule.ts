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
  /** The 单位名录.yaml beside the document, for the rules that need one. */
  directory?: string;
}

/**
 * What a user can know of a code, whether a rule gives it or another part of the engine
 * (front matter, 单位名录, the document as a whole): `fenjie rules`, the rule table of
 * docs/dialect.md and the link of every diagnostic to its section there come from it.
 */
export interface CodeInfo {
  code: DiagnosticCode;
  /** The default severity. */
  severity: Severity;
  /** Other severities some of its findings take (front-matter: an unknown key is a warning). */
  alsoSeverity?: Severity[];
  /** One line, Chinese: when the finding appears. */
  description: string;
  /** `safe`: `--fix` and 修正所有 apply it; `offered`: only as a quick fix; `none`. */
  fix: 'safe' | 'offered' | 'none';
  /** Chinese, a few words: what the fix does or when there is one (the docs' table). */
  fixNote?: string;
  /**
   * Its fix may turn text into a field (`牵头单位:` → `牵头单位：`): the re-parse check of
   * fix.ts then lets fields appear, and still refuses a lost task.
   */
  fixMakesFields?: boolean;
  /** False for findings a user cannot turn off (a file that cannot be read). Default true. */
  canDisable?: boolean;
}

/**
 * A rule is a unit: one file under engine/rules/, listed in the registry. Its examples are
 * its tests (an `ok` example gives no finding of this code, a `notOk` one at least one),
 * and its metadata makes the rule table of docs/dialect.md and `fenjie rules`.
 */
export interface Rule extends CodeInfo {
  examples: { ok: RuleExample[]; notOk: RuleExample[] };
  check(ctx: RuleContext): void;
}
