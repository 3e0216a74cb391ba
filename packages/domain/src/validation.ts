import { z } from 'zod';
import { translateMessage } from './messages.js';
import type { FieldError } from './problems.js';

type Lang = 'fr' | 'en';

/**
 * Parses with the received values kept on the issues, so that a message can say what was received ("nombre attendu,
 * texte reçu"). Use it where a client's input is parsed; the values stay in the error and are never sent back.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  // Already this schema's output (the HTTP layer parsed the request once and handed it on): returned as it is. Parsing
  // it again would be wasted work at best, and wrong where the schema transforms ("true" → true is not idempotent).
  if (typeof input === 'object' && input !== null && PARSED.get(input) === schema) return input as z.output<S>;
  const out = schema.parse(wellFormed(input), { reportInput: true });
  if (typeof out === 'object' && out !== null) PARSED.set(out, schema);
  return out;
}

/** Objects parseInput produced, with the schema that produced them. */
const PARSED = new WeakMap<object, z.ZodType>();

/** Same as parseInput, without throwing. */
export function safeParseInput<S extends z.ZodType>(schema: S, input: unknown): z.ZodSafeParseResult<z.output<S>> {
  return schema.safeParse(wellFormed(input), { reportInput: true });
}

/**
 * The input with every text as UTF-8 can hold it: a lone surrogate (half of a UTF-16 pair — a `\ud800` escape in a
 * JSON body, a string cut between the two halves) becomes U+FFFD, as a UTF-8 encoder writes it. The record's columns,
 * its history snapshot and its digest then hold the same text, on every engine (the drivers would each write the
 * surrogate their own way: better-sqlite3 as U+FFFD per byte, a JSON column as the escape itself). The input is not
 * changed: what holds such a text is copied, everything else is returned as it is.
 */
export function wellFormed(v: unknown): unknown {
  if (typeof v === 'string') return v.isWellFormed() ? v : v.toWellFormed();
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    v.forEach((item, i) => {
      const w = wellFormed(item);
      if (w !== item) (out ??= v.slice())[i] = w;
    });
    return out ?? v;
  }
  if (typeof v === 'object' && v !== null && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
    let out: Record<string, unknown> | undefined;
    for (const [k, item] of Object.entries(v)) {
      const w = wellFormed(item);
      if (w !== item) (out ??= { ...v })[k] = w;
    }
    return out ?? v;
  }
  return v;
}

/** Turns Zod issues into field errors with messages in the reader's language. */
export function fieldErrors(error: z.ZodError, lang: Lang = 'fr'): FieldError[] {
  return error.issues.flatMap((issue) => {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ field: base ? `${base}.${k}` : k, message: translateMessage('validation.unknown_field', lang) }));
    }
    return [{ field: base || '(body)', message: issueMessage(issue, lang) }];
  });
}

/** Type names in plain words; `f` marks French feminine nouns (liste attendue, reçue). */
const TYPE_NAMES: Record<string, { fr: string; en: string; f?: true }> = {
  string: { fr: 'texte', en: 'text' },
  number: { fr: 'nombre', en: 'number' },
  int: { fr: 'nombre entier', en: 'whole number' },
  decimal: { fr: 'nombre décimal', en: 'decimal number' },
  bigint: { fr: 'nombre entier', en: 'whole number' },
  boolean: { fr: 'booléen (true ou false)', en: 'boolean (true or false)' },
  array: { fr: 'liste', en: 'list', f: true },
  object: { fr: 'objet', en: 'object' },
  null: { fr: 'null', en: 'null' },
  date: { fr: 'date', en: 'date', f: true },
  nan: { fr: 'NaN', en: 'NaN' },
};

/** "nombre attendu", "liste reçue", "number expected". */
function typed(t: string, verb: 'expected' | 'received', lang: Lang): string {
  const name = TYPE_NAMES[t] ?? { fr: t, en: t };
  if (lang === 'en') return `${name.en} ${verb}`;
  return `${name.fr} ${verb === 'expected' ? 'attendu' : 'reçu'}${name.f ? 'e' : ''}`;
}

/** The JSON type of a received value, in the words of TYPE_NAMES. */
function receivedType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isNaN(v) ? 'nan' : Number.isInteger(v) ? 'number' : 'decimal';
  return typeof v;
}

const FORMATS: Record<string, { fr: string; en: string }> = {
  uuid: { fr: 'identifiant UUID attendu', en: 'a UUID is expected' },
  datetime: { fr: 'date et heure ISO 8601 attendues (ex. 2026-03-14T08:00:00Z)', en: 'an ISO 8601 date-time is expected (e.g. 2026-03-14T08:00:00Z)' },
  date: { fr: 'date attendue (AAAA-MM-JJ)', en: 'a date is expected (YYYY-MM-DD)' },
  email: { fr: 'adresse électronique attendue', en: 'an e-mail address is expected' },
  url: { fr: 'adresse URL attendue', en: 'a URL is expected' },
};

const list = (values: readonly unknown[]) => values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');

function bound(issue: z.core.$ZodIssueTooBig | z.core.$ZodIssueTooSmall, lang: Lang): string {
  const big = issue.code === 'too_big';
  const limit = String(big ? (issue as z.core.$ZodIssueTooBig).maximum : (issue as z.core.$ZodIssueTooSmall).minimum);
  const inclusive = issue.inclusive !== false;
  const fr = lang === 'fr';
  if (issue.origin === 'string') {
    if (!big && limit === '1') return fr ? 'ne doit pas être vide' : 'must not be empty';
    return fr ? `au ${big ? 'plus' : 'moins'} ${limit} caractères` : `at ${big ? 'most' : 'least'} ${limit} characters`;
  }
  if (issue.origin === 'array' || issue.origin === 'set') {
    return fr ? `au ${big ? 'plus' : 'moins'} ${limit} éléments` : `at ${big ? 'most' : 'least'} ${limit} items`;
  }
  if (issue.origin === 'date') {
    return fr ? `doit être ${big ? 'au plus tard' : 'au plus tôt'} le ${limit}` : `must be ${big ? 'on or before' : 'on or after'} ${limit}`;
  }
  if (inclusive) return fr ? `doit être au ${big ? 'plus' : 'moins'} ${limit}` : `must be at ${big ? 'most' : 'least'} ${limit}`;
  return fr ? `doit être ${big ? 'inférieur' : 'supérieur'} à ${limit}` : `must be ${big ? 'less' : 'greater'} than ${limit}`;
}

/** The allowed literal values of a union of literals (time precision 1–3, credibility 1–6), if it is one. */
function unionValues(issue: z.core.$ZodIssueInvalidUnion): unknown[] | undefined {
  const values: unknown[] = [];
  for (const branch of issue.errors) {
    const only = branch.length === 1 ? branch[0] : undefined;
    if (only?.code !== 'invalid_value') return undefined;
    values.push(...only.values);
  }
  return values.length ? values : undefined;
}

/**
 * One issue in plain words, in the reader's language, saying what was expected and, when the parse kept it, what was
 * received. Never the library's own phrasing ("Too big: expected number to be <=90").
 */
export function issueMessage(issue: z.core.$ZodIssue, lang: Lang): string {
  const fr = lang === 'fr';
  if (issue.code === 'custom' || issue.message.startsWith('validation.')) return translateMessage(issue.message, lang);
  const hasInput = 'input' in issue;
  switch (issue.code) {
    case 'invalid_type': {
      if (hasInput && issue.input === undefined) return fr ? 'champ requis' : 'required';
      const expected = typed(issue.expected, 'expected', lang);
      return hasInput ? `${expected}, ${typed(receivedType(issue.input), 'received', lang)}` : expected;
    }
    case 'too_big':
    case 'too_small':
      return bound(issue, lang);
    case 'invalid_value':
      return fr ? `valeur attendue parmi : ${list(issue.values)}` : `expected one of: ${list(issue.values)}`;
    case 'invalid_union': {
      const values = unionValues(issue);
      if (values) return fr ? `valeur attendue parmi : ${list(values)}` : `expected one of: ${list(values)}`;
      return fr ? 'valeur invalide' : 'invalid value';
    }
    case 'invalid_format': {
      const known = FORMATS[issue.format];
      if (known) return known[lang];
      return fr ? 'format invalide' : 'invalid format';
    }
    case 'not_multiple_of':
      return fr ? `doit être un multiple de ${String(issue.divisor)}` : `must be a multiple of ${String(issue.divisor)}`;
    case 'invalid_key':
      return fr ? 'clé invalide' : 'invalid key';
    case 'invalid_element':
      return fr ? 'élément invalide' : 'invalid item';
    default:
      return fr ? 'valeur invalide' : 'invalid value';
  }
}
