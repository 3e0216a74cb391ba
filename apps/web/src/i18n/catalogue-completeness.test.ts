/**
 * Every word a user reads comes from the catalogue. A static check over the web app's components: JSX text, string
 * literals put in the page, and the user-facing attributes (aria-label, title, placeholder, alt, label) must go
 * through t() (or be data). It fails with the place of each stray string, so it can be moved into fr.ts / en.ts or
 * a feature's messages.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseAst } from 'rolldown/parseAst';
import { describe, expect, it } from 'vitest';
import { ALERT_RULE_LABELS } from '@vigie/domain/alert.schema';
import { VALIDATION_MESSAGES } from '@vigie/domain/messages';
import { PROBLEMS } from '@vigie/domain/problems';
import { FEATURES } from '../features/registry';
import { en } from './en';
import { fr } from './fr';

const SRC = path.resolve(import.meta.dirname, '..');
const USER_FACING_ATTRIBUTES = new Set(['aria-label', 'aria-description', 'aria-roledescription', 'title', 'placeholder', 'alt', 'label']);
/** Written the same in every language: the product's name, symbols, units and separators. */
const ALLOWED = new Set(['Vigie', 'UTC', 'km', 'OK', 'PDF', 'CSV', 'GeoJSON', 'TOTP', '2FA', 'QR']);
/** A string with a word in it (two letters or more), not a symbol, number, code-like token or separator. */
const hasWords = (s: string) => /\p{L}{2,}/u.test(s) && !ALLOWED.has(s.trim());

function files(dir: string, ext = '.tsx'): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return files(p, ext);
    return e.name.endsWith(ext) && !e.name.includes('.test.') ? [p] : [];
  });
}

interface Node { type: string; start: number; end: number; [k: string]: unknown }
const isNode = (v: unknown): v is Node => !!v && typeof v === 'object' && typeof (v as Node).type === 'string';

/** The strings of one file a user would read without them passing through the catalogue. */
export function strayStrings(source: string, file: string): { line: number; text: string }[] {
  const ast = parseAst(source, { lang: file.endsWith('.tsx') ? 'tsx' : 'ts' }, file) as unknown as Node;
  const out: { at: number; text: string }[] = [];
  const literalText = (n: Node | undefined): string | null => {
    if (!n) return null;
    if (n.type === 'Literal' && typeof n.value === 'string') return n.value;
    if (n.type === 'TemplateLiteral') return (n.quasis as Node[]).map((q) => (q.value as { cooked: string }).cooked).join(' ');
    if (n.type === 'ConditionalExpression') return [literalText(n.consequent as Node), literalText(n.alternate as Node)].filter(Boolean).join(' ') || null;
    if (n.type === 'LogicalExpression') return literalText(n.right as Node);
    return null;
  };
  const visit = (n: unknown, parent?: Node): void => {
    if (Array.isArray(n)) { for (const c of n) visit(c, parent); return; }
    if (!isNode(n)) return;
    if (n.type === 'JSXText' && hasWords(String(n.value))) out.push({ at: n.start, text: String(n.value).trim() });
    // French puts a space before the colon, English does not: the separator is t('common.sep').
    else if (n.type === 'JSXText' && /\s:\s/.test(String(n.value))) out.push({ at: n.start, text: String(n.value) });
    if (n.type === 'JSXExpressionContainer' && parent && (parent.type === 'JSXElement' || parent.type === 'JSXFragment')) {
      const text = literalText(n.expression as Node);
      if (text && hasWords(text)) out.push({ at: n.start, text });
    }
    if (n.type === 'JSXAttribute') {
      const name = (n.name as Node & { name: string }).name;
      if (USER_FACING_ATTRIBUTES.has(name)) {
        const v = n.value as Node | null;
        const text = v?.type === 'JSXExpressionContainer' ? literalText(v.expression as Node) : literalText(v ?? undefined);
        if (text && hasWords(text)) out.push({ at: n.start, text });
      }
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'start' && k !== 'end' && typeof v === 'object') visit(v, n);
  };
  visit(ast);
  return out.map(({ at, text }) => ({ line: source.slice(0, at).split('\n').length, text }));
}

type Tree = { [k: string]: unknown };
/** Every feature's page strings (messages.ts, which register themselves as they load), by feature id, with the file. */
const pageStrings = new Map<string, { file: string; strings: Tree }>();
for (const [rel, mod] of Object.entries(import.meta.glob<{ fr: Tree }>('../features/**/*messages.ts', { eager: true }))) {
  const file = path.resolve(import.meta.dirname, rel);
  const id = /registerFeatureStrings\('([a-z_]+)'/.exec(fs.readFileSync(file, 'utf8'))?.[1];
  if (id) pageStrings.set(id, { file, strings: mod.fr });
}
const catalogues: Record<'fr' | 'en', Tree> = { fr: { ...fr }, en: { ...en } };
for (const f of FEATURES) {
  if (!f.messages) continue;
  catalogues.fr[f.id] = { ...(catalogues.fr[f.id] as Tree | undefined), ...f.messages.shell, ...pageStrings.get(f.id)?.strings };
  catalogues.en[f.id] = { ...(catalogues.en[f.id] as Tree | undefined), ...(await f.messages.en()) };
}

/** Whether a key (or, for a key built at run time, its fixed prefix) is in a catalogue; plural keys count by their _one/_other forms. */
function resolves(tree: Tree, key: string, prefixOnly: boolean): boolean {
  const parts = key.split('.');
  let node: unknown = tree;
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    if (last && prefixOnly) return part === '' ? typeof node === 'object' && node !== null : Object.keys(node as Tree).some((k) => k.startsWith(part));
    const here = (node as Tree)[part];
    if (here === undefined && last) return `${part}_other` in (node as Tree) || `${part}_one` in (node as Tree);
    if (here === undefined || typeof node !== 'object') return false;
    node = here;
  }
  return typeof node === 'string';
}

/** The keys t() is called with in a file: fixed strings, and the fixed start of template keys. */
function keysUsed(source: string, file: string): { line: number; key: string; prefixOnly: boolean }[] {
  const ast = parseAst(source, { lang: file.endsWith('.tsx') ? 'tsx' : 'ts' }, file) as unknown as Node;
  const out: { at: number; key: string; prefixOnly: boolean }[] = [];
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) { for (const c of n) visit(c); return; }
    if (!isNode(n)) return;
    if (n.type === 'CallExpression' && (n.callee as Node & { name?: string }).name === 't') {
      const arg = (n.arguments as Node[])[0];
      if (arg?.type === 'Literal' && typeof arg.value === 'string') out.push({ at: n.start, key: arg.value, prefixOnly: false });
      if (arg?.type === 'TemplateLiteral') {
        const head = ((arg.quasis as Node[])[0]?.value as { cooked: string }).cooked;
        if (head.includes('.')) out.push({ at: n.start, key: head, prefixOnly: (arg.quasis as Node[]).length > 1 });
      }
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'start' && k !== 'end' && typeof v === 'object') visit(v);
  };
  visit(ast);
  return out.map(({ at, key, prefixOnly }) => ({ line: source.slice(0, at).split('\n').length, key, prefixOnly }));
}

/**
 * The keys of a feature's page strings a file names (any string literal `<id>.<key>`, or the fixed start of a template,
 * that is a key of that feature's messages.ts and not of its shell strings), by feature id.
 */
function pageKeysNamed(source: string, file: string): Map<string, string[]> {
  const ast = parseAst(source, { lang: file.endsWith('.tsx') ? 'tsx' : 'ts' }, file) as unknown as Node;
  const out = new Map<string, string[]>();
  const consider = (key: string, prefixOnly: boolean) => {
    const id = key.split('.')[0] ?? '';
    const page = pageStrings.get(id);
    if (!page || !key.includes('.')) return;
    const shell = (FEATURES.find((f) => f.id === id)?.messages?.shell ?? {}) as Tree;
    const rest = key.slice(id.length + 1);
    if (resolves(page.strings, rest, prefixOnly) && !resolves(shell, rest, prefixOnly)) out.set(id, [...(out.get(id) ?? []), key]);
  };
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) { for (const c of n) visit(c); return; }
    if (!isNode(n)) return;
    if (n.type === 'ImportDeclaration') return;
    if (n.type === 'Literal' && typeof n.value === 'string') consider(n.value, false);
    if (n.type === 'TemplateLiteral') {
      const quasis = n.quasis as Node[];
      consider((quasis[0]?.value as { cooked: string }).cooked, quasis.length > 1);
    }
    for (const [k, v] of Object.entries(n)) if (k !== 'start' && k !== 'end' && typeof v === 'object') visit(v);
  };
  visit(ast);
  return out;
}

/** The files a module imports (relative specifiers, resolved; `.ts`/`.tsx` added). */
function importsOf(source: string, file: string): Set<string> {
  const ast = parseAst(source, { lang: file.endsWith('.tsx') ? 'tsx' : 'ts' }, file) as unknown as Node & { body: Node[] };
  const specs = ast.body.filter((n) => n.type === 'ImportDeclaration' && (n as Node & { importKind?: string }).importKind !== 'type')
    .map((n) => ((n.source as Node).value as string)).filter((s) => s.startsWith('.'));
  return new Set(specs.flatMap((s) => { const p = path.resolve(path.dirname(file), s); return [p, `${p}.ts`, `${p}.tsx`]; }));
}

describe('the catalogue covers the interface', () => {
  it('loads a page’s strings with the code that shows them: each file naming a feature’s page key imports its messages.ts', () => {
    // Those strings join the catalogue when their messages.ts is evaluated (i18n/feature-strings.ts): a module that shows
    // them and does not import it would show raw keys whenever it is loaded before another module that does.
    const all = [...files(SRC), ...files(SRC, '.ts')].filter((f) => !/messages(\.en)?\.ts$/.test(f));
    const missing = all.flatMap((f) => {
      const source = fs.readFileSync(f, 'utf8');
      const imported = importsOf(source, f);
      return [...pageKeysNamed(source, f)].filter(([id]) => !imported.has(pageStrings.get(id)?.file ?? '')).map(([id, keys]) => `${path.relative(SRC, f)}  ${id}: ${keys.slice(0, 3).join(', ')}`);
    });
    expect(missing, `Import the feature's messages.ts in these files:\n${missing.join('\n')}`).toEqual([]);
  });


  it('finds missing keys (the check itself)', () => {
    const used = keysUsed("t('alerts.nope'); t(`alerts.rule.${r}`); t('alerts.evidence', { count }); t(`zzz.${x}`); t('common.save')", 'a.ts');
    expect(used.filter((k) => !resolves(catalogues.fr, k.key, k.prefixOnly)).map((k) => k.key)).toEqual(['alerts.nope', 'zzz.']);
  });

  it('writes French with the typographic apostrophe (’), never the straight one', () => {
    const strings = (o: unknown): string[] => (typeof o === 'string' ? [o] : o && typeof o === 'object' ? Object.values(o).flatMap(strings) : []);
    const french = [
      ...strings(catalogues.fr), ...Object.values(VALIDATION_MESSAGES).map((m) => m.fr),
      ...Object.values(PROBLEMS).map((p) => p.title.fr), ...Object.values(ALERT_RULE_LABELS).map((l) => l.fr),
    ];
    expect(french.filter((s) => /\p{L}'\p{L}/u.test(s))).toEqual([]);
  });

  it('has every key the components ask for, in French and in English (a missing key shows as a raw code)', () => {
    const all = [...files(SRC), ...files(SRC, '.ts')];
    const missing = all.flatMap((f) => keysUsed(fs.readFileSync(f, 'utf8'), f).flatMap((k) =>
      (['fr', 'en'] as const).filter((lang) => !resolves(catalogues[lang], k.key, k.prefixOnly)).map((lang) => `${path.relative(SRC, f)}:${k.line}  ${lang}  ${k.key}${k.prefixOnly ? '…' : ''}`)));
    expect(missing, `Keys missing from the catalogue:\n${missing.join('\n')}`).toEqual([]);
  });

  it('finds stray strings where they are (the check itself)', () => {
    const found = strayStrings(`export const A = () => <p title="Bonjour" aria-label={t('x')}>Texte brut {'encore'} {t('ok')} {n} · — <b>Vigie</b> {a} : {b}</p>;`, 'a.tsx');
    expect(found.map((f) => f.text.trim())).toEqual(['Bonjour', 'Texte brut', 'encore', ':']);
  });

  it('has no user-visible string outside the catalogue in apps/web/src/**/*.tsx', () => {
    const stray = files(SRC).flatMap((f) => strayStrings(fs.readFileSync(f, 'utf8'), f).map((s) => `${path.relative(SRC, f)}:${s.line}  ${JSON.stringify(s.text)}`));
    expect(stray, `Move these strings into the catalogue (apps/web/src/i18n/fr.ts + en.ts, or the feature's messages.ts) and show them through t():\n${stray.join('\n')}`).toEqual([]);
  });
});
