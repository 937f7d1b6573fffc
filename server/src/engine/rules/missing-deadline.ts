import { checkMissing } from './missing.ts';
import type { Rule } from './rule.ts';

export const missingDeadline: Rule = {
  code: 'missing-deadline',
  severity: 'error',
  description: '“必填”包含完成时限，而任务没有完成时限，或完成时限为空',
  fix: 'none',
  examples: {
    ok: [
      { text: '1. 编制完善权责清单。（牵头单位：市财政局，完成时限：12月底前）\n' },
      { text: '---\n必填: [牵头单位]\n---\n\n1. 编制完善权责清单。（牵头单位：市财政局）\n' },
    ],
    notOk: [
      { text: '1. 编制完善权责清单。（牵头单位：市财政局）\n' },
      { text: '1. 编制完善权责清单。\n   - 牵头单位：市财政局\n   - 完成时限：\n' },
    ],
  },
  check(ctx) {
    checkMissing(ctx, 'missing-deadline', 'deadline', '请添加一行“完成时限：12月底前”之类的时限。');
  },
};
