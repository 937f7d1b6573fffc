/**
 * Generates realistic 任务分解表 documents in the fenjie dialect (docs/dialect.md) for benchmarks: front matter, `##` categories numbered
 * 一、二、… each holding an ordered list of 10 tasks, every task a two-line paragraph
 * (task + measures) and three field lines (牵头单位, 责任单位, 完成时限) as nested items.
 * Task numbers run 1..N through the whole document. The output is deterministic (seeded
 * PRNG) and clean: it should draw no diagnostics against generateDirectory().
 */

import { seededRandom } from '../helpers.ts';

/** Concrete units (may lead). Aliases are listed in the directory as 简称. */
const UNITS: ReadonlyArray<{ name: string; aliases?: string[] }> = [
  { name: '营商环境建设局' },
  { name: '市场监督管理局', aliases: ['市监局'] },
  { name: '财政局' },
  { name: '发展和改革局', aliases: ['发改局'] },
  { name: '教育局' },
  { name: '科学技术局', aliases: ['科技局'] },
  { name: '工业和信息化局', aliases: ['工信局'] },
  { name: '公安分局' },
  { name: '民政局' },
  { name: '司法局' },
  { name: '人力资源和社会保障局', aliases: ['人社局'] },
  { name: '自然资源局' },
  { name: '生态环境分局' },
  { name: '住房和城乡建设局', aliases: ['住建局'] },
  { name: '交通运输局' },
  { name: '农业农村局' },
  { name: '商务局' },
  { name: '文化和旅游局', aliases: ['文旅局'] },
  { name: '卫生健康局', aliases: ['卫健局'] },
  { name: '应急管理局', aliases: ['应急局'] },
  { name: '审计局' },
  { name: '统计局' },
  { name: '医疗保障局', aliases: ['医保局'] },
  { name: '政务服务和数据管理局', aliases: ['数据局'] },
  { name: '管委会办公室' },
  { name: '新闻信息中心' },
];

/** Collective names (泛称): valid responsible units, never a lead. */
const COLLECTIVES: readonly string[] = ['各单位', '各部门', '各镇（街道、开发区）', '宣传、网信部门', '各单位按职能分别落实'];

/** Deadlines in many accepted forms (spec §5), all ending inside 2020 after 2020-09-30. */
const DEADLINES: ReadonlyArray<readonly [form: string, weight: number]> = [
  ['12月底前', 30],
  ['年底前', 8],
  ['2020年底前', 6],
  ['2020年12月31日前', 5],
  ['12月31日前', 4],
  ['11月底前', 4],
  ['10月下旬', 2],
  ['11月中旬', 2],
  ['12月上旬', 2],
  ['第四季度', 3],
  ['四季度末', 2],
  ['下半年', 3],
  ['2020-12-31', 2],
  ['2020年11月30日前', 2],
  ['每月', 2],
  ['每季度', 2],
  ['每季度末', 2],
  ['每年', 1],
  ['每月28日前', 1],
  ['长期常态化', 8],
  ['长期坚持', 3],
  ['持续推进', 3],
  ['常态化', 2],
];

const CATEGORY_TOPICS: readonly string[] = [
  '加强权力配置信息和决策信息的公开',
  '聚焦“六稳”“六保”工作加强政策解读',
  '以政务公开助推营商环境持续优化',
  '加强疫情防控和公共卫生信息公开',
  '深化重点领域信息公开',
  '推进基层政务公开标准化规范化',
  '提升政务公开平台建设水平',
  '做好依申请公开工作',
  '加强政务舆情回应和互动交流',
  '强化政务公开工作保障',
  '推进决策过程和结果公开',
  '深化财政预决算信息公开',
  '加强民生领域信息公开',
  '推进公共资源配置信息公开',
  '加强政策解读和宣传引导',
];

const DOMAINS: readonly string[] = [
  '财政资金', '重大建设项目', '公共资源交易', '义务教育', '社会救助', '食品药品安全', '生态环境保护',
  '安全生产', '就业创业', '医疗卫生', '住房保障', '征地补偿', '农村集体资产', '户籍管理', '市政服务',
  '养老服务', '公共文化服务', '涉企收费', '行政执法', '城乡规划', '交通运输', '灾害事故救援', '税费减免',
  '退役军人服务', '扶贫脱贫', '统计数据', '审计结果', '政府采购', '国有企业', '重点民生实事',
];

const VERBS: readonly string[] = [
  '加强', '推进', '深化', '做好', '规范', '完善', '健全', '强化', '扎实推进', '全面推行',
  '持续做好', '着力加强', '稳步推进', '大力推进', '切实做好', '统筹推进', '全面落实',
];

const OBJECTS: readonly string[] = [
  '信息公开工作', '政策解读工作', '办事服务公开', '信息主动公开', '数据开放共享', '监督检查结果公开',
  '政策文件清理', '公开目录编制', '标准化规范化建设', '政务新媒体管理', '依申请公开办理', '舆情回应机制',
];

const MEASURE_SENTENCES: readonly string[] = [
  '各单位要对照法律法规规章，全面梳理本机关依法行使的行政权力和依法承担的公共服务职责，及时更新调整权责清单并按照要求公开。',
  '通过政府网站、政务新媒体和政务服务大厅等渠道，全面准确公开办事指南、办事流程和监督举报方式等信息。',
  '围绕群众关切，及时发布权威信息，加强政策解读，主动回应社会关注，切实增强政府公信力。',
  '建立健全信息发布协调机制，明确责任分工，规范发布程序，确保公开内容准确、及时、完整。',
  '按照“谁制作、谁公开，谁保存、谁公开”的原则，做好政府信息的发布、更新和维护工作。',
  '加大对基层政务公开工作的指导力度，推动公开事项标准目录编制，确保权力运行到哪里，公开和监督就延伸到哪里。',
  '定期开展自查和专项检查，对发现的问题及时督促整改，整改情况纳入年度绩效考核。',
  '利用大数据等技术手段，推进政务数据共享开放，提高信息管理效率，降低政务信息管理成本。',
  '坚持以公开为常态、不公开为例外，依法依规做好信息公开前的保密审查，防止泄露国家秘密和个人隐私。',
  '组织开展政务公开业务培训，提升工作人员的业务能力和依法公开意识。',
  '对涉及群众切身利益的重要政策，在出台前广泛征求意见，并及时反馈意见采纳情况。',
  '健全政策解读与政策文件同步起草、同步审签、同步发布制度，着重从政策背景、决策依据和重要举措等方面开展解读。',
];

const DIGITS = '零一二三四五六七八九';
const SMALL_UNITS = ['', '十', '百', '千'];

/** 1 → 一, 10 → 十, 21 → 二十一, 101 → 一百零一, 110 → 一百一十, 1005 → 一千零五 (1..9999). */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 9999) throw new RangeError(`chineseNumeral: ${n} is outside 1..9999`);
  const digits = String(n).split('').map(Number);
  let out = '';
  let pendingZero = false;
  for (let i = 0; i < digits.length; i++) {
    const d = digits[i] as number;
    const unit = SMALL_UNITS[digits.length - 1 - i] as string;
    if (d === 0) {
      pendingZero = out !== '';
      continue;
    }
    if (pendingZero) out += '零';
    pendingZero = false;
    // 十一 rather than 一十一 when the number starts in the tens.
    out += d === 1 && unit === '十' && i === 0 ? unit : DIGITS[d] + unit;
  }
  return out;
}

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

function pickWeighted(rand: () => number, list: ReadonlyArray<readonly [string, number]>): string {
  const total = list.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [form, w] of list) {
    r -= w;
    if (r < 0) return form;
  }
  return (list[list.length - 1] as readonly [string, number])[0];
}

/** A task text that is unique for every index below DOMAINS × VERBS × OBJECTS (6,120). */
function taskText(index: number): string {
  const d = DOMAINS.length;
  const v = VERBS.length;
  const o = OBJECTS.length;
  const k = index % (d * v * o);
  const domain = DOMAINS[k % d] as string;
  const verb = VERBS[Math.floor(k / d) % v] as string;
  const object = OBJECTS[Math.floor(k / (d * v)) % o] as string;
  return `${verb}${domain}${object}。`;
}

/** The measures line: one sentence, or two (as in the seed tables, with varying length). */
function measures(rand: () => number): string {
  const first = Math.floor(rand() * MEASURE_SENTENCES.length);
  if (rand() >= 0.42) return MEASURE_SENTENCES[first] as string;
  let second = Math.floor(rand() * (MEASURE_SENTENCES.length - 1));
  if (second >= first) second++;
  return (MEASURE_SENTENCES[first] as string) + (MEASURE_SENTENCES[second] as string);
}

/** Unit name as written: usually the full name, sometimes a 简称. */
function written(rand: () => number, unit: { name: string; aliases?: string[] }): string {
  return unit.aliases && rand() < 0.2 ? (unit.aliases[0] as string) : unit.name;
}

function responsible(rand: () => number, leadIndex: number): string {
  const r = rand();
  if (r < 0.15) return pick(rand, COLLECTIVES);
  const count = r < 0.55 ? 2 : r < 0.85 ? 3 : 4;
  const chosen = new Set<number>([leadIndex]);
  const names: string[] = [];
  while (names.length < count - (r > 0.7 ? 1 : 0)) {
    const i = Math.floor(rand() * UNITS.length);
    if (chosen.has(i)) continue;
    chosen.add(i);
    names.push(written(rand, UNITS[i] as { name: string; aliases?: string[] }));
  }
  // Often ends with a collective, as the seeds do (财政局、审计局、各单位).
  if (r > 0.7) names.push(pick(rand, ['各单位', '各部门', '各镇（街道、开发区）']));
  return names.join('、');
}

/**
 * A breakdown of `tasks` tasks: front matter, a title, `## 一、…` categories of 10 tasks
 * each (the last may hold fewer), task numbers 1..N continuous across the lists.
 * About 395 bytes of UTF-8 per task: 2,000 tasks give about 790 KB.
 */
export function generateDocument(tasks: number): string {
  if (!Number.isInteger(tasks) || tasks < 0) throw new RangeError(`generateDocument: bad task count ${tasks}`);
  const rand = seededRandom(0x5eed + tasks);
  const out: string[] = [
    '---',
    '标题: 关于印发《2020年政务公开工作要点重点任务分解表》的通知',
    '成文日期: 2020-09-30',
    '年度: 2020',
    '---',
    '',
    '# 2020年政务公开工作要点重点任务分解表',
    '',
  ];
  const categories = Math.ceil(tasks / 10);
  let n = 0;
  for (let c = 1; c <= categories; c++) {
    out.push(`## ${chineseNumeral(c)}、${CATEGORY_TOPICS[(c - 1) % CATEGORY_TOPICS.length]}`, '');
    for (let t = 0; t < 10 && n < tasks; t++) {
      n++;
      const marker = `${n}. `;
      const indent = ' '.repeat(marker.length);
      const leadIndex = Math.floor(rand() * UNITS.length);
      const lead = written(rand, UNITS[leadIndex] as { name: string; aliases?: string[] });
      out.push(
        marker + taskText(n - 1),
        indent + measures(rand),
        `${indent}- 牵头单位：${lead}`,
        `${indent}- 责任单位：${responsible(rand, leadIndex)}`,
        `${indent}- 完成时限：${pickWeighted(rand, DEADLINES)}`,
        '',
      );
    }
  }
  return out.join('\n');
}

/** The 单位名录 (spec §6) for generated documents: every unit, its 简称, and the 泛称. */
export function generateDirectory(): string {
  const out = ['# 生成的任务分解表所用单位（基准测试）', '单位:'];
  for (const u of UNITS) {
    if (u.aliases) out.push(`  - 名称: ${u.name}`, `    简称: [${u.aliases.join(', ')}]`);
    else out.push(`  - ${u.name}`);
  }
  out.push('泛称:');
  for (const c of COLLECTIVES) out.push(`  - ${c}`);
  return out.join('\n') + '\n';
}
