import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze, toJson } from '../server/src/engine/index.ts';
import { hostWithin, ROOT } from './helpers.ts';

const EXAMPLES = path.join(ROOT, 'examples');

function checkExample(rel: string): ReturnType<typeof analyze> {
  const file = path.join(EXAMPLES, rel);
  return analyze(fs.readFileSync(file, 'utf8'), { file, host: hostWithin(EXAMPLES) });
}

/** The seeds' real defects, as kept in the examples (examples/README.md): line → codes. */
const DEFECTS: Record<string, string[]> = {
  'changchun-2020/通知.fj.md': [
    ...[34, 44, 51, 56, 61, 78, 124, 134, 139].map((l) => `${l}:missing-lead`),
    '87:collective-lead', // 宣传、网信部门…牵头组织
    '109:collective-lead', // 生态分局等行业主管部门牵头
  ],
  'shengtaicheng-2020/工作要点.fj.md': ['65:missing-field', '67:missing-field'],
  'changji-2020/工作要点.fj.md': [
    ...[30, 34, 36, 42, 46, 90, 92, 94, 98, 100, 104, 106, 108, 112, 118, 122, 126, 130].map((l) => `${l}:missing-lead`),
    ...[118, 122, 126, 130].map((l) => `${l}:missing-field`),
  ],
};

for (const [rel, defects] of Object.entries(DEFECTS)) {
  test(`${rel} checks clean except for the seed's real defects`, () => {
    const { diagnostics, directoryFindings } = checkExample(rel);
    assert.deepEqual(diagnostics.map((d) => `${d.range.start.line + 1}:${d.code}`).sort(), [...defects].sort());
    assert.ok(directoryFindings, 'its 单位名录.yaml is found beside it');
    assert.deepEqual(directoryFindings.diagnostics, []);
  });
}

test('the examples keep the seeds’ tables: task counts, categories, leads and deadlines', () => {
  const cc = toJson(checkExample('changchun-2020/通知.fj.md').model);
  assert.equal(cc.meta['number'], '长经政公组〔2020〕1号');
  assert.equal(cc.breakdowns.length, 1);
  const t = cc.breakdowns[0]!;
  assert.equal(t.tasks.length, 20);
  assert.deepEqual(t.columns, ['序号', '类别', '重点任务', '落实举措', '牵头单位', '责任单位', '完成时限']);
  assert.equal(new Set(t.tasks.map((x) => x.path[0])).size, 6);
  assert.deepEqual(t.tasks[1]!.lead, ['营商环境建设局']);
  assert.deepEqual(t.tasks[1]!.responsible, ['各单位']);
  assert.deepEqual(t.tasks[1]!.deadline, { text: '12月底前', end: '2020-12-31', kind: 'date' });
  assert.ok(t.tasks.some((x) => x.deadline?.kind === 'ongoing'));

  const st = toJson(checkExample('shengtaicheng-2020/工作要点.fj.md').model);
  assert.equal(st.breakdowns[0]!.tasks.length, 19);
  const cj = toJson(checkExample('changji-2020/工作要点.fj.md').model);
  assert.equal(cj.breakdowns[0]!.tasks.length, 31);
  assert.deepEqual(cj.breakdowns[0]!.tasks[0]!.lead, ['市行政审批局']);
  assert.equal(cj.breakdowns[0]!.tasks[0]!.path.length, 2);
});
