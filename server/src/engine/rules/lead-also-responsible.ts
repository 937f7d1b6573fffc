import type { UnitRef } from '../model.ts';
import { eachTask, quote } from './common.ts';
import type { Rule, RuleContext } from './rule.ts';

export const leadAlsoResponsible: Rule = {
  code: 'lead-also-responsible',
  severity: 'warning',
  description: '同一单位既是牵头单位，又列为责任单位（简称与全称按同一单位看待）',
  fix: 'safe',
  fixNote: '从责任单位中删去该单位',
  examples: {
    ok: [{ text: '1. 编制完善权责清单。（牵头单位：市财政局，责任单位：市教育局，完成时限：12月底前）\n' }],
    notOk: [
      {
        text: '1. 编制完善权责清单。（牵头单位：市财政局，责任单位：市财政局、市教育局，完成时限：12月底前）\n',
        fixed: '1. 编制完善权责清单。（牵头单位：市财政局，责任单位：市教育局，完成时限：12月底前）\n',
      },
    ],
  },
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
};

/** Deletes a unit from its list together with one separator, so the list stays well formed. */
function removeUnitEdit(ctx: RuleContext, u: UnitRef): ReturnType<RuleContext['edit']> {
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
