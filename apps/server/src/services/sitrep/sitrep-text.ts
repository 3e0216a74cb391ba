/**
 * The words of a situation report, French and English, written from its frozen figures by sentence templates: the
 * same figures always give the same text. French agreement is explicit (singular for 0 and 1, plural above; the
 * past participle agrees with its subject) and dates are written "1er décembre 2026".
 */
import { boundaryFrameText, CLASSIFICATIONS, CONFEDERATION_ORG, type Classification, type SitrepFigures, type SitrepLang, type SitrepTotals } from '@vigie/domain';

type Area = SitrepFigures['areas'][number];
type KeyFigure = SitrepFigures['key_figures'][number];

const MONTHS = {
  fr: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/** Thousands separated by a space in French, a comma in English; whole numbers (people, incidents). */
export function num(n: number, lang: SitrepLang): string {
  const s = Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'fr' ? ' ' : ',');
  return s;
}

/** A mean, to one decimal where it has one ("2,5" / "2.5"). */
export function mean(n: number, lang: SitrepLang): string {
  const r = Math.round(n * 10) / 10;
  return Number.isInteger(r) ? num(r, lang) : (lang === 'fr' ? r.toFixed(1).replace('.', ',') : r.toFixed(1));
}

/** "1er décembre 2026", "2 décembre 2026"; "1 December 2026". `year: false` leaves the year out. */
export function dayLabel(day: string, lang: SitrepLang, year = true): string {
  const d = Number(day.slice(8, 10));
  const m = MONTHS[lang][Number(day.slice(5, 7)) - 1] as string;
  const dd = lang === 'fr' && d === 1 ? '1er' : String(d);
  return `${dd} ${m}${year ? ` ${day.slice(0, 4)}` : ''}`;
}

/** "du 23 au 29 novembre 2026", "du 30 novembre au 6 décembre 2026", "du 29 décembre 2025 au 4 janvier 2026". */
export function rangeLabel(from: string, to: string, lang: SitrepLang): string {
  const sameYear = from.slice(0, 4) === to.slice(0, 4);
  const sameMonth = sameYear && from.slice(5, 7) === to.slice(5, 7);
  const left = sameMonth ? (lang === 'fr' && from.endsWith('-01') ? '1er' : String(Number(from.slice(8, 10)))) : dayLabel(from, lang, !sameYear);
  return lang === 'fr' ? `du ${left} au ${dayLabel(to, lang)}` : `${left} to ${dayLabel(to, lang)}`;
}

/** "1er décembre 2026 à 06:00 UTC". */
export const instantLabel = (iso: string, lang: SitrepLang): string => `${dayLabel(iso.slice(0, 10), lang)} ${lang === 'fr' ? 'à' : 'at'} ${iso.slice(11, 16)} UTC`;

/** Singular for 0 and 1 in French ("0 incident", "1 incident"), plural above; English plural for all but 1. */
export function plural(n: number, lang: SitrepLang, one: string, many: string): string {
  const single = lang === 'fr' ? Math.abs(n) < 2 : Math.abs(n) === 1;
  return `${num(n, lang)} ${single ? one : many}`;
}

const W = {
  fr: {
    incidents: (n: number) => plural(n, 'fr', 'incident', 'incidents'),
    killed: (n: number) => plural(n, 'fr', 'personne tuée', 'personnes tuées'),
    civilians: (n: number) => plural(n, 'fr', 'civil', 'civils'),
    injured: (n: number) => plural(n, 'fr', 'blessé', 'blessés'),
    abducted: (n: number) => plural(n, 'fr', 'personne enlevée', 'personnes enlevées'),
    alerts: (n: number) => plural(n, 'fr', 'alerte émise', 'alertes émises'),
  },
  en: {
    incidents: (n: number) => plural(n, 'en', 'incident', 'incidents'),
    killed: (n: number) => plural(n, 'en', 'person killed', 'people killed'),
    civilians: (n: number) => plural(n, 'en', 'civilian', 'civilians'),
    injured: (n: number) => plural(n, 'en', 'injured', 'injured'),
    abducted: (n: number) => plural(n, 'en', 'person abducted', 'people abducted'),
    alerts: (n: number) => plural(n, 'en', 'alert issued', 'alerts issued'),
  },
};

const CEILING: Record<SitrepLang, Record<Classification, string>> = {
  fr: { public: 'Public', restricted: 'Diffusion restreinte', confidential: 'Confidentiel', secret: 'Secret' },
  en: { public: 'Public', restricted: 'Restricted', confidential: 'Confidential', secret: 'Secret' },
};

/** Fixed wording of the report, by language. */
export const L = {
  fr: {
    title: 'Rapport de situation', weekly: 'hebdomadaire', monthly: 'mensuel',
    highlights: 'Faits saillants', keyFigures: 'Chiffres clés', map: 'Carte des incidents', chart: 'Évolution',
    byState: 'Situation par État', actors: 'Acteurs', earlyWarning: 'Alerte précoce', followUp: 'Suivi des décisions conjointes',
    methodology: 'Note méthodologique', coverage: 'Couverture', asOf: 'Données arrêtées le', audience: 'Chiffres établis pour',
    state: 'État', total: 'Ensemble', incidentsCol: 'Incidents', fatalitiesCol: 'Tués', civiliansCol: 'Civils tués', injuredCol: 'Blessés', abductedCol: 'Enlevés',
    vsPrevious: (k: 'week' | 'month') => (k === 'week' ? 'vs sem. préc.' : 'vs mois préc.'),
    vsShort: (k: 'week' | 'month') => (k === 'week' ? 'vs moy. 4 sem.' : 'vs moy. 3 mois'),
    vsLong: (k: 'week' | 'month') => (k === 'week' ? 'vs moy. 12 sem.' : 'vs moy. 12 mois'),
    actorCol: 'Acteur', kindCol: 'Type', alertCol: 'Alerte', severityCol: 'Gravité', ackCol: 'Acquittement', actionCol: 'Action', ownerCol: 'Responsable', dueCol: 'Échéance', statusCol: 'Statut',
    noActors: 'Aucun acteur nommé dans les incidents de la période.', noAlerts: 'Aucune alerte émise pendant la période.',
    noActions: 'Aucune action échue ni à échéance dans les quatorze jours.', overdue: 'en retard', due: 'à échéance',
    forecast: 'Foyers attendus le mois prochain (prévision des tués par région)', noForecast: 'Pas de prévision disponible pour cette audience.',
    acknowledged: 'acquittée', pending: 'en attente', generatedBy: 'Rapport généré par Vigie à partir des données enregistrées.',
    mapLegend: 'Cercles proportionnels au nombre d’incidents de la période, par région (niveau 1).',
    boundaries: 'Découpage administratif',
    chartTitle: (k: 'week' | 'month') => (k === 'week' ? 'Incidents et personnes tuées, 13 dernières semaines' : 'Incidents et personnes tuées, 13 derniers mois'),
    partial: 'période en cours : chiffres partiels',
  },
  en: {
    title: 'Situation report', weekly: 'weekly', monthly: 'monthly',
    highlights: 'Highlights', keyFigures: 'Key figures', map: 'Map of incidents', chart: 'Trend',
    byState: 'Situation by state', actors: 'Actors', earlyWarning: 'Early warning', followUp: 'Follow-up of joint decisions',
    methodology: 'Methodology note', coverage: 'Coverage', asOf: 'Data as of', audience: 'Figures computed for',
    state: 'State', total: 'All states', incidentsCol: 'Incidents', fatalitiesCol: 'Killed', civiliansCol: 'Civilians killed', injuredCol: 'Injured', abductedCol: 'Abducted',
    vsPrevious: (k: 'week' | 'month') => (k === 'week' ? 'vs prev. week' : 'vs prev. month'),
    vsShort: (k: 'week' | 'month') => (k === 'week' ? 'vs 4-wk mean' : 'vs 3-mo mean'),
    vsLong: (k: 'week' | 'month') => (k === 'week' ? 'vs 12-wk mean' : 'vs 12-mo mean'),
    actorCol: 'Actor', kindCol: 'Kind', alertCol: 'Alert', severityCol: 'Severity', ackCol: 'Acknowledgement', actionCol: 'Action', ownerCol: 'Owner', dueCol: 'Due', statusCol: 'Status',
    noActors: 'No actor named in the incidents of the period.', noAlerts: 'No alert issued during the period.',
    noActions: 'No action overdue or due within fourteen days.', overdue: 'overdue', due: 'due',
    forecast: 'Hotspots expected next month (forecast fatalities by region)', noForecast: 'No forecast available for this audience.',
    acknowledged: 'acknowledged', pending: 'pending', generatedBy: 'Report generated by Vigie from the recorded data.',
    mapLegend: 'Circles proportional to the incidents of the period, by region (level 1).',
    boundaries: 'Administrative boundaries',
    chartTitle: (k: 'week' | 'month') => (k === 'week' ? 'Incidents and people killed, last 13 weeks' : 'Incidents and people killed, last 13 months'),
    partial: 'period in progress: partial figures',
  },
};

export const ACTOR_KINDS: Record<SitrepLang, Record<number, string>> = {
  fr: { 1: 'Forces étatiques', 2: 'Groupe rebelle', 3: 'Milice politique', 4: 'Milice communautaire', 5: 'Émeutiers', 6: 'Manifestants', 7: 'Civils', 8: 'Forces extérieures' },
  en: { 1: 'State forces', 2: 'Rebel group', 3: 'Political militia', 4: 'Identity militia', 5: 'Rioters', 6: 'Protesters', 7: 'Civilians', 8: 'External forces' },
};

const SEVERITY: Record<SitrepLang, Record<string, string>> = {
  fr: { low: 'faible', medium: 'moyenne', high: 'élevée', critical: 'critique' },
  en: { low: 'low', medium: 'medium', high: 'high', critical: 'critical' },
};
export const severityLabel = (s: string, lang: SitrepLang): string => SEVERITY[lang][s] ?? s;

const ACTION_STATUS: Record<SitrepLang, Record<string, string>> = {
  fr: { planned: 'prévue', in_progress: 'en cours', done: 'achevée', blocked: 'bloquée', cancelled: 'annulée' },
  en: { planned: 'planned', in_progress: 'in progress', done: 'done', blocked: 'blocked', cancelled: 'cancelled' },
};
export const actionStatusLabel = (s: string, lang: SitrepLang): string => ACTION_STATUS[lang][s] ?? s;

/** The report's period in words: "Semaine 48 (du 23 au 29 novembre 2026)", "Novembre 2026". */
export function periodLabel(f: Pick<SitrepFigures, 'kind' | 'period' | 'from' | 'to'>, lang: SitrepLang): string {
  if (f.kind === 'month') {
    const m = MONTHS[lang][Number(f.period.slice(5, 7)) - 1] as string;
    return `${m.charAt(0).toUpperCase()}${m.slice(1)} ${f.period.slice(0, 4)}`;
  }
  const week = Number(f.period.slice(6));
  return lang === 'fr' ? `Semaine ${week} (${rangeLabel(f.from, f.to, lang)})` : `Week ${week} (${rangeLabel(f.from, f.to, lang)})`;
}

/** "Confédération des États du Sahel, jusqu'à « Diffusion restreinte »". */
export function audienceLabel(f: Pick<SitrepFigures, 'states' | 'alliance'>, audience: string, ceiling: number, lang: SitrepLang): string {
  const who = audience === CONFEDERATION_ORG ? f.alliance[`name_${lang}`] : f.states.find((s) => s.code === audience)?.[`name_${lang}`] ?? audience;
  const level = CEILING[lang][CLASSIFICATIONS[ceiling] ?? 'secret'];
  return lang === 'fr' ? `${who}, jusqu'à « ${level} »` : `${who}, up to “${level}”`;
}

export const stateLabel = (f: Pick<SitrepFigures, 'states'>, code: string | null, lang: SitrepLang): string =>
  code === null ? L[lang].total : f.states.find((s) => s.code === code)?.[`name_${lang}`] ?? code;

/** A change against a reference: "+50 %", "−25 %", "+3" when the reference is 0, "=" when equal. */
export function change(current: number, reference: number, lang: SitrepLang): string {
  if (current === reference) return '=';
  if (reference === 0) return `+${mean(current, lang)}`;
  const p = Math.round(((current - reference) / reference) * 100);
  const sign = p > 0 ? '+' : p < 0 ? '−' : '±';
  return lang === 'fr' ? `${sign}${Math.abs(p)} %` : `${sign}${Math.abs(p)}%`;
}

/** The change in prose: « stable par rapport à … » rather than the tables' « = ». */
function changeAgainst(current: number, reference: number, lang: SitrepLang, what: string): string {
  const c = change(current, reference, lang);
  if (c === '=') return lang === 'fr' ? `stable par rapport à ${what}` : `unchanged from ${what}`;
  return lang === 'fr' ? `${c} par rapport à ${what}` : `${c} against ${what}`;
}

const prevWord = (k: 'week' | 'month', lang: SitrepLang) => (lang === 'fr' ? (k === 'week' ? 'la semaine précédente' : 'le mois précédent') : (k === 'week' ? 'the previous week' : 'the previous month'));
const longWindow = (k: 'week' | 'month', lang: SitrepLang) => (lang === 'fr' ? (k === 'week' ? '12 semaines précédentes' : '12 mois précédents') : (k === 'week' ? 'previous 12 weeks' : 'previous 12 months'));
const areaName = (f: SitrepFigures, a: Area, lang: SitrepLang) => `${a[`name_${lang}`]} (${stateLabel(f, a.state, lang)})`;

/** "12 incidents ont été enregistrés" / "1 incident a été enregistré" / "aucun incident n'a été enregistré". */
function recorded(n: number, lang: SitrepLang): string {
  if (lang === 'en') return n === 0 ? 'no incident was recorded' : `${W.en.incidents(n)} ${n === 1 ? 'was' : 'were'} recorded`;
  if (n === 0) return 'aucun incident n’a été enregistré';
  return n === 1 ? '1 incident a été enregistré' : `${W.fr.incidents(n)} ont été enregistrés`;
}

/** The toll of a set of incidents in one clause: "30 personnes tuées, dont 4 civils, 5 blessés et 2 personnes enlevées". */
export function toll(t: SitrepTotals, lang: SitrepLang): string {
  const w = W[lang];
  const parts = [t.civilian_fatalities > 0 ? `${w.killed(t.fatalities)}${lang === 'fr' ? ', dont' : ', including'} ${w.civilians(t.civilian_fatalities)}` : w.killed(t.fatalities)];
  if (t.injured > 0) parts.push(w.injured(t.injured));
  if (t.abducted > 0) parts.push(w.abducted(t.abducted));
  const and = lang === 'fr' ? ' et ' : ' and ';
  return parts.length === 1 ? parts[0] as string : `${parts.slice(0, -1).join(', ')}${and}${parts.at(-1)}`;
}

export const totalOf = (f: SitrepFigures): KeyFigure => f.key_figures.find((k) => k.state === null) as KeyFigure;

/** Areas whose incidents rose most against the previous period (at most 3). */
export function rises(f: SitrepFigures): Area[] {
  return f.areas.filter((a) => a.current.incidents > a.previous.incidents)
    .sort((a, b) => (b.current.incidents - b.previous.incidents) - (a.current.incidents - a.previous.incidents) || b.current.fatalities - a.current.fatalities || a.code.localeCompare(b.code))
    .slice(0, 3);
}

/** Areas active now after 12 quiet periods (new hotspots). */
export const hotspots = (f: SitrepFigures): Area[] => f.areas.filter((a) => a.current.incidents > 0 && a.history_incidents === 0).sort((a, b) => b.current.incidents - a.current.incidents || a.code.localeCompare(b.code));

/** The highlights, generated from the figures: totals, largest rises, new hotspots, alerts, civilian harm. */
export function highlights(f: SitrepFigures, lang: SitrepLang): string[] {
  const t = totalOf(f);
  const out: string[] = [];
  const period = lang === 'fr' ? (f.kind === 'week' ? 'cette semaine' : 'ce mois-ci') : (f.kind === 'week' ? 'this week' : 'this month');
  const cmp = changeAgainst(t.current.incidents, t.previous.incidents, lang, prevWord(f.kind, lang));
  out.push(lang === 'fr'
    ? `${capital(W.fr.incidents(t.current.incidents))} ${period} (${cmp}), ${toll(t.current, 'fr')}.`
    : `${capital(W.en.incidents(t.current.incidents))} ${period} (${cmp}), ${toll(t.current, 'en')}.`);
  for (const a of rises(f)) {
    out.push(lang === 'fr'
      ? `Hausse marquée : ${areaName(f, a, 'fr')}, ${W.fr.incidents(a.current.incidents)} contre ${num(a.previous.incidents, 'fr')} ${prevWord(f.kind, 'fr')}, ${W.fr.killed(a.current.fatalities)}.`
      : `Marked rise in ${areaName(f, a, 'en')}: ${W.en.incidents(a.current.incidents)} against ${num(a.previous.incidents, 'en')} ${prevWord(f.kind, 'en')}, ${W.en.killed(a.current.fatalities)}.`);
  }
  for (const a of hotspots(f).slice(0, 3)) {
    out.push(lang === 'fr'
      ? `Nouveau foyer : ${areaName(f, a, 'fr')}, ${W.fr.incidents(a.current.incidents)} après aucun au cours des ${longWindow(f.kind, 'fr')}.`
      : `New hotspot: ${areaName(f, a, 'en')}, ${W.en.incidents(a.current.incidents)} after none in the ${longWindow(f.kind, 'en')}.`);
  }
  const n = f.alerts.length;
  const acked = f.alerts.filter((a) => a.states.length > 0 && a.states.every((s) => s.acknowledged_at !== null)).length;
  out.push(n === 0
    ? (lang === 'fr' ? 'Aucune alerte émise pendant la période.' : 'No alert issued during the period.')
    : lang === 'fr'
      ? `${capital(W.fr.alerts(n))}, dont ${num(acked, 'fr')} ${acked < 2 ? 'acquittée' : 'acquittées'} par tous les États concernés.`
      : `${capital(W.en.alerts(n))}, ${num(acked, 'en')} of them acknowledged by every state concerned.`);
  out.push(lang === 'fr'
    ? `Atteintes aux civils : ${W.fr.civilians(t.current.civilian_fatalities)} ${t.current.civilian_fatalities < 2 ? 'tué' : 'tués'} (${changeAgainst(t.current.civilian_fatalities, t.avg_long.civilian_fatalities, 'fr', `la moyenne des ${longWindow(f.kind, 'fr')}`)}) ; ${W.fr.injured(t.current.injured)} et ${W.fr.abducted(t.current.abducted)} au total.`
    : `Civilian harm: ${W.en.civilians(t.current.civilian_fatalities)} killed (${changeAgainst(t.current.civilian_fatalities, t.avg_long.civilian_fatalities, 'en', `the mean of the ${longWindow(f.kind, 'en')}`)}); ${W.en.injured(t.current.injured)} and ${W.en.abducted(t.current.abducted)} in all.`);
  return out;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** One paragraph per state, then one sentence per admin-1 area with incidents. */
export function stateParagraphs(f: SitrepFigures, lang: SitrepLang): { state: string; name: string; text: string; areas: string[] }[] {
  return f.key_figures.filter((k) => k.state !== null).map((k) => {
    const st = k.state as string;
    const name = stateLabel(f, st, lang);
    const c = k.current;
    const text = c.incidents === 0
      ? lang === 'fr'
        ? `${name} : ${recorded(0, 'fr')} ${f.kind === 'week' ? 'cette semaine' : 'ce mois-ci'} (${num(k.previous.incidents, 'fr')} ${prevWord(f.kind, 'fr')}).`
        : `${name}: ${recorded(0, 'en')} ${f.kind === 'week' ? 'this week' : 'this month'} (${num(k.previous.incidents, 'en')} ${prevWord(f.kind, 'en')}).`
      : lang === 'fr'
        ? `${name} : ${recorded(c.incidents, 'fr')} (${num(k.previous.incidents, 'fr')} ${prevWord(f.kind, 'fr')}, moyenne de ${mean(k.avg_short.incidents, 'fr')} sur ${f.kind === 'week' ? '4 semaines' : '3 mois'}), ${c.incidents === 1 ? 'ayant fait' : 'ayant fait au total'} ${toll(c, 'fr')}.`
        : `${name}: ${recorded(c.incidents, 'en')} (${num(k.previous.incidents, 'en')} ${prevWord(f.kind, 'en')}, mean of ${mean(k.avg_short.incidents, 'en')} over ${f.kind === 'week' ? '4 weeks' : '3 months'}), with ${toll(c, 'en')} in all.`;
    const areas = f.areas.filter((a) => a.state === st && a.current.incidents > 0)
      .sort((a, b) => b.current.incidents - a.current.incidents || a.code.localeCompare(b.code))
      .map((a) => (lang === 'fr'
        ? `${a.name_fr} : ${W.fr.incidents(a.current.incidents)} (${num(a.previous.incidents, 'fr')} ${prevWord(f.kind, 'fr')}), ${toll(a.current, 'fr')}.`
        : `${a.name_en}: ${W.en.incidents(a.current.incidents)} (${num(a.previous.incidents, 'en')} ${prevWord(f.kind, 'en')}), ${toll(a.current, 'en')}.`));
    return { state: st, name, text, areas };
  });
}

/** The methodology note: sources, precision, caveats on tolls. */
export function methodology(f: SitrepFigures, lang: SitrepLang): string[] {
  return lang === 'fr'
    ? [
      'Les chiffres comptent les incidents validés par les centres nationaux et enregistrés dans Vigie, datés par leur début (jour UTC), que le lecteur de l’audience indiquée peut voir jusqu’au niveau de classification indiqué ; ils sont les mêmes que ceux de l’API des agrégats pour cette audience.',
      'Les tués sont l’estimation « meilleure » de chaque incident (fourchette basse et haute conservées dans la base) ; les bilans des premiers jours sont souvent révisés, et un incident peut être compté dans la semaine de son début alors qu’il s’est prolongé.',
      'Les lieux sont rattachés aux régions par leur point ; un incident localisé seulement au niveau du pays (précision 5) n’apparaît dans aucune région. Les sources suivent la grille de l’Amirauté (fiabilité A–F, crédibilité 1–6).',
      `Les moyennes portent sur les ${f.kind === 'week' ? '4 et 12 semaines' : '3 et 12 mois'} qui précèdent la période ; un foyer nouveau est une région sans incident au cours des ${longWindow(f.kind, 'fr')}. Les acteurs sont des organisations ; aucune personne n’est nommée.`,
    ]
    : [
      'Figures count the incidents validated by the national centres and recorded in Vigie, dated by their start (UTC day), that a reader of the stated audience may see up to the stated classification; they are those of the aggregates API for that audience.',
      'Fatalities are each incident’s best estimate (low and high kept in the database); first tolls are often revised, and an incident is counted in the week it started even when it lasted longer.',
      'Places are assigned to regions by their point; an incident located only to the country (precision 5) appears in no region. Sources follow the Admiralty grading (reliability A–F, credibility 1–6).',
      `Means cover the ${f.kind === 'week' ? '4 and 12 weeks' : '3 and 12 months'} before the period; a new hotspot is a region with no incident in the ${longWindow(f.kind, 'en')}. Actors are organisations; no person is named.`,
    ];
}

/** The one-line headline of the archive: the first highlight. */
export const headline = (f: SitrepFigures, lang: SitrepLang): string => highlights(f, lang)[0] ?? '';

/** « Découpage administratif : Mali — …, en vigueur depuis le … · … »: the sets the report's figures by area use. */
export const boundariesLine = (f: SitrepFigures, lang: SitrepLang): string | null =>
  f.boundary_frame?.sets.length ? `${L[lang].boundaries}${lang === 'fr' ? ' :' : ':'} ${boundaryFrameText(f.boundary_frame, lang, true)}.` : null;
