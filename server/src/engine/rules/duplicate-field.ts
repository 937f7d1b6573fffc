import { eachTask } from './common.ts';
import type { Rule } from './rule.ts';

export const duplicateField: Rule = {
  code: 'duplicate-field',
  severity: 'warning',
  description: '同一条任务的完成时限写了不止一处（字段行、下级列表项、行内括号都算）；只有第一处填了值的起作用，指向其余各处',
  fix: 'none',
  examples: {
    ok: [{ text: '1. 编制完善权责清单。\n   - 牵头单位：市财政局\n   - 完成时限：12月底前\n' }],
    notOk: [{ text: '1. 编制完善权责清单。（牵头单位：市财政局，完成时限：12月底前）\n   - 完成时限：6月底前\n' }],
  },
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
};
