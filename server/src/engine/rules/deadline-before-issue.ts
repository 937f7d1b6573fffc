import { cnDate } from '../deadline.ts';
import { eachTask, quote } from './common.ts';
import type { Rule } from './rule.ts';

export const deadlineBeforeIssue: Rule = {
  code: 'deadline-before-issue',
  severity: 'error',
  description: '完成时限的最后一天早于成文日期（只在写了成文日期时检查）',
  fix: 'none',
  examples: {
    ok: [
      { text: '---\n成文日期: 2020年9月30日\n---\n\n1. 编制完善权责清单。（牵头单位：市财政局，完成时限：12月底前）\n' },
      { text: '1. 没有成文日期时不检查。（牵头单位：市财政局，完成时限：2020年6月底前）\n' },
    ],
    notOk: [{ text: '---\n成文日期: 2020年9月30日\n---\n\n1. 编制完善权责清单。（牵头单位：市财政局，完成时限：6月底前）\n' }],
  },
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
};
