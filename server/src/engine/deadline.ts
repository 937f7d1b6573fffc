/**
 * The 完成时限 grammar (dialect spec §5).
 *
 * This module deliberately imports nothing: it is called once per task, thousands of
 * times per document, from the language server, the CLI and the exporters alike, and
 * it must stay trivially portable and side-effect free.
 *
 * Accepted forms (YYYY年 is an optional prefix wherever "Y" is shown; the year must be
 * four digits, 1900-2100; months and days may be Arabic or Chinese numerals):
 *
 *   Y M月D日            2020年12月31日前, 12月31日前, 十二月三十一日          -> that day
 *   YYYY-MM-DD          2020-12-31 (strict ISO, zero-padded, a real date)       -> that day
 *   Y M月底前           12月底前 (底 needs a 前; a bare "12月底" is suggested)   -> month end
 *   Y M月末             12月末, 12月末前                                        -> month end
 *   Y M月               6月, 2020年6月, 6月前                                   -> month end
 *   Y M月上旬/中旬/下旬  6月上旬                                                -> 10th / 20th / month end
 *   Y 第Q季度[末]       第三季度, 三季度末, 第3季度, 3季度                      -> quarter end
 *   Y 上半年/下半年[末]  上半年, 2020年下半年末                                 -> 06-30 / 12-31
 *   [YYYY]年底前        年底前, 2020年底前 (底 needs a 前, as above)            -> 12-31
 *   [YYYY]年末          年末, 2020年末前                                        -> 12-31
 *   [YYYY]年内          年内, 2020年内 (never with 前: "年内前" is not Chinese) -> 12-31
 *
 * Every date form may be wrapped as [于|在] <form> [前|之前|以前] [完成], except where
 * noted above. A bare year ("2020年", "2020年前") is rejected: "2020年前" reads as
 * "before 2020" as easily as "by the end of 2020", so the drafter has to say which.
 *
 * "X前" is read as "by the end of X" (so 6月前 and 三季度前 end on the last day of June /
 * of Q3): a 完成时限 names the period the work must be done in, and this is how the
 * official tables use it.
 *
 * Periodic (end null): 每周/每月/每季度/每半年/每年 and 按周/按月/按季度/按半年/按年;
 * 每月底前, 每月末, 每季度末, 每半年末, 每年底前, 每年末; 每月D日[前] (D 1-31);
 * 每年M月D日[前] (a real day in every year, so not 2月29日); 每年M月底前 / 每年M月末.
 * These take the same optional 前/之前/以前 and 完成 suffixes, with 前 required after 底
 * and refused after the bare 每X forms ("每月前" means nothing).
 *
 * Ongoing (end null): exactly the phrases in ONGOING below; no prefixes or suffixes,
 * because any extension ("长期坚持完成") is no longer a fixed phrase we can vouch for.
 *
 * Robustness: the input is trimmed and full-width digits are folded to ASCII, then
 * anything longer than MAX_LENGTH is rejected before any regex runs. Every regex is
 * anchored at both ends and built from bounded tokens with no nested quantifiers, so
 * matching is linear in the (already capped) length.
 */

export type DeadlineKind = 'date' | 'periodic' | 'ongoing';

export interface ParsedDeadline {
  kind: DeadlineKind;
  /** Last day as YYYY-MM-DD; null for periodic/ongoing, or when the form has no year and none was given. */
  end: string | null;
  /** True when the text itself names the year (2020年底前, 2020-12-31). */
  yearExplicit: boolean;
  /** Short Chinese description of the resolved meaning, e.g. "2020年12月31日", "每月", "长期". */
  describe: string;
}

/** The ongoing phrases (kind ongoing), accepted exactly as written. */
const ONGOING_PHRASES = ['长期', '长期常态化', '长期坚持', '长期推进', '常态化', '常态化推进', '持续', '持续推进', '持续开展'] as const;
const ONGOING: ReadonlySet<string> = new Set(ONGOING_PHRASES);

/** Every accepted form, one example each: for completion and the reference (the bad-deadline message quotes a shorter list). */
export const ACCEPTED_DEADLINE_FORMS: readonly string[] = Object.freeze([
  '2020年12月31日前',
  '12月31日前',
  '2020-12-31',
  '12月底前',
  '12月末',
  '6月',
  '6月下旬',
  '第三季度',
  '三季度末',
  '上半年',
  '下半年',
  '2020年底前',
  '年底前',
  '年末',
  '年内',
  '每周',
  '每月',
  '每季度',
  '每季度末',
  '每半年',
  '每年',
  '按月',
  '每月28日前',
  '每月底前',
  '每年6月30日前',
  ...ONGOING_PHRASES,
]);

/**
 * Far longer than any real deadline (the longest accepted text is about 20 characters),
 * but short enough that no regex below can do meaningful work on hostile input.
 */
const MAX_LENGTH = 64;


// Longest first, so that "之前" is not mistaken for "前" with a stray "之" left behind.
const BEFORE_SUFFIXES = ['之前', '以前', '前'] as const;
const DONE_SUFFIX = '完成';

const CN_DIGITS = '一二三四五六七八九';

// Building blocks. Each is a bounded alternation (at most a few characters), which is
// what keeps the anchored patterns below free of catastrophic backtracking.
const YEAR = '(?:(\\d{4})年)?';
const MONTH = '(\\d{1,2}|十[一二]?|[一二三四五六七八九])';
const DAY = '(\\d{1,2}|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])';

const RE_DAY_DATE = new RegExp(`^${YEAR}${MONTH}月${DAY}日$`);
const RE_ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const RE_MONTH_END = new RegExp(`^${YEAR}${MONTH}月([底末])$`);
const RE_MONTH = new RegExp(`^${YEAR}${MONTH}月$`);
const RE_XUN = new RegExp(`^${YEAR}${MONTH}月([上中下])旬$`);
const RE_QUARTER = new RegExp(`^${YEAR}第?([一二三四1234])季度(末)?$`);
const RE_HALF = new RegExp(`^${YEAR}([上下])半年(末)?$`);
// 年底/年末/年内 share their 年 with the optional year, so YEAR cannot be reused here.
const RE_YEAR_END = /^(\d{4})?年([底末])$/;
const RE_YEAR_WITHIN = /^(\d{4})?年内$/;

const RE_EVERY = /^[每按](周|月|季度|半年|年)$/;
const RE_EVERY_END = /^每(月|季度|半年|年)([底末])$/;
const RE_EVERY_MONTH_DAY = new RegExp(`^每月${DAY}日$`);
const RE_EVERY_YEAR_DAY = new RegExp(`^每年${MONTH}月${DAY}日$`);
const RE_EVERY_YEAR_MONTH_END = new RegExp(`^每年${MONTH}月([底末])$`);

// Two regexes because a /g regex is stateful under .test() (lastIndex), which would make
// the check below alternate between true and false across calls.
const HAS_FULLWIDTH_DIGIT = /[\uFF10-\uFF19]/;
const FULLWIDTH_DIGITS = /[\uFF10-\uFF19]/g;

/** Marker for "the last day of the month", which depends on the year for February. */
const LAST = -1;

function group(m: RegExpExecArray, i: number): string | undefined {
  // Unmatched optional groups are undefined at runtime whatever the compiler flags say.
  return m[i];
}

function normalise(text: string): string {
  const t = text.trim();
  // Folding only after trimming and only when needed keeps the common case allocation-free.
  return HAS_FULLWIDTH_DIGIT.test(t)
    ? t.replace(FULLWIDTH_DIGITS, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    : t;
}

/** Arabic or Chinese numeral (as matched by MONTH/DAY) to a number; NaN for anything else. */
function toInt(s: string | undefined): number {
  if (s === undefined || s.length === 0) return NaN;
  const c0 = s.charCodeAt(0);
  if (c0 >= 48 && c0 <= 57) return Number(s);
  const ten = s.indexOf('十');
  if (ten < 0) return s.length === 1 ? CN_DIGITS.indexOf(s) + 1 || NaN : NaN;
  const tens = ten === 0 ? 1 : CN_DIGITS.indexOf(s.charAt(0)) + 1;
  const units = ten === s.length - 1 ? 0 : CN_DIGITS.indexOf(s.charAt(ten + 1)) + 1;
  return tens * 10 + units;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Without a year February gets 29, so that 2月29日 is not rejected before the year is known. */
function daysInMonth(month: number, year: number | undefined): number {
  if (month === 2) return year === undefined || isLeap(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function validYear(y: number): boolean {
  return Number.isInteger(y) && y >= 1900 && y <= 2100;
}

/**
 * The shared tail of every date form: checks the year and day, and resolves against the
 * document year when the text names none.
 */
function resolve(
  yearText: string | undefined,
  docYear: number | undefined,
  month: number,
  day: number,
): ParsedDeadline | undefined {
  let explicit: number | undefined;
  if (yearText !== undefined) {
    explicit = Number(yearText);
    if (!validYear(explicit)) return undefined;
  }
  if (!Number.isInteger(month) || month < 1 || month > 12) return undefined;
  const year = explicit ?? docYear;
  const dim = daysInMonth(month, year);
  let d: number | undefined;
  if (day === LAST) {
    // February's last day is unknowable without a year; every other month's is fixed.
    d = year === undefined && month === 2 ? undefined : dim;
  } else {
    if (!Number.isInteger(day) || day < 1 || day > dim) return undefined;
    d = day;
  }
  const yearExplicit = explicit !== undefined;
  if (year !== undefined && d !== undefined) {
    return {
      kind: 'date',
      end: `${year}-${pad2(month)}-${pad2(d)}`,
      yearExplicit,
      describe: `${year}年${month}月${d}日`,
    };
  }
  return {
    kind: 'date',
    end: null,
    yearExplicit,
    describe: d === undefined ? `${month}月底` : `${month}月${d}日`,
  };
}

function parseDate(body: string, before: boolean, docYear: number | undefined): ParsedDeadline | undefined {
  let m: RegExpExecArray | null;
  if ((m = RE_DAY_DATE.exec(body))) {
    return resolve(group(m, 1), docYear, toInt(group(m, 2)), toInt(group(m, 3)));
  }
  if ((m = RE_ISO.exec(body))) {
    return resolve(group(m, 1), docYear, Number(group(m, 2)), Number(group(m, 3)));
  }
  if ((m = RE_MONTH_END.exec(body))) {
    // "12月底" without 前 is the most common slip; it is refused (and suggested) so that
    // the document settles on one spelling rather than because it is unclear.
    if (group(m, 3) === '底' && !before) return undefined;
    return resolve(group(m, 1), docYear, toInt(group(m, 2)), LAST);
  }
  if ((m = RE_MONTH.exec(body))) {
    return resolve(group(m, 1), docYear, toInt(group(m, 2)), LAST);
  }
  if ((m = RE_XUN.exec(body))) {
    const part = group(m, 3);
    return resolve(group(m, 1), docYear, toInt(group(m, 2)), part === '上' ? 10 : part === '中' ? 20 : LAST);
  }
  if ((m = RE_QUARTER.exec(body))) {
    const q = group(m, 2) ?? '';
    const n = '1234'.includes(q) ? Number(q) : CN_DIGITS.indexOf(q) + 1;
    return resolve(group(m, 1), docYear, n * 3, LAST);
  }
  if ((m = RE_HALF.exec(body))) {
    return resolve(group(m, 1), docYear, group(m, 2) === '上' ? 6 : 12, LAST);
  }
  if ((m = RE_YEAR_END.exec(body))) {
    if (group(m, 2) === '底' && !before) return undefined;
    return resolve(group(m, 1), docYear, 12, LAST);
  }
  if ((m = RE_YEAR_WITHIN.exec(body))) {
    if (before) return undefined;
    return resolve(group(m, 1), docYear, 12, LAST);
  }
  return undefined;
}

function periodic(describe: string): ParsedDeadline {
  return { kind: 'periodic', end: null, yearExplicit: false, describe };
}

function parsePeriodic(body: string, before: boolean): ParsedDeadline | undefined {
  let m: RegExpExecArray | null;
  if ((m = RE_EVERY.exec(body))) {
    if (before) return undefined;
    return periodic(`每${group(m, 1) ?? ''}`);
  }
  if ((m = RE_EVERY_END.exec(body))) {
    if (group(m, 2) === '底' && !before) return undefined;
    const unit = group(m, 1) ?? '';
    return periodic(`每${unit}${unit === '月' || unit === '年' ? '底' : '末'}`);
  }
  if ((m = RE_EVERY_MONTH_DAY.exec(body))) {
    // 1-31 even though short months lack a 31st: "每月31日前" is still read as "by each
    // month's end", which is what drafters mean by it.
    const d = toInt(group(m, 1));
    if (!(d >= 1 && d <= 31)) return undefined;
    return periodic(`每月${d}日`);
  }
  if ((m = RE_EVERY_YEAR_DAY.exec(body))) {
    const month = toInt(group(m, 1));
    const d = toInt(group(m, 2));
    if (!(month >= 1 && month <= 12)) return undefined;
    // A yearly date has to exist every year, hence February is held to 28 days.
    if (!(d >= 1 && d <= daysInMonth(month, 2001))) return undefined;
    return periodic(`每年${month}月${d}日`);
  }
  if ((m = RE_EVERY_YEAR_MONTH_END.exec(body))) {
    if (group(m, 2) === '底' && !before) return undefined;
    const month = toInt(group(m, 1));
    if (!(month >= 1 && month <= 12)) return undefined;
    return periodic(`每年${month}月底`);
  }
  return undefined;
}

/** Parses one 完成时限 text (already trimmed). year: the document's 年度, used when the text names none. Returns undefined when the text is not an accepted form. */
export function parseDeadline(text: string, year: number | undefined): ParsedDeadline | undefined {
  // Callers include untyped JS (the CLI reading YAML), so the declared types are not trusted.
  if (typeof text !== 'string') return undefined;
  const t = normalise(text);
  if (t.length === 0 || t.length > MAX_LENGTH) return undefined;
  if (ONGOING.has(t)) return { kind: 'ongoing', end: null, yearExplicit: false, describe: '长期' };

  // A 年度 that is not a plausible year would only produce nonsense end dates; treating
  // it as absent still accepts the text and leaves the front-matter check to complain.
  const docYear = typeof year === 'number' && validYear(year) ? year : undefined;

  let body = t;
  if (body.endsWith(DONE_SUFFIX)) body = body.slice(0, -DONE_SUFFIX.length);
  let before = false;
  for (const suffix of BEFORE_SUFFIXES) {
    if (body.endsWith(suffix)) {
      body = body.slice(0, -suffix.length);
      before = true;
      break;
    }
  }
  if (body.startsWith('每') || body.startsWith('按')) return parsePeriodic(body, before);
  if (body.startsWith('于') || body.startsWith('在')) body = body.slice(1);
  return parseDate(body, before, docYear);
}

const DAY_TOKEN = '\\d{1,2}|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九]';

/**
 * Meaning-preserving rewrites for the usual slips, applied in order and cumulatively
 * (so "截至12月底" needs two of them). Each one only changes spelling, never what date
 * is meant; anything that would need a guess (a two-digit year, "2020年前", "尽快") is
 * left without a suggestion.
 */
const SUGGEST_STEPS: ReadonlyArray<(s: string) => string> = [
  (s) => s.replace(/\s+/g, ''),
  (s) => s.replace(/[－．／]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)),
  (s) => s.replace(/(\d|[一二三四五六七八九十])号/g, '$1日'),
  (s) => s.replace(/^(?:截至|截止到|截止|直至|到|至)/, '').replace(/(?:为止|止)$/, ''),
  (s) => s.replace(/^(?:今年|本年度|本年|年度)年?(?=[底末内])/, '年'),
  (s) => s.replace(/^(\d{4})年度(?=[底末内]|$)/, '$1年'),
  (s) => s.replace(/月份/g, '月'),
  (s) => s.replace(/季(?!度)/g, '季度'),
  (s) => s.replace(/(季度|半年)底/g, '$1末'),
  // 2020.12.31, 2020/12/31, 2020-6-30 (not strict ISO): spelled out, which is the house style.
  (s) =>
    s.replace(
      /^([于在]?)(\d{4})([./-])(\d{1,2})\3(\d{1,2})日?((?:之|以)?前)?(完成)?$/,
      (_all, pre: string, y: string, _sep: string, mo: string, d: string, bef: string | undefined, done: string | undefined) =>
        `${pre}${y}年${Number(mo)}月${Number(d)}日${bef ?? '前'}${done ?? ''}`,
    ),
  (s) =>
    s.replace(
      /^([于在]?)(\d{4})[./-](\d{1,2})((?:之|以)?前)?(完成)?$/,
      (_all, pre: string, y: string, mo: string, bef: string | undefined, done: string | undefined) =>
        `${pre}${y}年${Number(mo)}月${bef ?? ''}${done ?? ''}`,
    ),
  // "12月31" lost its 日.
  (s) =>
    s.replace(
      new RegExp(`^([^月]{0,8}月)(${DAY_TOKEN})((?:之|以)?前)?(完成)?$`),
      (_all, head: string, d: string, bef: string | undefined, done: string | undefined) =>
        `${head}${d}日${bef ?? '前'}${done ?? ''}`,
    ),
  // "2020年" alone means the whole year; "2020年前" is left alone as it may mean "before 2020".
  (s) => s.replace(/^([于在]?\d{4}年)(完成)?$/, '$1底前$2'),
  (s) => s.replace(/底(完成)?$/, '底前$1'),
];

/** For a text parseDeadline rejects, a canonical accepted rewrite when the intent is unambiguous (e.g. "12月底" -> "12月底前", "2020.12.31" -> "2020年12月31日前", "2020/12/31" -> same, "年底" -> "年底前", "2020年12月31号前" -> "2020年12月31日前"); undefined otherwise. The result must be accepted by parseDeadline. */
export function suggestDeadline(text: string): string | undefined {
  if (typeof text !== 'string') return undefined;
  let s = normalise(text);
  if (s.length === 0 || s.length > MAX_LENGTH) return undefined;
  if (parseDeadline(s, undefined) !== undefined) return undefined;
  for (const step of SUGGEST_STEPS) {
    const next = step(s);
    if (next === s) continue;
    s = next;
    // Returning at the first accepted spelling keeps the rewrite as small as possible.
    if (s.length > 0 && parseDeadline(s, undefined) !== undefined) return s;
  }
  return undefined;
}

/** The forms of spec §5, one example each, for the bad-deadline message (the full list is in docs/dialect.md). */
export const DEADLINE_EXAMPLES = ['2020年12月31日前', '12月31日前', '12月底前', '2020年底前', '年底前', '6月上旬', '第三季度', '三季度末', '上半年', '下半年', '2020-12-31', '每月', '每季度末', '每月28日前', '长期坚持', '常态化'];

/** An ISO date as Chinese writes it: 2020-09-30 → 2020年9月30日. */
export function cnDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${Number(y)}年${Number(m)}月${Number(d)}日`;
}
