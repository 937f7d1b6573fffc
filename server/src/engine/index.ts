/**
 * The fenjie dialect engine: parse → model → rules. It knows nothing of LSP or VS Code
 * and reads no file by itself; callers hand it text and an EngineHost.
 */
export * from './types.ts';
export { analyze, checkModel, runRules, directorySearchPath, loadDirectory, directoryDiagnostics, MAX_DOCUMENT_LENGTH } from './analyze.ts';
export type { Analysis, AnalyzeOptions, EngineHost, DirectoryFindings } from './analyze.ts';
export { buildModel } from './model.ts';
export { walkTree, PieceCache } from './segment.ts';
export type { DocumentModel, Task, Breakdown, Category, UnitRef, FieldOccurrence, Deadline } from './model.ts';
export { Directory, DIRECTORY_FILE, DOCUMENT_SUFFIX } from './directory.ts';
export type { DirectoryUnit, DirectoryCollective, DirectoryHit } from './directory.ts';
export { linkModel } from './link.ts';
export { RULES, CODES, OTHER_CODES, SEVERITY_ZH, levelsZh, codeInfo, ruleAnchor, RULE_DOCS } from './rules/index.ts';
export type { CodeInfo, Rule, RuleContext, RuleExample } from './rules/index.ts';
export { LineIndex, applyEdits, applySpans } from './text.ts';
export { FIELD_LABEL, FIELD_NAMES, FIELD_ORDER } from './fields.ts';
export { parseDeadline, suggestDeadline, ACCEPTED_DEADLINE_FORMS, DEADLINE_EXAMPLES, cnDate } from './deadline.ts';
export { META_KEYS } from './frontmatter.ts';
export { toJson } from './json.ts';
export { documentView, columnsOf, hasNotice, unitSections } from './table.ts';
export type { DocumentView, Table, Row, Cell, Column, ColumnKey, BodyBlock, NoticeParts, UnitSection, UnitTask } from './table.ts';
export { applyChecked, checkEdits, composeRounds, fixAll, fixIntent, fixSpans } from './fix.ts';
export type { CheckedApply, EditSpan, EditIntent, EditCheck, FixChange, RefusedFix, FixAllResult, FixAllOptions } from './fix.ts';
