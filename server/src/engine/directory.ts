import { z } from 'zod';
import { distance } from 'fastest-levenshtein';
import { isMap, isSeq, type Node, type YAMLMap, type Pair } from 'yaml';
import { readYamlMap, nodeRange, type YamlProblem } from './yamlsource.ts';
import type { NameMatcher } from './units.ts';

/** One unit of the 单位名录. */
export interface DirectoryUnit {
  name: string;
  aliases: string[];
  /** Offsets of the name in the directory file. */
  start: number;
  end: number;
}

export interface DirectoryCollective {
  name: string;
  start: number;
  end: number;
}

export type DirectoryHit =
  | { kind: 'unit'; unit: DirectoryUnit }
  | { kind: 'alias'; unit: DirectoryUnit; alias: string }
  | { kind: 'collective'; collective: DirectoryCollective };

/** The ending of a fenjie document's file name. */
export const DOCUMENT_SUFFIX = '.fj.md';

/** The file name looked for in the document's folder and its parents. */
export const DIRECTORY_FILE = '单位名录.yaml';

/** A parsed 单位名录 (spec §6). */
export class Directory implements NameMatcher {
  readonly units: DirectoryUnit[] = [];
  readonly collectives: DirectoryCollective[] = [];
  readonly problems: YamlProblem[] = [];
  private readonly index = new Map<string, DirectoryHit>();
  /** Known names by first character, longest first, for whole matching inside lists. */
  private readonly byFirst = new Map<string, string[]>();

  constructor(
    readonly path: string,
    readonly text: string,
  ) {
    this.read();
    for (const name of this.index.keys()) {
      const first = name[0] as string;
      let list = this.byFirst.get(first);
      if (!list) this.byFirst.set(first, (list = []));
      list.push(name);
    }
    for (const list of this.byFirst.values()) list.sort((a, b) => b.length - a.length);
  }

  lookup(name: string): DirectoryHit | undefined {
    return this.index.get(name);
  }

  longestAt(text: string, at: number, end: number): string | undefined {
    const list = this.byFirst.get(text[at] as string);
    if (!list) return undefined;
    for (const name of list) if (at + name.length <= end && text.startsWith(name, at)) return name;
    return undefined;
  }

  /** Every name a document may use: units, aliases and 泛称. */
  allNames(): string[] {
    return [...this.index.keys()];
  }

  /** The closest known names to an unknown one, best first. */
  suggest(name: string, max = 3): string[] {
    const scored: { name: string; score: number }[] = [];
    const limit = Math.max(1, Math.floor(name.length * 0.4));
    for (const cand of this.index.keys()) {
      let score = distance(name, cand);
      // 财政局 for 市财政局: one is the other with a prefix or suffix.
      if (score > limit && (cand.includes(name) || name.includes(cand)) && Math.min(cand.length, name.length) >= 2) score = limit;
      if (score <= limit) scored.push({ name: this.canonical(cand), score });
    }
    scored.sort((a, b) => a.score - b.score || a.name.length - b.name.length);
    const out: string[] = [];
    for (const s of scored) if (!out.includes(s.name) && out.length < max) out.push(s.name);
    return out;
  }

  /** The full name behind an alias; names and 泛称 map to themselves. */
  canonical(name: string): string {
    const hit = this.index.get(name);
    return hit && hit.kind !== 'collective' ? hit.unit.name : name;
  }

  private add(name: string, hit: DirectoryHit, start: number, end: number): void {
    const prev = this.index.get(name);
    if (prev) {
      this.problems.push({ start, end, severity: 'warning', message: `单位名录中“${name}”出现了不止一次，请删去重复的一处。` });
      return;
    }
    this.index.set(name, hit);
  }

  private read(): void {
    const { entries, problems } = readYamlMap(this.text);
    this.problems.push(...problems);
    const keys = { units: ['单位', 'units'], collective: ['泛称', 'collective'] };
    const seen = new Map<string, string>();
    for (const e of entries) {
      const which = keys.units.includes(e.key) ? 'units' : keys.collective.includes(e.key) ? 'collective' : undefined;
      if (!which) {
        this.problems.push({ start: e.keyStart, end: e.keyEnd, severity: 'warning', message: `单位名录中未知的键“${e.key}”，将被忽略。可用的键：单位、泛称。` });
        continue;
      }
      const earlier = seen.get(which);
      if (earlier !== undefined) {
        // An exact repeat is already a YAML error; say it only when 单位 and units meet.
        if (earlier !== e.key) this.problems.push({ start: e.keyStart, end: e.keyEnd, severity: 'error', message: `“${e.key}”与前面的“${earlier}”是同一个键，请合并为一处。` });
        continue;
      }
      seen.set(which, e.key);
      if (e.value === null || e.value === undefined) continue;
      const node = e.valueNode;
      if (!isSeq(node)) {
        this.problems.push({ start: e.keyStart, end: e.keyEnd, severity: 'error', message: `“${e.key}”应为列表，每行以“- ”开头写一个名称。` });
        continue;
      }
      node.items.forEach((item, i) => {
        const value = (e.value as unknown[])[i];
        if (which === 'collective') this.readCollective(item as Node, value);
        else this.readUnit(item as Node, value);
      });
    }
  }

  private readCollective(node: Node, value: unknown): void {
    const [s, e] = nodeRange(node, 0);
    const r = NAME.safeParse(value);
    if (!r.success) {
      this.problems.push({ start: s, end: e, severity: 'error', message: '泛称应为一个名称（文字）。' });
      return;
    }
    const c = { name: r.data, start: s, end: e };
    this.collectives.push(c);
    this.add(r.data, { kind: 'collective', collective: c }, s, e);
  }

  private readUnit(node: Node, value: unknown): void {
    const [s, e] = nodeRange(node, 0);
    const r = UNIT.safeParse(value);
    if (!r.success) {
      this.problems.push({
        start: s,
        end: e,
        severity: 'error',
        message: '单位应写为名称，或写为“名称: 全称”加“简称: [简称1, 简称2]”。',
      });
      return;
    }
    let start = s;
    let end = e;
    if (isMap(node)) {
      // Point at the name's value, where a rename or go-to-definition should land.
      for (const pair of (node as YAMLMap).items as Pair<Node, Node>[]) {
        const k = (pair.key as unknown as { value?: unknown })?.value;
        if (k === '名称' || k === 'name') [start, end] = nodeRange(pair.value, s);
      }
    }
    const unit: DirectoryUnit = { name: r.data.name, aliases: r.data.aliases, start, end };
    this.units.push(unit);
    this.add(unit.name, { kind: 'unit', unit }, start, end);
    for (const alias of unit.aliases) this.add(alias, { kind: 'alias', unit, alias }, start, end);
  }
}

const NAME = z.union([z.string(), z.number()]).transform((v) => String(v).trim()).pipe(z.string().min(1));
const UNIT = z.union([
  NAME.transform((name) => ({ name, aliases: [] as string[] })),
  z
    .record(z.string(), z.unknown())
    .transform((o, ctx) => {
      const name = o['名称'] ?? o['name'];
      const aliases = o['简称'] ?? o['aliases'] ?? [];
      const unknown = Object.keys(o).filter((k) => !['名称', 'name', '简称', 'aliases'].includes(k));
      const n = NAME.safeParse(name);
      const a = z.union([NAME.transform((x) => [x]), z.array(NAME)]).safeParse(aliases);
      if (!n.success || !a.success || unknown.length) {
        ctx.addIssue({ code: 'custom', message: 'unit' });
        return z.NEVER;
      }
      return { name: n.data, aliases: a.data };
    }),
]);
