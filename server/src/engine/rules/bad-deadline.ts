import { DEADLINE_EXAMPLES, suggestDeadline } from '../deadline.ts';
import { eachTask, quote } from './common.ts';
import type { Rule } from './rule.ts';

export const badDeadline: Rule = {
  code: 'bad-deadline',
  severity: 'error',
  description: '完成时限的写法不能识别（可用的写法见第七节“完成时限”）',
  fix: 'safe',
  fixNote: '仅当信息中给出了改写建议时',
  examples: {
    ok: [
      { text: '1. 编制完善权责清单。（牵头单位：市财政局，完成时限：12月底前）\n' },
      { text: '1. 编制完善权责清单。（牵头单位：市财政局，完成时限：长期坚持）\n' },
    ],
    notOk: [
      {
        text: '1. 编制完善权责清单。（牵头单位：市财政局，完成时限：12月底）\n',
        fixed: '1. 编制完善权责清单。（牵头单位：市财政局，完成时限：12月底前）\n',
      },
      { text: '1. 编制完善权责清单。（牵头单位：市财政局，完成时限：尽快）\n' },
    ],
  },
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
};
