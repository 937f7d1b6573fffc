import type { Breakdown, Category, NumberLabel, Task } from '../model.ts';
import { formatLabelNumber } from '../model.ts';
import type { Fix } from '../types.ts';
import { quote } from './common.ts';
import type { Rule, RuleContext } from './rule.ts';

export const numbering: Rule = {
  code: 'numbering',
  severity: 'warning',
  description: '类别标题的编号或任务的序号不连续或重复',
  fix: 'safe',
  fixNote: '改为应有的编号',
  examples: {
    ok: [
      { text: '---\n必填: []\n---\n\n## 一、甲类\n\n1. 任务一\n2. 任务二\n\n## 二、乙类\n\n1. 任务三\n' },
      { text: '---\n必填: []\n---\n\n## 一、甲类\n\n1. 任务一\n2. 任务二\n\n## 二、乙类\n\n3. 任务三\n' },
    ],
    notOk: [
      {
        text: '---\n必填: []\n---\n\n## 一、甲类\n\n1. 任务一\n3. 任务二\n\n## 三、乙类\n\n1. 任务三\n',
        fixed: '---\n必填: []\n---\n\n## 一、甲类\n\n1. 任务一\n2. 任务二\n\n## 二、乙类\n\n1. 任务三\n',
      },
      {
        text: '---\n必填: []\n---\n\n## 一、甲类\n\n1. 任务一\n1. 任务二\n',
        fixed: '---\n必填: []\n---\n\n## 一、甲类\n\n1. 任务一\n2. 任务二\n',
      },
    ],
  },
  check(ctx) {
    for (const group of ctx.model.headingGroups) checkHeadingGroup(ctx, group);
    for (const bd of ctx.model.breakdowns) checkListNumbers(ctx, bd);
  },
};

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
