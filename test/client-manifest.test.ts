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

type Command = { command: string; title: string; category?: string; icon?: string };
type MenuItem = { command?: string; submenu?: string; when?: string; group?: string; alt?: string };
type Keybinding = { command: string; key: string; mac?: string; when?: string };

const commands = contributes['commands'] as Command[];
const menus = contributes['menus'] as Record<string, MenuItem[]>;
const keybindings = (contributes['keybindings'] ?? []) as Keybinding[];
const PREVIEW_COMMANDS = ['fenjie.showPreview', 'fenjie.showPreviewToSide', 'fenjie.togglePreviewByUnit', 'fenjie.togglePaper'];
const EXPORT_COMMANDS = ['fenjie.exportHtml', 'fenjie.exportWord', 'fenjie.exportExcel', 'fenjie.exportByUnit'];
const CLIENT_SOURCE = () =>
  fs.readdirSync(path.join(ROOT, 'client', 'src'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => fs.readFileSync(path.join(ROOT, 'client', 'src', f), 'utf8'))
    .join('\n');

/** The regular expression of a `=~ /.../` when clause, as VS Code evaluates it. */
function whenRegex(when: string): RegExp {
  const m = /=~\s*\/(.*)\/([a-z]*)/.exec(when);
  assert.ok(m, `a regex in ${when}`);
  return new RegExp(m[1]!, m[2]);
}

test('the preview and export commands: declared with a title in both languages, registered by the client, and only those', () => {
  const en = readJson<Record<string, string>>('package.nls.json');
  const zh = readJson<Record<string, string>>('package.nls.zh-cn.json');
  const expectedZh: Record<string, string> = {
    'fenjie.showPreview': '打开预览',
    'fenjie.showPreviewToSide': '在侧边打开预览',
    'fenjie.togglePreviewByUnit': '切换“按单位”视图',
    'fenjie.togglePaper': '纸面样式',
    'fenjie.exportHtml': '导出为 HTML',
    'fenjie.exportWord': '导出为 Word',
    'fenjie.exportExcel': '导出为 Excel',
    'fenjie.exportByUnit': '按单位导出…',
  };
  for (const id of [...PREVIEW_COMMANDS, ...EXPORT_COMMANDS]) {
    const c = commands.find((x) => x.command === id);
    assert.ok(c, `${id} is declared`);
    assert.equal(c.category, '%command.category%', id);
    const key = /^%(.+)%$/.exec(c.title)?.[1];
    assert.ok(key, `${id}: a localised title`);
    assert.ok(en[key]?.trim(), `package.nls.json ${key}`);
    assert.equal(zh[key], expectedZh[id], `package.nls.zh-cn.json ${key}`);
  }
  for (const id of ['fenjie.showPreview', 'fenjie.showPreviewToSide']) assert.equal(commands.find((x) => x.command === id)?.icon, '$(open-preview)');
  // Each declared command has its handler, and each handler its declaration.
  const registered = new Set([...CLIENT_SOURCE().matchAll(/registerCommand\(\s*'([^']+)'/g)].map((m) => m[1]!));
  assert.deepEqual([...registered].sort(), commands.map((c) => c.command).sort());
});

test('every command a menu or keybinding names is declared; every submenu too', () => {
  const declared = new Set(commands.map((c) => c.command));
  const submenus = new Set(((contributes['submenus'] ?? []) as { id: string; label: string }[]).map((s) => s.id));
  for (const [menu, items] of Object.entries(menus)) {
    for (const item of items) {
      if (item.submenu) assert.ok(submenus.has(item.submenu), `${menu}: submenu ${item.submenu}`);
      else assert.ok(declared.has(item.command!), `${menu}: ${item.command}`);
      if (item.alt) assert.ok(declared.has(item.alt), `${menu}: alt ${item.alt}`);
    }
  }
  for (const k of keybindings) assert.ok(declared.has(k.command), `keybinding ${k.command}`);
  for (const id of submenus) assert.ok(Array.isArray(menus[id]) && menus[id].length > 0, `submenu ${id} has items`);
});

test('the command palette shows the new commands only where they apply', () => {
  const palette = menus['commandPalette']!;
  for (const id of [...PREVIEW_COMMANDS, ...EXPORT_COMMANDS]) {
    const entry = palette.find((m) => m.command === id);
    assert.ok(entry?.when, `${id} has a when clause in the command palette`);
    assert.match(entry.when, /editorLangId == fenjie/, id);
  }
  for (const id of ['fenjie.togglePreviewByUnit', 'fenjie.togglePaper', ...EXPORT_COMMANDS]) {
    assert.match(palette.find((m) => m.command === id)!.when!, /activeWebviewPanelId == 'fenjie\.preview'/, `${id} also from the focused preview`);
  }
});

test('ctrl+k v (cmd+k v) opens the preview to the side in fenjie editors', () => {
  const k = keybindings.find((x) => x.key === 'ctrl+k v');
  assert.ok(k);
  assert.equal(k.command, 'fenjie.showPreviewToSide');
  assert.equal(k.mac, 'cmd+k v');
  assert.equal(k.when, 'editorLangId == fenjie && !notebookEditorFocused');
  for (const x of keybindings) assert.match(x.when ?? '', /editorLangId == fenjie/, `${x.key} only in fenjie editors`);
});

test('editor title: the preview button (as Markdown has), the preview’s toggles, the exports in the … menu', () => {
  const title = menus['editor/title']!;
  const preview = title.find((m) => m.command === 'fenjie.showPreviewToSide');
  assert.ok(preview);
  assert.equal(preview.group, 'navigation');
  assert.equal(preview.alt, 'fenjie.showPreview');
  assert.equal(preview.when, 'resourceLangId == fenjie && !notebookEditorFocused');
  for (const id of ['fenjie.togglePreviewByUnit', 'fenjie.togglePaper']) {
    const m = title.find((x) => x.command === id);
    assert.match(m?.group ?? '', /^navigation/, id);
    assert.equal(m?.when, "activeWebviewPanelId == 'fenjie.preview'", id);
    assert.ok(commands.find((c) => c.command === id)?.icon, `${id} has an icon for the title bar`);
  }
  for (const id of EXPORT_COMMANDS) {
    const m = title.find((x) => x.command === id);
    assert.match(m?.group ?? '', /^1_export(@\d+)?$/, id);
    assert.match(m?.when ?? '', /resourceLangId == fenjie/, id);
  }
});

test('explorer: preview and exports for *.fj.md files only', () => {
  const explorer = menus['explorer/context']!;
  const preview = explorer.find((m) => m.command === 'fenjie.showPreview');
  const exportMenu = explorer.find((m) => m.submenu !== undefined);
  assert.ok(preview?.when && exportMenu?.when && exportMenu.submenu);
  assert.deepEqual(menus[exportMenu.submenu]!.map((m) => m.command).sort(), [...EXPORT_COMMANDS].sort());
  for (const when of [preview.when, exportMenu.when]) {
    assert.match(when, /^resourceFilename =~ /);
    const re = whenRegex(when);
    for (const name of ['通知.fj.md', 'a.b.fj.md']) assert.ok(re.test(name), `${when} matches ${name}`);
    for (const name of ['通知.md', '通知.fj.md.bak', 'fj.md', '通知.fjxmd', '单位名录.yaml']) assert.ok(!re.test(name), `${when} does not match ${name}`);
  }
});

test('the preview script is packaged, and is a plain script that evaluates nothing', () => {
  const ignore = fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8').split(/\r?\n/).map((l) => l.trim());
  assert.ok(ignore.includes('!client/media/preview.js'));
  const script = fs.readFileSync(path.join(ROOT, 'client', 'media', 'preview.js'), 'utf8');
  for (const banned of [/\beval\s*\(/, /new\s+Function\b/, /createElement\s*\(\s*['"]script/i, /document\.write/, /outerHTML\s*=/, /insertAdjacentHTML/, /setTimeout\s*\(\s*['"`]/, /\bimport\s*\(/, /^\s*(import|export)\s/m]) {
    assert.doesNotMatch(script, banned);
  }
  // The only markup it sets is the content container's, from an 'update' message.
  assert.equal(script.match(/innerHTML\s*=/g)?.length, 1);
  assert.match(script, /content\.innerHTML = m\.html;/);
  // The preview page loads it from client/media, the only local resource root.
  const preview = fs.readFileSync(path.join(ROOT, 'client', 'src', 'preview.ts'), 'utf8');
  assert.match(preview, /localResourceRoots: \[media\]/);
  assert.match(preview, /retainContextWhenHidden: false/);
  assert.match(preview, /joinPath\(this\.extensionUri, 'client', 'media', 'preview\.js'\)/);
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
  for (const bundle of ['out/extension.cjs', 'out/server.cjs', 'out/export.cjs', 'out/xlsx.cjs']) {
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
    'docs/cli.md',
    'docs/dialect.md',
    'client/media/preview.js',
    'l10n/bundle.l10n.zh-cn.json',
    'out/export.cjs',
    'out/extension.cjs',
    'out/server.cjs',
    'out/xlsx.cjs',
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
