import { cnDate } from '../deadline.ts';
import { effectiveYear } from '../frontmatter.ts';
import { eachTask, quote } from './common.ts';
import type { Rule } from './rule.ts';

export const deadlineOutsideYear: Rule = {
  code: 'deadline-outside-year',
  severity: 'warning',
  description: '完成时限的最后一天晚于年度的 12 月 31 日（周期性、长期性时限除外）',
  fix: 'none',
  examples: {
    ok: [
      { text: '---\n年度: 2020\n---\n\n1. 编制完善权责清单。（牵头单位：市财政局，完成时限：12月底前）\n' },
      { text: '---\n年度: 2020\n---\n\n1. 编制完善权责清单。（牵头单位：市财政局，完成时限：每季度末）\n' },
    ],
    notOk: [{ text: '---\n年度: 2020\n---\n\n1. 编制完善权责清单。（牵头单位：市财政局，完成时限：2021年3月底前）\n' }],
  },
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
};
