/**
 * The extension's manifest and package: settings generated from the server's schema, every
 * localised string present in English and Chinese, the files VS Code is pointed at present,
 * and a .vsix that holds exactly what runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { ROOT } from './helpers.ts';
import { generateSettings } from '../client/scripts/gen-settings.ts';
import { META_KEYS } from '../server/src/engine/frontmatter.ts';
import { FIELD_NAMES } from '../server/src/engine/fields.ts';

type Json = Record<string, unknown>;

function readJson<T = Json>(file: string): T {
  return JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as T;
}

const pkg = readJson('package.json');
const contributes = pkg['contributes'] as Json;
const NLS_FILES = ['package.nls.json', 'package.nls.zh-cn.json'] as const;
const HAN = /\p{Script=Han}/u;

test('contributes.configuration is what `npm run gen:settings` generates from server/src/settings.ts', () => {
  const generated = generateSettings();
  assert.deepEqual(contributes['configuration'], JSON.parse(JSON.stringify(generated.configuration)), 'run `npm run gen:settings`');
  for (const file of NLS_FILES) {
    const nls = readJson<Record<string, string>>(file);
    for (const [key, value] of Object.entries(generated.nls[file])) assert.equal(nls[key], value, `${file} ${key}: run \`npm run gen:settings\``);
  }
});

test('every %key% in package.json exists in both nls files, and the nls files hold nothing else', () => {
  const used = new Set([...JSON.stringify(pkg).matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]!));
  assert.ok(used.size >= 5, 'package.json refers to its strings');
  for (const file of NLS_FILES) {
    const nls = readJson<Record<string, string>>(file);
    for (const key of used) assert.ok(typeof nls[key] === 'string' && nls[key].trim() !== '', `${file} lacks ${key}`);
    assert.deepEqual(Object.keys(nls).sort(), [...used].sort(), `${file} has unused keys`);
  }
  // Chinese users see the zh-cn strings: each must be Chinese, not an untranslated copy.
  const en = readJson<Record<string, string>>('package.nls.json');
  const zh = readJson<Record<string, string>>('package.nls.zh-cn.json');
  for (const key of used) {
    assert.match(zh[key]!, HAN, `package.nls.zh-cn.json ${key} is Chinese`);
    assert.notEqual(zh[key], en[key], `${key} is translated`);
  }
});

test('every vscode.l10n.t() string of the client has a Chinese translation with the same placeholders', () => {
  const source = fs.readdirSync(path.join(ROOT, 'client', 'src'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => fs.readFileSync(path.join(ROOT, 'client', 'src', f), 'utf8'))
    .join('\n');
  const keys = new Set([...source.matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1]!));
  assert.ok(keys.size > 0);
  const bundle = readJson<Record<string, string>>('l10n/bundle.l10n.zh-cn.json');
  assert.deepEqual(Object.keys(bundle).sort(), [...keys].sort());
  const placeholders = (s: string): string[] => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();
  for (const key of keys) {
    assert.match(bundle[key]!, HAN, key);
    assert.deepEqual(placeholders(bundle[key]!), placeholders(key), key);
  }
});

test('the language, grammar, snippets and entry point the manifest names exist', () => {
  assert.equal(pkg['main'], './out/extension.cjs');
  assert.deepEqual(pkg['activationEvents'], ['onLanguage:fenjie']);
  const capabilities = pkg['capabilities'] as { untrustedWorkspaces?: { supported?: unknown } };
  assert.equal(capabilities.untrustedWorkspaces?.supported, 'limited');
  assert.ok(fs.existsSync(path.join(ROOT, String(pkg['l10n']), 'bundle.l10n.zh-cn.json')));

  const [language, ...otherLanguages] = contributes['languages'] as Json[];
  assert.equal(otherLanguages.length, 0);
  assert.equal(language!['id'], 'fenjie');
  assert.deepEqual(language!['extensions'], ['.fj.md']);
  assert.deepEqual(language!['aliases'], ['任务分解表', 'fenjie']);
  const config = readJson(String(language!['configuration']));
  const pairs = (config['autoClosingPairs'] as { open: string; close: string }[]).map((p) => p.open + p.close);
  for (const pair of ['（）', '【】', '“”']) assert.ok(pairs.includes(pair), `auto-closes ${pair}`);

  const [grammar] = contributes['grammars'] as Json[];
  assert.equal(grammar!['language'], 'fenjie');
  const tm = readJson(String(grammar!['path']));
  assert.equal(tm['scopeName'], grammar!['scopeName']);
  assert.equal(tm['scopeName'], 'text.html.markdown.fenjie');

  for (const s of contributes['snippets'] as Json[]) {
    assert.equal(s['language'], 'fenjie');
    assert.ok(fs.existsSync(path.join(ROOT, String(s['path']))));
  }
  for (const c of contributes['commands'] as Json[]) assert.match(String(c['command']), /^fenjie\./);
});

test('snippets: Chinese descriptions; the front matter has every key; the fields are real field names', () => {
  const snippets = readJson<Record<string, { prefix: string[]; body: string[]; description: string }>>('snippets/fenjie.json');
  const all = Object.values(snippets);
  assert.equal(all.length, 3);
  for (const s of all) assert.match(s.description, HAN);
  const frontMatter = all.find((s) => s.body[0] === '---');
  assert.ok(frontMatter, 'a front-matter snippet');
  const keys = frontMatter.body.filter((l) => /^[^\s-][^:]*:/.test(l)).map((l) => l.slice(0, l.indexOf(':')));
  assert.deepEqual(keys, META_KEYS.map((k) => k.zh));
  const names = new Set(Object.values(FIELD_NAMES).flat());
  for (const s of all) {
    for (const m of s.body.join('\n').matchAll(/^\s*- (\S+?)：/gm)) assert.ok(names.has(m[1]!), m[1]);
  }
});

test('the .vsix holds exactly the files that run (vsce ls)', () => {
  for (const bundle of ['out/extension.cjs', 'out/server.cjs']) {
    assert.ok(fs.existsSync(path.join(ROOT, bundle)), `${bundle}: run \`npm run build\` first`);
  }
  const vsce = path.join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
  const listed = execFileSync(vsce, ['ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 })
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .sort();
  const expected = [
    'README.md',
    'client/language-configuration.json',
    'l10n/bundle.l10n.zh-cn.json',
    'out/extension.cjs',
    'out/server.cjs',
    'package.json',
    'package.nls.json',
    'package.nls.zh-cn.json',
    'snippets/fenjie.json',
    'syntaxes/fenjie.tmLanguage.json',
    // A license file goes in when the project adds one.
    ...(fs.existsSync(path.join(ROOT, 'LICENSE')) ? ['LICENSE'] : []),
  ].sort();
  assert.deepEqual(listed, expected);
});
