/** The missing-* family: a field the front matter's 必填 asks for is absent or empty. */
import { FIELD_LABEL } from '../fields.ts';
import { eachTask, taskSpan } from './common.ts';
import type { RuleContext } from './rule.ts';

/** Reports each task without `key` (or with it empty) when 必填 includes it. */
export function checkMissing(ctx: RuleContext, code: 'missing-lead' | 'missing-deadline', key: 'lead' | 'deadline', hint: string): void {
  if (!ctx.model.meta.required.includes(key)) return;
  eachTask(ctx.model, (t) => {
    const has = key === 'lead' ? t.lead.length > 0 : t.deadline !== undefined;
    if (has) return;
    const empty = t.fields.find((f) => f.key === key);
    const at = empty ? { start: empty.start, end: empty.end } : taskSpan(t);
    ctx.report({ code, ...at, message: `${empty ? `${FIELD_LABEL[key]}为空` : `任务缺少${FIELD_LABEL[key]}`}。${hint}` });
  });
}
