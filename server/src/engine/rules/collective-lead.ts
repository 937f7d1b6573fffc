import { eachTask, quote } from './common.ts';
import type { Rule } from './rule.ts';

export const collectiveLead: Rule = {
  code: 'collective-lead',
  severity: 'error',
  description: '泛称被写作牵头单位（包括在责任单位中写成“各单位牵头”）',
  fix: 'none',
  examples: {
    ok: [{ text: '1. 编制完善权责清单。（牵头单位：市财政局，责任单位：各单位，完成时限：12月底前）\n' }],
    notOk: [
      { text: '1. 编制完善权责清单。（牵头单位：各单位，完成时限：12月底前）\n' },
      { text: '1. 编制完善权责清单。（责任单位：有关部门牵头，完成时限：12月底前）\n' },
    ],
  },
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
};
