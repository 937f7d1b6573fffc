/**
 * The registry: every rule, and every other code a user can see. analyze runs `RULES` in
 * this order; `fenjie rules`, the rule table of docs/dialect.md (`npm run gen:docs`) and
 * the link of each diagnostic to its section come from `CODES`. A new rule is a file beside
 * this one, with its examples, and a line here.
 */
import type { DiagnosticCode } from '../types.ts';
import { halfwidthPunctuation } from '../rules.ts';
import { badDeadline } from './bad-deadline.ts';
import { collectiveLead } from './collective-lead.ts';
import { deadlineBeforeIssue } from './deadline-before-issue.ts';
import { deadlineOutsideYear } from './deadline-outside-year.ts';
import { duplicateField } from './duplicate-field.ts';
import { duplicateTask } from './duplicate-task.ts';
import { leadAlsoResponsible } from './lead-also-responsible.ts';
import { missingDeadline } from './missing-deadline.ts';
import { missingField } from './missing-field.ts';
import { missingLead } from './missing-lead.ts';
import { numbering } from './numbering.ts';
import { unknownUnit } from './unknown-unit.ts';
import type { CodeInfo, Rule } from './rule.ts';

export type { CodeInfo, Rule, RuleContext, RuleExample } from './rule.ts';

export const RULES: readonly Rule[] = [
  missingLead,
  missingDeadline,
  missingField,
  unknownUnit,
  collectiveLead,
  leadAlsoResponsible,
  badDeadline,
  deadlineBeforeIssue,
  deadlineOutsideYear,
  numbering,
  duplicateTask,
  duplicateField,
  halfwidthPunctuation,
];

/** Codes that no rule gives: the front matter's reader, the 单位名录's, and analyze itself. */
export const OTHER_CODES: readonly CodeInfo[] = [
  {
    code: 'front-matter',
    severity: 'error',
    alsoSeverity: ['warning'],
    description: '前置元数据有误（见第二节“前置元数据中的问题”），或单位名录找不到、读不出。不认识的键、自动查找到的单位名录读不出为警告，其余为错误',
    fix: 'offered',
    fixNote: '不认识的键与某个键很接近时，改为那个键',
    // It says what the other checks stand on (必填, 年度, the 单位名录 that could not be read).
    canDisable: false,
  },
  {
    code: 'directory',
    severity: 'error',
    alsoSeverity: ['warning'],
    description: '单位名录文件本身有误（见第八节“单位名录中的问题”），报告在单位名录文件中',
    fix: 'none',
  },
  {
    code: 'document',
    severity: 'error',
    description: '文档超过 200 万个字符，未作检查；或者引用、列表嵌套超过 32 层（见第一节“文件”），无法解析，信息中指明是哪一行',
    fix: 'none',
    canDisable: false,
  },
];

/** The levels as the user reads them (CLI output, `fenjie rules`, the docs' rule table). */
export const SEVERITY_ZH: Record<CodeInfo['severity'], string> = { error: '错误', warning: '警告', information: '提示' };

/** A code's level in Chinese, with the other levels some of its findings take: 错误或警告. */
export function levelsZh(c: CodeInfo): string {
  return [c.severity, ...(c.alsoSeverity ?? [])].map((s) => SEVERITY_ZH[s]).join('或');
}

/** Every code a user can see, rules first. */
export const CODES: readonly CodeInfo[] = [...RULES, ...OTHER_CODES];

const BY_CODE = new Map<string, CodeInfo>(CODES.map((c) => [c.code, c]));

export function codeInfo(code: DiagnosticCode): CodeInfo | undefined {
  return BY_CODE.get(code);
}

/** The reference every rule's section is in, relative to the package's root. */
export const RULE_DOCS = 'docs/dialect.md';

/** The anchor of a code's section in docs/dialect.md: its heading is the code itself. */
export function ruleAnchor(code: DiagnosticCode): string {
  return code;
}
