import { parseDocument, isMap, isScalar, isSeq, visit, type Document, type Node, type Pair, type YAMLMap } from 'yaml';

/** A problem found while reading YAML, with offsets into the YAML text. */
export interface YamlProblem {
  start: number;
  end: number;
  message: string;
  severity: 'error' | 'warning';
  /** A text that replaces start..end and resolves the problem. */
  replace?: string;
}

export interface YamlEntry {
  /** The key as written. */
  key: string;
  keyStart: number;
  keyEnd: number;
  /** The value, converted to plain data; undefined when it could not be read. */
  value: unknown;
  valueNode: Node | null;
}

export interface YamlMapResult {
  entries: YamlEntry[];
  problems: YamlProblem[];
  /** False when the text is not a mapping at all (empty text counts as an empty mapping). */
  isMapping: boolean;
}

function nodeRange(node: { range?: [number, number, number] | null } | null | undefined, fallback: number): [number, number] {
  const r = node?.range;
  return r ? [r[0], Math.max(r[0], r[1])] : [fallback, fallback];
}

const YAML_MESSAGES: Record<string, string> = {
  DUPLICATE_KEY: '键重复',
  BAD_INDENT: '缩进不正确',
  MISSING_CHAR: '缺少字符（如引号或括号未闭合）',
  MULTILINE_IMPLICIT_KEY: '键不能跨行，冒号后可能缺少空格',
  BLOCK_AS_IMPLICIT_KEY: '键的写法不正确',
  UNEXPECTED_TOKEN: '出现了意外的字符',
  TAB_AS_INDENT: '不能用 Tab 缩进，请改用空格',
  BAD_SCALAR_START: '值的开头字符不正确，请给该值加引号',
};

/**
 * Reads a YAML mapping for the front matter or the 单位名录. Aliases are refused outright
 * (a billion-laughs document is a few lines of aliases), so no value is ever expanded.
 */
export function readYamlMap(source: string): YamlMapResult {
  const problems: YamlProblem[] = [];
  // The YAML reader knows \n and \r\n; a lone \r (old Mac files) becomes \n, same length.
  const text = source.includes('\r') ? source.replace(/\r(?!\n)/g, '\n') : source;
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, strict: true, logLevel: 'error' });
  } catch {
    return { entries: [], problems: [{ start: 0, end: 0, message: '无法读取 YAML 内容', severity: 'error' }], isMapping: false };
  }
  for (const e of doc.errors) {
    let [s, en] = e.pos;
    // An error found at the end (an unclosed bracket or quote) is shown on the last written line.
    if (text.slice(s).trim() === '') {
      const last = text.trimEnd().length;
      s = Math.max(0, last - 1);
      en = last;
    }
    const reason = YAML_MESSAGES[e.code] ?? 'YAML 格式错误';
    problems.push({ start: s, end: Math.max(s, en), message: `YAML 格式错误：${reason}。`, severity: 'error' });
  }
  let hasAlias = false;
  visit(doc, {
    Alias(_key, node) {
      hasAlias = true;
      const [s, e] = nodeRange(node, 0);
      problems.push({ start: s, end: e, message: '不支持 YAML 锚点和别名（*名称）：请直接写出内容。', severity: 'error' });
    },
  });
  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && (contents.value === null || contents.value === ''))) {
    return { entries: [], problems, isMapping: true };
  }
  if (!isMap(contents)) {
    const [s, e] = nodeRange(contents, 0);
    problems.push({ start: s, end: e, message: '内容应为“键: 值”的形式。', severity: 'error' });
    return { entries: [], problems, isMapping: false };
  }
  const entries: YamlEntry[] = [];
  for (const pair of (contents as YAMLMap).items as Pair<Node | null, Node | null>[]) {
    const keyNode = pair.key;
    const [ks, ke] = nodeRange(keyNode, 0);
    const key = isScalar(keyNode) ? String(keyNode.value ?? '') : '';
    let value: unknown;
    const v = pair.value;
    if (!hasAlias || !containsAlias(v)) {
      try {
        value = v === null ? null : v.toJS(doc, { maxAliasCount: 0 });
      } catch {
        value = undefined;
      }
    }
    entries.push({ key, keyStart: ks, keyEnd: ke, value, valueNode: v });
  }
  return { entries, problems, isMapping: true };
}

function containsAlias(node: Node | null): boolean {
  let found = false;
  if (node === null) return false;
  visit(node, {
    Alias() {
      found = true;
      return visit.BREAK;
    },
  });
  return found;
}

/** Range of a node, or of the item at `index` of a sequence node. */
export function itemRange(node: Node | null, index: number | undefined, fallback: [number, number]): [number, number] {
  if (node && index !== undefined && isSeq(node)) {
    const item = node.items[index] as Node | undefined;
    if (item) return nodeRange(item, fallback[0]);
  }
  if (node) return nodeRange(node, fallback[0]);
  return fallback;
}

export { nodeRange };
