import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from './helpers.ts';
import {
  ACCEPTED_DEADLINE_FORMS,
  parseDeadline,
  suggestDeadline,
  type DeadlineKind,
} from '../server/src/engine/deadline.ts';

type Row = readonly [text: string, year: number | undefined, kind: DeadlineKind, end: string | null];

// Every accepted form, with and without a document year, and the resolved last day.
const ACCEPTED: readonly Row[] = [
  // full dates
  ['2020年12月31日前', undefined, 'date', '2020-12-31'],
  ['2020年12月31日前', 2021, 'date', '2020-12-31'],
  ['2020年12月31日', 2020, 'date', '2020-12-31'],
  ['2020年12月31日之前', 2020, 'date', '2020-12-31'],
  ['2020年12月31日以前', 2020, 'date', '2020-12-31'],
  ['2020年12月31日前完成', 2020, 'date', '2020-12-31'],
  ['于2020年12月31日前完成', 2020, 'date', '2020-12-31'],
  ['在2020年12月31日前', 2020, 'date', '2020-12-31'],
  ['12月31日前', 2020, 'date', '2020-12-31'],
  ['12月31日前', undefined, 'date', null],
  ['12月31日', 2020, 'date', '2020-12-31'],
  ['6月1日前', 2020, 'date', '2020-06-01'],
  ['06月01日前', 2020, 'date', '2020-06-01'],
  ['十二月三十一日前', 2020, 'date', '2020-12-31'],
  ['十一月二十日', 2020, 'date', '2020-11-20'],
  ['二月二十九日前', 2020, 'date', '2020-02-29'],
  ['三月十日', 2020, 'date', '2020-03-10'],
  ['九月三十日', 2020, 'date', '2020-09-30'],
  ['一月一日', 2020, 'date', '2020-01-01'],
  ['2月29日前', 2020, 'date', '2020-02-29'],
  ['2月29日前', 2000, 'date', '2000-02-29'],
  ['2月29日前', undefined, 'date', null],
  ['2024年2月29日', undefined, 'date', '2024-02-29'],
  ['4月30日前', 2020, 'date', '2020-04-30'],
  // ISO
  ['2020-12-31', undefined, 'date', '2020-12-31'],
  ['2020-12-31', 2019, 'date', '2020-12-31'],
  ['2020-02-29', undefined, 'date', '2020-02-29'],
  ['2020-12-31前', undefined, 'date', '2020-12-31'],
  ['于2020-06-30前完成', undefined, 'date', '2020-06-30'],
  // month end
  ['12月底前', 2020, 'date', '2020-12-31'],
  ['12月底前', undefined, 'date', null],
  ['12月底之前', 2020, 'date', '2020-12-31'],
  ['12月底以前', 2020, 'date', '2020-12-31'],
  ['12月底前完成', 2020, 'date', '2020-12-31'],
  ['于12月底前完成', 2020, 'date', '2020-12-31'],
  ['2020年12月底前', undefined, 'date', '2020-12-31'],
  ['2月底前', 2020, 'date', '2020-02-29'],
  ['2月底前', 2021, 'date', '2021-02-28'],
  ['2月底前', 1900, 'date', '1900-02-28'],
  ['2月底前', undefined, 'date', null],
  ['十一月底前', 2020, 'date', '2020-11-30'],
  ['12月末', 2020, 'date', '2020-12-31'],
  ['12月末前', 2020, 'date', '2020-12-31'],
  ['2021年6月末', undefined, 'date', '2021-06-30'],
  // whole month
  ['6月', 2020, 'date', '2020-06-30'],
  ['6月前', 2020, 'date', '2020-06-30'],
  ['2020年6月', undefined, 'date', '2020-06-30'],
  ['2020年6月前完成', undefined, 'date', '2020-06-30'],
  ['十月', 2020, 'date', '2020-10-31'],
  ['2月', 2023, 'date', '2023-02-28'],
  // 旬
  ['6月上旬', 2020, 'date', '2020-06-10'],
  ['6月中旬', 2020, 'date', '2020-06-20'],
  ['6月下旬', 2020, 'date', '2020-06-30'],
  ['6月下旬前', 2020, 'date', '2020-06-30'],
  ['2020年2月下旬', undefined, 'date', '2020-02-29'],
  ['2月下旬', undefined, 'date', null],
  ['六月中旬', undefined, 'date', null],
  ['2021年十二月上旬前', 2020, 'date', '2021-12-10'],
  // quarters
  ['第三季度', 2020, 'date', '2020-09-30'],
  ['三季度', 2020, 'date', '2020-09-30'],
  ['第3季度', 2020, 'date', '2020-09-30'],
  ['3季度', 2020, 'date', '2020-09-30'],
  ['三季度末', 2020, 'date', '2020-09-30'],
  ['第三季度末', 2020, 'date', '2020-09-30'],
  ['第三季度末前', 2020, 'date', '2020-09-30'],
  ['第三季度前', 2020, 'date', '2020-09-30'],
  ['第一季度', 2020, 'date', '2020-03-31'],
  ['二季度末', 2020, 'date', '2020-06-30'],
  ['第四季度', 2020, 'date', '2020-12-31'],
  ['2020年第四季度', undefined, 'date', '2020-12-31'],
  ['2020年四季度末前完成', undefined, 'date', '2020-12-31'],
  ['第一季度', undefined, 'date', null],
  // halves
  ['上半年', 2020, 'date', '2020-06-30'],
  ['下半年', 2020, 'date', '2020-12-31'],
  ['上半年末', 2020, 'date', '2020-06-30'],
  ['上半年前', 2020, 'date', '2020-06-30'],
  ['下半年末前', 2020, 'date', '2020-12-31'],
  ['2021年上半年', 2020, 'date', '2021-06-30'],
  ['上半年', undefined, 'date', null],
  // year end
  ['2020年底前', undefined, 'date', '2020-12-31'],
  ['2020年底前', 2019, 'date', '2020-12-31'],
  ['年底前', 2020, 'date', '2020-12-31'],
  ['年底前', undefined, 'date', null],
  ['年底之前', 2020, 'date', '2020-12-31'],
  ['年底前完成', 2020, 'date', '2020-12-31'],
  ['于年底前完成', 2020, 'date', '2020-12-31'],
  ['年末', 2020, 'date', '2020-12-31'],
  ['年末前', 2020, 'date', '2020-12-31'],
  ['2020年末', undefined, 'date', '2020-12-31'],
  ['年内', 2020, 'date', '2020-12-31'],
  ['年内完成', 2020, 'date', '2020-12-31'],
  ['2020年内', undefined, 'date', '2020-12-31'],
  ['2020年内完成', 2019, 'date', '2020-12-31'],
  // year bounds
  ['1900年12月31日', undefined, 'date', '1900-12-31'],
  ['2100年底前', undefined, 'date', '2100-12-31'],
  // normalisation
  ['２０２０年１２月３１日前', undefined, 'date', '2020-12-31'],
  ['１２月底前', 2020, 'date', '2020-12-31'],
  ['２０２０-１２-３１', undefined, 'date', '2020-12-31'],
  ['  12月底前  ', 2020, 'date', '2020-12-31'],
  ['\u3000年底前\t\n', 2020, 'date', '2020-12-31'],
  // an implausible 年度 is ignored rather than producing a nonsense date
  ['12月底前', 20, 'date', null],
  ['12月底前', 2020.5, 'date', null],
  ['12月底前', Number.NaN, 'date', null],
  // periodic
  ['每月', 2020, 'periodic', null],
  ['每季度', 2020, 'periodic', null],
  ['每季度末', 2020, 'periodic', null],
  ['每季度末前', 2020, 'periodic', null],
  ['每季度底前', 2020, 'periodic', null],
  ['每半年', 2020, 'periodic', null],
  ['每半年末', 2020, 'periodic', null],
  ['每年', 2020, 'periodic', null],
  ['每年底前', 2020, 'periodic', null],
  ['每年末', 2020, 'periodic', null],
  ['每周', 2020, 'periodic', null],
  ['每月28日前', 2020, 'periodic', null],
  ['每月28日', undefined, 'periodic', null],
  ['每月二十八日前', undefined, 'periodic', null],
  ['每月1日前', undefined, 'periodic', null],
  ['每月31日前', undefined, 'periodic', null],
  ['每月28日前完成', undefined, 'periodic', null],
  ['每月底前', 2020, 'periodic', null],
  ['每月末', 2020, 'periodic', null],
  ['每月末前', 2020, 'periodic', null],
  ['每年6月30日前', 2020, 'periodic', null],
  ['每年2月28日前', 2020, 'periodic', null],
  ['每年十二月三十一日', 2020, 'periodic', null],
  ['每年6月底前', 2020, 'periodic', null],
  ['每年6月末', 2020, 'periodic', null],
  ['按月', 2020, 'periodic', null],
  ['按季度', 2020, 'periodic', null],
  ['按年', 2020, 'periodic', null],
  ['按周', 2020, 'periodic', null],
  ['按半年', 2020, 'periodic', null],
  ['每季度完成', 2020, 'periodic', null],
  ['　每季度　', 2020, 'periodic', null],
  // ongoing
  ['长期常态化', 2020, 'ongoing', null],
  ['长期坚持', 2020, 'ongoing', null],
  ['持续推进', 2020, 'ongoing', null],
  ['常态化', 2020, 'ongoing', null],
  ['长期', 2020, 'ongoing', null],
  ['持续开展', 2020, 'ongoing', null],
  ['常态化推进', 2020, 'ongoing', null],
  ['长期推进', 2020, 'ongoing', null],
  ['持续', undefined, 'ongoing', null],
  [' 长期坚持 ', undefined, 'ongoing', null],
];

const REJECTED: readonly string[] = [
  '',
  '   ',
  '尽快',
  '按要求',
  '立即',
  '及时',
  '12月31',
  '13月底前',
  '2020年13月',
  '0月',
  '0月底前',
  '00月',
  '2月30日前',
  '2月31日',
  '4月31日前',
  '12月32日前',
  '12月0日前',
  '12月00日',
  '三十二日',
  '十二月三十二日前',
  '十三月',
  '零月',
  '2021年2月29日',
  '2021-02-29',
  '2020-02-30',
  '2020-13-01',
  '2020-00-10',
  '2020-6-30',
  '2020-12-1',
  '20-12-31',
  '2020/12/31',
  '2020.12.31',
  '12月底',
  '12月底完成',
  '2020年12月底',
  '年底',
  '2020年底',
  '年底完成',
  '每月底',
  '每年6月底',
  '2020年',
  '2020年前',
  '2020年完成',
  '年前',
  '年',
  '年内前',
  '2020年内前',
  '20年底前',
  '220年底前',
  '1899年底前',
  '2101年12月31日',
  '20201年底前',
  '第五季度',
  '五季度',
  '第0季度',
  '季度',
  '季度末',
  '三季末',
  '中半年',
  '半年',
  '6月初',
  '6月上旬末',
  '6月旬',
  '前',
  '之前',
  '完成',
  '于',
  '在',
  '于于12月底前',
  '12月底前前',
  '12月底前完成完成',
  '12月底完成前',
  '12月底前之前',
  '每月前',
  '每季度前',
  '每',
  '按',
  '每日',
  '每天',
  '每两月',
  '每月0日前',
  '每月32日前',
  '每年2月29日前',
  '每年2月30日',
  '每年13月1日',
  '每季度末月5日前',
  '于每月',
  '长期坚持完成',
  '长期坚持推进',
  '持续推进中',
  '长期前',
  '常态',
  '12月31号前',
  '12 月底前',
  '12月底前。',
  'Dec 31',
  '2020年12月31日前\u0000',
  '\u0000',
  '\ud800',
  '12月\ud800底前',
  '１２月底',
  '12月底前'.repeat(20),
];

// Near-misses and their canonical rewrites.
const SUGGESTIONS: readonly (readonly [string, string])[] = [
  ['12月底', '12月底前'],
  ['12月底完成', '12月底前完成'],
  ['2020年12月底', '2020年12月底前'],
  ['十二月底', '十二月底前'],
  ['年底', '年底前'],
  ['2020年底', '2020年底前'],
  ['年底完成', '年底前完成'],
  ['每月底', '每月底前'],
  ['每年6月底', '每年6月底前'],
  ['2020.12.31', '2020年12月31日前'],
  ['2020/12/31', '2020年12月31日前'],
  ['2020-6-30', '2020年6月30日前'],
  ['2020.06.30前完成', '2020年6月30日前完成'],
  ['2020／12／31', '2020年12月31日前'],
  ['２０２０．１２．３１', '2020年12月31日前'],
  ['2020.12', '2020年12月'],
  ['2020/6前', '2020年6月前'],
  ['2020年12月31号前', '2020年12月31日前'],
  ['12月31号', '12月31日'],
  ['每月28号前', '每月28日前'],
  ['12月31', '12月31日前'],
  ['2020年12月31', '2020年12月31日前'],
  ['12月31之前', '12月31日之前'],
  ['每月28', '每月28日前'],
  ['12 月底前', '12月底前'],
  ['2020年 12月 31日前', '2020年12月31日前'],
  ['截至12月底', '12月底前'],
  ['截止2020年12月31日', '2020年12月31日'],
  ['截止到年底', '年底前'],
  ['12月31日止', '12月31日'],
  ['今年底前', '年底前'],
  ['今年年底前', '年底前'],
  ['本年度内', '年内'],
  ['今年内', '年内'],
  ['年度内', '年内'],
  ['2020年度内', '2020年内'],
  ['2020年度', '2020年底前'],
  ['2020年', '2020年底前'],
  ['2020年完成', '2020年底前完成'],
  ['12月份', '12月'],
  ['2020年6月份前', '2020年6月前'],
  ['三季末', '三季度末'],
  ['每季末', '每季度末'],
  ['第三季', '第三季度'],
  ['三季度底', '三季度末'],
  ['上半年底前', '上半年末前'],
];

// Rejected texts for which no rewrite would be a safe guess.
const NO_SUGGESTION: readonly string[] = [
  '',
  '尽快',
  '按要求',
  '2020年前',
  '20年底前',
  '2月30日前',
  '2020.2.30',
  '13月底',
  '长期坚持推进',
  '12月底前', // already accepted
  '每月',
  'x'.repeat(1000),
];

function isRealDate(iso: string): boolean {
  const d = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === iso;
}

for (const [text, year, kind, end] of ACCEPTED) {
  test(`accepts ${JSON.stringify(text)} (年度 ${String(year)}) as ${kind} ${String(end)}`, () => {
    const r = parseDeadline(text, year);
    assert.ok(r, 'should be accepted');
    assert.equal(r.kind, kind);
    assert.equal(r.end, end);
    assert.ok(r.describe.length > 0);
    if (r.end !== null) assert.ok(isRealDate(r.end), r.end);
  });
}

for (const text of REJECTED) {
  test(`rejects ${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)}`, () => {
    assert.equal(parseDeadline(text, 2020), undefined);
    assert.equal(parseDeadline(text, undefined), undefined);
  });
}

test('Feb 29 depends on the year that applies', () => {
  assert.equal(parseDeadline('2月29日前', 2021), undefined);
  assert.equal(parseDeadline('2月29日前', 1900), undefined);
  assert.ok(parseDeadline('2月29日前', 2000));
  assert.ok(parseDeadline('2020年2月29日前', 2021), 'explicit leap year wins over 年度');
  assert.equal(parseDeadline('2021年2月29日前', 2020), undefined, 'explicit year wins over 年度');
});

test('yearExplicit', () => {
  const cases: readonly (readonly [string, boolean])[] = [
    ['2020年底前', true],
    ['2020-12-31', true],
    ['2020年第三季度', true],
    ['2020年内', true],
    ['年底前', false],
    ['12月31日前', false],
    ['第三季度', false],
    ['每月', false],
    ['长期', false],
  ];
  for (const [text, explicit] of cases) {
    assert.equal(parseDeadline(text, 2019)?.yearExplicit, explicit, text);
  }
});

test('describe', () => {
  const cases: readonly (readonly [string, number | undefined, string])[] = [
    ['2020年底前', undefined, '2020年12月31日'],
    ['12月底前', 2021, '2021年12月31日'],
    ['6月上旬', 2020, '2020年6月10日'],
    ['三季度末', 2020, '2020年9月30日'],
    ['12月31日前', undefined, '12月31日'],
    ['上半年', undefined, '6月30日'],
    ['2月底前', undefined, '2月底'],
    ['每月', 2020, '每月'],
    ['按季度', 2020, '每季度'],
    ['每季度末', 2020, '每季度末'],
    ['每月末', 2020, '每月底'],
    ['每月28日前', 2020, '每月28日'],
    ['每年6月30日前', 2020, '每年6月30日'],
    ['长期常态化', 2020, '长期'],
    ['持续推进', 2020, '长期'],
  ];
  for (const [text, year, describe] of cases) {
    assert.equal(parseDeadline(text, year)?.describe, describe, text);
  }
});

test('every ACCEPTED_DEADLINE_FORMS example is accepted and the list has no duplicates', () => {
  assert.ok(ACCEPTED_DEADLINE_FORMS.length > 0);
  assert.equal(new Set(ACCEPTED_DEADLINE_FORMS).size, ACCEPTED_DEADLINE_FORMS.length);
  for (const form of ACCEPTED_DEADLINE_FORMS) {
    assert.ok(parseDeadline(form, 2020), form);
    assert.ok(parseDeadline(form, undefined), form);
  }
  // The forms the spec names must all be listed.
  for (const form of ['2020年12月31日前', '12月31日前', '12月底前', '2020年底前', '年底前', '第三季度', '三季度末', '上半年', '下半年', '2020-12-31', '每月', '每季度', '每季度末', '每年', '每月28日前', '长期常态化', '长期坚持', '持续推进', '常态化']) {
    assert.ok(ACCEPTED_DEADLINE_FORMS.includes(form), form);
  }
});

for (const [text, expected] of SUGGESTIONS) {
  test(`suggests ${JSON.stringify(expected)} for ${JSON.stringify(text)}`, () => {
    assert.equal(parseDeadline(text, undefined), undefined, 'the near-miss itself is rejected');
    const s = suggestDeadline(text);
    assert.equal(s, expected);
    assert.ok(parseDeadline(expected, undefined), 'suggestion accepted without 年度');
    assert.ok(parseDeadline(expected, 2020), 'suggestion accepted with 年度');
  });
}

test('no suggestion where a rewrite would be a guess', () => {
  for (const text of NO_SUGGESTION) assert.equal(suggestDeadline(text), undefined, text);
});

test('suggestions for every reject are accepted', () => {
  for (const text of REJECTED) {
    const s = suggestDeadline(text);
    if (s !== undefined) assert.ok(parseDeadline(s, undefined), `${text} -> ${s}`);
  }
});

const PIECES = [
  ...'0123456789０１２３４５６７８９',
  ...'一二三四五六七八九十〇零',
  ...'年月日号前底末旬上中下第季度半每按周内于在之以完成长期持续常态化坚推进开展截至止份',
  ...'-./／．－ \u3000\t\n',
  '\u0000',
  '\ud800',
  '\udc00',
  '😀',
  '2020年',
  '12月',
  '底前',
  '季度',
  '完成',
];

test('never throws on random input, and results are well-formed', () => {
  const rand = seededRandom(20200930);
  const years = [undefined, 2020, 2021, 1900, 2100, 0, -1, Number.NaN, Infinity, 2020.5];
  for (let i = 0; i < 600; i++) {
    const len = Math.floor(rand() * 14);
    let s = '';
    for (let j = 0; j < len; j++) s += PIECES[Math.floor(rand() * PIECES.length)] ?? '';
    const year = years[i % years.length];
    const r = parseDeadline(s, year);
    if (r) {
      assert.ok(['date', 'periodic', 'ongoing'].includes(r.kind), s);
      if (r.end !== null) {
        assert.equal(r.kind, 'date');
        assert.ok(isRealDate(r.end), `${s} -> ${r.end}`);
        const y = Number(r.end.slice(0, 4));
        assert.ok(y >= 1900 && y <= 2100, s);
      }
      assert.equal(typeof r.describe, 'string');
    }
    const sug = suggestDeadline(s);
    if (sug !== undefined) assert.ok(parseDeadline(sug, undefined), `${s} -> ${sug}`);
  }
});

test('huge and hostile strings are rejected', () => {
  const big = [
    '1'.repeat(100_000),
    '2020年12月31日前'.repeat(10_000),
    '每'.repeat(100_000),
    '年'.repeat(50_000) + '底前',
    '\ud800'.repeat(100_000),
    '\u0000'.repeat(100_000),
    '１'.repeat(100_000),
    ' '.repeat(100_000),
  ];
  for (const s of big) {
    assert.equal(parseDeadline(s, 2020), undefined);
    assert.equal(suggestDeadline(s), undefined);
  }
  // Surrounding whitespace is ignored however much of it there is.
  assert.equal(parseDeadline(`${' '.repeat(100_000)}年底前\u3000`, 2020)?.end, '2020-12-31');
});

test('untyped callers cannot make it throw', () => {
  const odd: unknown[] = [undefined, null, 42, {}, [], Symbol('x')];
  for (const v of odd) {
    assert.equal(parseDeadline(v as string, 2020), undefined);
    assert.equal(suggestDeadline(v as string), undefined);
  }
});
