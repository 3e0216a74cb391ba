/**
 * An alert's title and summary in the reader's language, written from its facts (rule, areas, week, counts,
 * expected value, probability) rather than stored as French sentences: the server fills the API's `title`,
 * `summary` and `texts`, the web renders live alerts with it too. Plain words first; the statistics stay in the
 * alert's details. Numbers and dates through Intl, plurals through Intl.PluralRules (CLDR: « 1,2 attendu »).
 */
import { ALERT_RULE_LABELS, type AlertRule, type AlertStatistics } from './alert.schema.js';

export type TextLang = 'fr' | 'en';

/** What the texts are written from: the alert's own fields. */
export interface AlertFacts {
  rule: AlertRule;
  areas: readonly string[];
  window_start: string;
  window_end: string;
  statistics: AlertStatistics | null;
  /** As written by hand (flash alerts), returned unchanged. */
  title: string;
  summary: string;
}

export interface AlertTexts {
  title: string;
  summary: string;
}

const LOCALE: Record<TextLang, string> = { fr: 'fr-FR', en: 'en-GB' };

type Metric = NonNullable<AlertStatistics['metric']>;
type Forms = { one: string; other: string };
/** The measured thing as a counted noun. */
const NOUNS: Record<Metric, Record<TextLang, Forms>> = {
  count: { fr: { one: 'incident', other: 'incidents' }, en: { one: 'incident', other: 'incidents' } },
  fatalities: { fr: { one: 'tué', other: 'tués' }, en: { one: 'person killed', other: 'people killed' } },
  civilian_fatalities: { fr: { one: 'civil tué', other: 'civils tués' }, en: { one: 'civilian killed', other: 'civilians killed' } },
};
const EXPECTED: Record<TextLang, Forms> = { fr: { one: 'attendu', other: 'attendus' }, en: { one: 'expected', other: 'expected' } };

/** A number in the reader's locale: whole numbers as such, others with one decimal. */
export function formatFigure(n: number, lang: TextLang): string {
  return new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: Number.isInteger(n) ? 0 : 1 }).format(n);
}

/** « 1 incident », « 1,2 attendu », « 3 civils tués »: the CLDR plural of the number as shown. */
function counted(n: number, forms: Forms, lang: TextLang): string {
  const shown = formatFigure(n, lang);
  const rounded = Number.isInteger(n) ? n : Math.round(n * 10) / 10;
  return `${shown} ${forms[new Intl.PluralRules(LOCALE[lang]).select(rounded) === 'one' ? 'one' : 'other']}`;
}

/** « 1er décembre 2026 » / « 1 December 2026 », in UTC as stored. */
export function formatLongDate(iso: string, lang: TextLang): string {
  const out = new Intl.DateTimeFormat(LOCALE[lang], { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(iso));
  return lang === 'fr' ? out.replace(/^1 /, '1er ') : out;
}

/**
 * How rare a value this high is, as a clause: « un tel nombre n’arrive par hasard qu’environ une fois sur un
 * million » / « a number this high happens by chance about once in a million ». Two significant figures; millions
 * and beyond in words.
 */
export function rarity(p: number, lang: TextLang): string {
  const fr = lang === 'fr';
  const odds = p > 0 ? 1 / p : Infinity;
  if (odds >= 1e12) return fr ? 'un tel nombre n’arrive pratiquement jamais par hasard (moins d’une fois sur mille milliards)' : 'a number this high practically never happens by chance (less than once in a trillion)';
  const nice = Number(odds.toPrecision(2));
  const words = nice === 1e6 ? (fr ? 'un million' : 'a million') : nice === 1e9 ? (fr ? 'un milliard' : 'a billion') : nice >= 1e6
    ? new Intl.NumberFormat(LOCALE[lang], { notation: 'compact', compactDisplay: 'long', maximumSignificantDigits: 2 }).format(nice)
    : new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: 0 }).format(nice);
  return fr ? `un tel nombre n’arrive par hasard qu’environ une fois sur ${words}` : `a number this high happens by chance about once in ${words}`;
}

/** « cette semaine » when the window holds `now`, else « la semaine du 23 novembre 2026 ». */
function when(facts: AlertFacts, lang: TextLang, now: number): string {
  const current = Date.parse(facts.window_start) <= now && now < Date.parse(facts.window_end);
  if (current) return lang === 'fr' ? 'cette semaine' : 'this week';
  const day = formatLongDate(facts.window_start, lang);
  return lang === 'fr' ? `la semaine du ${day}` : `in the week of ${day}`;
}

/**
 * The title and summary of an alert in `lang`. `areaName` names an area code in that language (the code itself
 * when unknown). Flash alerts keep the words of their author.
 */
export function alertTexts(facts: AlertFacts, lang: TextLang, areaName: (code: string) => string, now = Date.now()): AlertTexts {
  const s = facts.statistics;
  if (facts.rule === 'flash' || !s) return { title: facts.title, summary: facts.summary };
  const fr = lang === 'fr';
  const names = facts.areas.map(areaName);
  const weekOf = formatLongDate(facts.window_start, lang);
  const title = `${ALERT_RULE_LABELS[facts.rule][lang]} — ${names.join(' / ')}, ${fr ? `semaine du ${weekOf}` : `week of ${weekOf}`}`;
  const period = when(facts, lang, now);
  const metric: Metric = s.metric ?? 'count';
  const chance = s.p_value !== null ? ` — ${rarity(s.p_value, lang)}` : '';
  const usual = (observed: number, expected: number, m: Metric) =>
    fr ? `${counted(observed, NOUNS[m].fr, lang)} contre ${counted(expected, EXPECTED.fr, lang)} d’habitude` : `${counted(observed, NOUNS[m].en, lang)} against ${counted(expected, EXPECTED.en, lang)} usually`;
  let summary: string;
  if (facts.rule === 'new_hotspot') {
    const months = s.quiet_months ?? Math.round(((s.baseline?.periods ?? 0) * 7) / 30.44);
    const what = [counted(s.observed, NOUNS.count[lang], lang), ...(s.fatalities ? [counted(s.fatalities, NOUNS.fatalities[lang], lang)] : [])].join(fr ? ' et ' : ' and ');
    summary = fr ? `${names[0]} : ${what} ${period}, après ${months} mois sans aucun incident.` : `${names[0]}: ${what} ${period}, after ${months} months without any incident.`;
  } else if (facts.rule === 'cross_border' && s.areas?.length) {
    const sides = s.areas.map((a) => `${areaName(a.code)} ${usual(a.observed, a.expected, 'count')}`).join(fr ? ' ; ' : '; ');
    const days = s.within_days ?? 14;
    summary = fr ? `Activité en hausse des deux côtés de la frontière en ${days} jours : ${sides}.` : `Activity rising on both sides of the border within ${days} days: ${sides}.`;
  } else {
    summary = fr
      ? `${names.join(', ')} : ${counted(s.observed, NOUNS[metric].fr, lang)} ${period}, contre ${counted(s.expected, EXPECTED.fr, lang)} d’habitude${chance}.`
      : `${names.join(', ')}: ${counted(s.observed, NOUNS[metric].en, lang)} ${period}, against ${counted(s.expected, EXPECTED.en, lang)} usually${chance}.`;
  }
  return { title, summary };
}

/** Both languages at once (the API's `texts`). */
export function alertTextsAll(facts: AlertFacts, areaName: (code: string, lang: TextLang) => string, now = Date.now()): Record<TextLang, AlertTexts> {
  return {
    fr: alertTexts(facts, 'fr', (c) => areaName(c, 'fr'), now),
    en: alertTexts(facts, 'en', (c) => areaName(c, 'en'), now),
  };
}
