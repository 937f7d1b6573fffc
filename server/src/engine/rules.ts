import type { Directory } from './directory.ts';
import type { Breakdown, Category, DocumentModel, NumberLabel, Task, UnitRef } from './model.ts';
import { formatLabelNumber } from './model.ts';
import { walkTree } from './segment.ts';
import type { Diagnostic, DiagnosticCode, Fix, RelatedInfo, Severity } from './types.ts';
import { FIELD_LABEL } from './fields.ts';
import { suggestDeadline } from './deadline.ts';
import { effectiveYear } from './frontmatter.ts';

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

export interface Rule {
  code: DiagnosticCode;
  severity: Severity;
  /** One line, Chinese: what the rule checks (docs and the editor's rule list). */
  description: string;
  check(ctx: RuleContext): void;
}

const quote = (s: string): string => `“${s}”`;

/** The forms of spec §5, one example each, for the bad-deadline message (the full list is in docs/dialect.md). */
export const DEADLINE_EXAMPLES = ['2020年12月31日前', '12月31日前', '12月底前', '2020年底前', '年底前', '6月上旬', '第三季度', '三季度末', '上半年', '下半年', '2020-12-31', '每月', '每季度末', '每月28日前', '长期坚持', '常态化'];

function eachTask(model: DocumentModel, fn: (task: Task, bd: Breakdown) => void): void {
  for (const bd of model.breakdowns) for (const t of bd.tasks) fn(t, bd);
}

/** Where a finding about a whole task points: its first line. */
function taskSpan(t: Task): { start: number; end: number } {
  return t.textEnd > t.textStart ? { start: t.textStart, end: t.textEnd } : { start: t.start, end: Math.max(t.textEnd, t.start + 1) };
}

function missingRule(code: 'missing-lead' | 'missing-deadline', key: 'lead' | 'deadline', hint: string): Rule {
  return {
    code,
    severity: 'error',
    description: `任务缺少${FIELD_LABEL[key]}（“必填”包含它时）。`,
    check(ctx) {
      if (!ctx.model.meta.required.includes(key)) return;
      eachTask(ctx.model, (t) => {
        const has = key === 'lead' ? t.lead.length > 0 : t.deadline !== undefined;
        if (has) return;
        const empty = t.fields.find((f) => f.key === key);
        const at = empty ? { start: empty.start, end: empty.end } : taskSpan(t);
        ctx.report({ code, ...at, message: `${empty ? `${FIELD_LABEL[key]}为空` : `任务缺少${FIELD_LABEL[key]}`}。${hint}` });
      });
    },
  };
}

export const RULES: Rule[] = [
  missingRule('missing-lead', 'lead', '请添加一行“牵头单位：单位名称”，或在任务末尾写“（牵头单位：……）”。'),
  missingRule('missing-deadline', 'deadline', '请添加一行“完成时限：12月底前”之类的时限。'),
  {
    code: 'missing-field',
    severity: 'error',
    description: '任务缺少“必填”列出的其他字段（责任单位、配合单位、备注）。',
    check(ctx) {
      const others = ctx.model.meta.required.filter((k) => k !== 'lead' && k !== 'deadline');
      if (!others.length) return;
      eachTask(ctx.model, (t) => {
        for (const key of others) {
          const has = key === 'note' ? !!t.note : key === 'responsible' ? t.responsible.length > 0 || t.fields.some((f) => f.key === 'responsible' && t.lead.some((l) => l.field === f)) : t[key].length > 0;
          if (has) continue;
          const empty = t.fields.find((f) => f.key === key);
          const at = empty ? { start: empty.start, end: empty.end } : taskSpan(t);
          ctx.report({
            code: 'missing-field',
            ...at,
            message: `任务缺少必填字段“${FIELD_LABEL[key]}”。请添加一行“${FIELD_LABEL[key]}：……”（前置元数据“必填”要求此字段）。`,
            data: { field: key },
          });
        }
      });
    },
  },
  {
    code: 'unknown-unit',
    severity: 'warning',
    description: '单位名称不在单位名录中（有单位名录时），并给出最接近的名称。',
    check(ctx) {
      const dir = ctx.directory;
      if (!dir) return;
      const cache = new Map<string, string[]>();
      eachTask(ctx.model, (t) => {
        for (const u of [...t.lead, ...t.responsible, ...t.cooperating]) {
          if (u.known) continue;
          let suggestions = cache.get(u.name);
          if (!suggestions) cache.set(u.name, (suggestions = dir.suggest(u.name)));
          // A name wrapped onto the next line may have taken in a line of other text: replacing
          // it would delete that line, so only a name on one line gets the fix.
          const oneLine = !/[\r\n]/.test(ctx.model.text.slice(u.start, u.end));
          const fixes: Fix[] = oneLine ? suggestions.map((s) => ({ title: `改为“${s}”`, edits: [ctx.edit(u.start, u.end, s)] })) : [];
          ctx.report({
            code: 'unknown-unit',
            start: u.start,
            end: u.end,
            message: `单位名录中没有${quote(u.name)}。${suggestions.length ? `是否应为${suggestions.map(quote).join('或')}？` : ''}如确为新单位，请将它加入单位名录（${ctx.directoryLabel ?? '单位名录.yaml'}）。`,
            fixes,
            data: { name: u.name, suggestions },
          });
        }
      });
    },
  },
  {
    code: 'collective-lead',
    severity: 'error',
    description: '泛称（“各单位”“有关部门”等）被写作牵头单位。',
    check(ctx) {
      eachTask(ctx.model, (t) => {
        for (const u of t.lead) {
          if (!u.collective) continue;
          ctx.report({
            code: 'collective-lead',
            start: u.start,
            end: u.end,
            message: `${quote(u.name)}是泛称，不能作为牵头单位。请写明具体牵头的单位；泛称可列在责任单位中。`,
            data: { name: u.name },
          });
        }
      });
    },
  },
  {
    code: 'lead-also-responsible',
    severity: 'warning',
    description: '同一单位既是牵头单位，又列为责任单位。',
    check(ctx) {
      eachTask(ctx.model, (t) => {
        if (!t.lead.length || !t.responsible.length) return;
        const leads = new Set(t.lead.map((u) => u.canonical));
        for (const u of t.responsible) {
          if (!leads.has(u.canonical)) continue;
          ctx.report({
            code: 'lead-also-responsible',
            start: u.start,
            end: u.end,
            message: `${quote(u.name)}已是牵头单位，又列为责任单位。请从责任单位中删去。`,
            fixes: [{ title: `从责任单位中删去“${u.name}”`, edits: [removeUnitEdit(ctx, u)], preferred: true }],
          });
        }
      });
    },
  },
  {
    code: 'bad-deadline',
    severity: 'error',
    description: '完成时限的写法无法识别。',
    check(ctx) {
      eachTask(ctx.model, (t) => {
        const d = t.deadline;
        if (!d || d.parsed) return;
        const suggestion = suggestDeadline(d.text);
        ctx.report({
          code: 'bad-deadline',
          start: d.start,
          end: d.end,
          message: `无法识别完成时限${quote(d.text)}。${suggestion ? `是否应为${quote(suggestion)}？` : ''}可用的写法如：${DEADLINE_EXAMPLES.join('、')}。`,
          ...(suggestion ? { fixes: [{ title: `改为“${suggestion}”`, edits: [ctx.edit(d.start, d.end, suggestion)], preferred: true }] } : {}),
        });
      });
    },
  },
  {
    code: 'deadline-before-issue',
    severity: 'error',
    description: '完成时限早于成文日期。',
    check(ctx) {
      const issued = ctx.model.meta.date;
      if (!issued) return;
      eachTask(ctx.model, (t) => {
        const end = t.deadline?.parsed?.end;
        if (!t.deadline || !end || end >= issued) return;
        ctx.report({
          code: 'deadline-before-issue',
          start: t.deadline.start,
          end: t.deadline.end,
          message: `完成时限${quote(t.deadline.text)}（${cnDate(end)}）早于成文日期${cnDate(issued)}，发文时已经过期。请改为成文日期之后的时限。`,
        });
      });
    },
  },
  {
    code: 'deadline-outside-year',
    severity: 'warning',
    description: '完成时限晚于年度末（周期性、长期性的时限除外）。',
    check(ctx) {
      const year = effectiveYear(ctx.model.meta);
      if (year === undefined) return;
      const last = `${year}-12-31`;
      eachTask(ctx.model, (t) => {
        const end = t.deadline?.parsed?.end;
        if (!t.deadline || !end || end <= last) return;
        ctx.report({
          code: 'deadline-outside-year',
          start: t.deadline.start,
          end: t.deadline.end,
          message: `完成时限${quote(t.deadline.text)}（${cnDate(end)}）超出了${year}年度。请改为年内的时限，或在前置元数据中核对“年度”。`,
        });
      });
    },
  },
  {
    code: 'numbering',
    severity: 'warning',
    description: '标题编号或任务序号不连续或重复。',
    check(ctx) {
      for (const group of ctx.model.headingGroups) checkHeadingGroup(ctx, group);
      for (const bd of ctx.model.breakdowns) checkListNumbers(ctx, bd);
    },
  },
  {
    code: 'duplicate-task',
    severity: 'warning',
    description: '同一张分解表中有两条相同的任务。',
    check(ctx) {
      for (const bd of ctx.model.breakdowns) {
        const seen = new Map<string, Task>();
        for (const t of bd.tasks) {
          const key = t.text.replace(/[\s\u3000]/g, '').replace(/[。；;.，,]+$/, '');
          if (!key) continue;
          const first = seen.get(key);
          if (!first) {
            seen.set(key, t);
            continue;
          }
          const related: RelatedInfo[] = [{ range: ctx.model.lines.range(first.textStart, first.textEnd), message: '第一次出现在这里' }];
          ctx.report({
            code: 'duplicate-task',
            ...taskSpan(t),
            message: `任务${quote(clip(t.text))}与第${ctx.model.lines.position(first.textStart).line + 1}行的任务（序号${first.number}）相同。请合并或修改其中一条。`,
            related,
          });
        }
      }
    },
  },
  {
    code: 'duplicate-field',
    severity: 'warning',
    description: '同一任务的完成时限写了不止一处（只有第一处有效）。',
    check(ctx) {
      eachTask(ctx.model, (t) => {
        const deadlines = t.fields.filter((f) => f.key === 'deadline');
        const used = t.deadline?.field;
        for (const f of deadlines) {
          if (f === used || (!used && f === deadlines[0])) continue;
          ctx.report({
            code: 'duplicate-field',
            start: f.start,
            end: f.end,
            message: used
              ? `这项任务的完成时限写了不止一处，只有“${t.deadline?.text ?? ''}”这一处有效。请删去多余的一处。`
              : '这项任务的完成时限写了不止一处。请只保留一处。',
          });
        }
      });
    },
  },
  {
    code: 'halfwidth-punctuation',
    severity: 'warning',
    description: '中文之间使用了半角标点 , ; : ( )。',
    check(ctx) {
      checkHalfwidth(ctx);
    },
  },
];

const FULLWIDTH: Record<string, string> = { ',': '，', ';': '；', ':': '：', '(': '（', ')': '）' };

function isHan(c: number): boolean {
  return (c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xd840 && c <= 0xd87f); // high surrogates of the CJK extension planes
}

function isCjkPunct(c: number): boolean {
  return (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xffef) || c === 0x201c || c === 0x201d;
}

function checkHalfwidth(ctx: RuleContext): void {
  const text = ctx.model.text;
  // Code and the like are looked up only once a candidate is found: most documents have none.
  let skip: [number, number][] | undefined;
  let si = 0;
  const re = /[,;:()]/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const at = m.index;
    const ch = m[0];
    const prev = text.charCodeAt(at - 1);
    // A low surrogate before: look at its high surrogate for the extension planes.
    const prevIsHan = isHan(prev) || (prev >= 0xdc00 && prev <= 0xdfff && isHan(text.charCodeAt(at - 2)));
    const next = text.charCodeAt(at + 1);
    const nextIsHan = isHan(next);
    let flag: boolean;
    if (ch === '(') flag = nextIsHan && (prevIsHan || isCjkPunct(prev) || Number.isNaN(prev) || prev === 10);
    else if (ch === ')') flag = prevIsHan && (nextIsHan || isCjkPunct(next) || Number.isNaN(next) || next === 10 || next === 13);
    else flag = prevIsHan && nextIsHan;
    if (!flag) continue;
    skip ??= skippedSpans(ctx.model);
    while (si < skip.length && (skip[si] as [number, number])[1] <= at) si++;
    const span = skip[si];
    if (span && span[0] <= at) continue;
    const full = FULLWIDTH[ch] as string;
    ctx.report({
      code: 'halfwidth-punctuation',
      start: at,
      end: at + 1,
      message: `中文之间使用了半角标点“${ch}”，应为全角“${full}”。`,
      fixes: [{ title: `改为全角“${full}”`, edits: [ctx.edit(at, at + 1, full)], preferred: true }],
    });
  }
}

/** Code, HTML, front matter and inline code are not prose: punctuation there is left alone. */
function skippedSpans(model: DocumentModel): [number, number][] {
  const out: [number, number][] = [];
  const skipped = new Set(['code', 'html', 'yaml', 'inlineCode', 'link', 'definition', 'image']);
  walkTree(model.root, model.bases, model.shift, (node, start, end) => {
    if (!skipped.has(node.type)) return true;
    out.push([start, end]);
    return false;
  });
  return out.sort((a, b) => a[0] - b[0]);
}

function checkHeadingGroup(ctx: RuleContext, group: Category[]): void {
  const counters = new Map<string, number>();
  const uses = new Map<string, number>();
  for (const c of group) if (c.label) uses.set(`${c.label.style}:${c.label.value}`, (uses.get(`${c.label.style}:${c.label.value}`) ?? 0) + 1);
  for (const cat of group) {
    const label = cat.label;
    if (!label) continue;
    const expected = (counters.get(label.style) ?? 0) + 1;
    counters.set(label.style, expected);
    if (label.value === expected) continue;
    reportNumber(ctx, label, expected, (uses.get(`${label.style}:${label.value}`) ?? 0) > 1);
  }
}

function reportNumber(ctx: RuleContext, label: NumberLabel, expected: number, repeated: boolean): void {
  const text = ctx.model.text;
  const written = text.slice(label.start, label.end);
  const wanted = text.slice(label.start, label.numStart) + formatLabelNumber(label.style, expected) + text.slice(label.numEnd, label.end);
  ctx.report({
    code: 'numbering',
    start: label.start,
    end: label.end,
    message: `编号${quote(written)}${repeated ? '重复' : '不连续'}，此处应为${quote(wanted)}。`,
    fixes: [{ title: `改为“${wanted}”`, edits: [ctx.edit(label.numStart, label.numEnd, formatLabelNumber(label.style, expected))], preferred: true }],
    data: { expected },
  });
}

/**
 * Ordered lists either restart at 1 under each category or run on through the breakdown;
 * the second list of a breakdown tells which, and each item must follow its list's start.
 */
function checkListNumbers(ctx: RuleContext, bd: Breakdown): void {
  const lists = bd.orderedLists.filter((l) => l.tasks.length && l.tasks[0]?.listNumber);
  const second = lists[1];
  const restart = second ? second.start === 1 : true;
  let last = 0;
  for (const list of lists) {
    const start = restart ? 1 : last + 1;
    const seen = new Set<number>();
    list.tasks.forEach((t, i) => {
      const n = t.listNumber;
      if (!n) return;
      const expected = start + i;
      const repeated = seen.has(n.value);
      seen.add(n.value);
      if (n.value === expected) return;
      const edits = renumberEdits(ctx, t, String(expected));
      // Only a list starting at 1 may interrupt a paragraph (CommonMark): a first item right
      // under a line of text, renumbered, would become part of that text and the task be lost.
      // A blank line before it keeps it a list item.
      const apart = i === 0 && expected !== 1 && needsBlankLine(ctx, t);
      if (apart) edits.unshift(apart);
      ctx.report({
        code: 'numbering',
        start: n.start,
        end: n.end,
        message: `任务序号 ${n.value} ${repeated ? '重复' : '不连续'}，此处应为 ${expected}。`,
        fixes: [{ title: apart ? `改为 ${expected}，并在上面加一个空行（否则这一项会并入上一段）` : `改为 ${expected}`, edits, preferred: true }],
        data: { expected },
      });
    });
    last = start + list.tasks.length - 1;
  }
}

/**
 * Replaces an item's number. When the number changes width (9. → 10.), the item's further
 * lines move by as much, or they would fall out of the item and lose their fields.
 */
function renumberEdits(ctx: RuleContext, t: Task, wanted: string): Fix['edits'] {
  const n = t.listNumber as NonNullable<Task['listNumber']>;
  const edits = [ctx.edit(n.start, n.end, wanted)];
  const delta = wanted.length - (n.end - n.start);
  if (delta === 0) return edits;
  const lines = ctx.model.lines;
  const first = lines.position(t.start).line;
  const last = lines.position(t.end).line;
  const column = t.contentIndent.length;
  for (let line = first + 1; line <= last; line++) {
    const text = lines.lineText(line);
    const indent = /^ */.exec(text)?.[0].length ?? 0;
    // Blank lines, and lines at the margin that only belong to the item lazily, stay.
    if (indent === text.length || indent < column) continue;
    const at = lines.starts[line] as number;
    edits.push(delta > 0 ? ctx.edit(at, at, ' '.repeat(delta)) : ctx.edit(at, at - delta, ''));
  }
  return edits;
}

/**
 * The blank line a list's first item needs before it when its number is no longer 1: none
 * after a blank line, a heading or a thematic break, which no text can continue.
 */
function needsBlankLine(ctx: RuleContext, t: Task): Fix['edits'][number] | undefined {
  const lines = ctx.model.lines;
  const line = lines.position(t.start).line;
  if (line === 0) return undefined;
  const prev = lines.lineText(line - 1);
  if (/^[ \t]*$/.test(prev) || /^ {0,3}#{1,6}(?:[ \t]|$)/.test(prev) || /^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/.test(prev)) return undefined;
  const text = ctx.model.text;
  const at = lines.lineEnd(line - 1);
  return ctx.edit(at, at, text.slice(at, lines.starts[line]) || '\n');
}

/** Deletes a unit from its list together with one separator, so the list stays well formed. */
function removeUnitEdit(ctx: RuleContext, u: UnitRef): Fix['edits'][number] {
  const text = ctx.model.text;
  const seps = '、，,；;';
  let start = u.start;
  let end = u.end;
  // A qualifier written right after the name (按职能分别落实) goes with it.
  while (end < u.field.valueEnd && !seps.includes(text[end] as string)) end++;
  if (end < u.field.valueEnd && seps.includes(text[end] as string)) end++;
  else if (start > u.field.valueStart && seps.includes(text[start - 1] as string)) start--;
  return ctx.edit(start, end, '');
}

export function cnDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${Number(y)}年${Number(m)}月${Number(d)}日`;
}

function clip(s: string): string {
  return s.length > 30 ? `${s.slice(0, 30)}……` : s;
}
