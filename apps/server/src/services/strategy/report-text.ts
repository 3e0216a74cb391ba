import { MEASURE_LABELS, periodBounds, type Classification, periodLabel, RATING_LABELS, UNIT_LABELS, type StatusRating, type Unit } from '@vigie/domain';
import type { ReportModel } from './report-model.js';

/** French wording shared by the HTML and PDF reports. */
export const T = {
  title: "Rapport d'évaluation de la stratégie commune",
  forMinisters: 'À l’attention des ministres',
  synthesis: 'Synthèse',
  narrative: 'Appréciation des experts',
  axis: 'Axe',
  objective: 'Objectif',
  indicator: 'Indicateur',
  value: 'Valeur',
  target: 'Cible',
  achievement: 'Réalisation',
  status: 'Statut',
  derived: 'statut calculé',
  overridden: 'statut retenu par les experts',
  justification: 'Justification',
  confederation: 'Confédération',
  civilianHarm: 'Atteintes aux civils',
  civilianHarmIntro: 'Victimes civiles tuées, ensemble des tués et blessés, par trimestre, d’après les incidents validés enregistrés dans Vigie. Cette section figure dans chaque rapport.',
  civilianFatalities: 'Civils tués',
  fatalities: 'Total des tués',
  injured: 'Blessés',
  civilianShare: 'Part des civils parmi les tués',
  trend: 'Évolution',
  computed: 'calculé à partir des incidents',
  manual: 'saisi par les États',
  noData: 'pas de donnée',
  generated: 'Généré le',
  period: 'Période évaluée',
  validity: 'Validité de la stratégie',
  baseline: 'Référence',
  civilianIndicators: 'Indicateurs de protection des civils',
  draft: 'Projet — évaluation non finalisée',
  audience: 'Chiffres établis pour',
  asOf: 'Données arrêtées le',
  provisional: 'Chiffres provisoires, recalculés à chaque lecture jusqu’à la finalisation ; calculés le',
  partial: 'en cours',
  partialNote: 'Période en cours : chiffres partiels, exclus des tendances.',
  coverage: (n: number, of: number) => (n === 0 ? `aucun des ${of} États n’a déclaré` : `${n} État${n > 1 ? 's' : ''} sur ${of} ${n > 1 ? 'ont' : 'a'} déclaré`),
  incomplete: 'couverture incomplète : progression non évaluée',
  lowerBetter: 'plus bas = mieux',
  higherBetter: 'plus haut = mieux',
  average: 'moyenne',
  setback: 'recul',
};

/** True when a period was not over at `asOf` (its figures are partial). */
export const isPartial = (period: string, asOf: string): boolean => periodBounds(period).end > asOf.slice(0, 10);

/** A period's label, marked when it was still running at `asOf`. */
export const periodMark = (period: string, asOf: string): string => (isPartial(period, asOf) ? `${periodFr(period)} (${T.partial})` : periodFr(period));

/** The cover's line saying whose view the figures are and when they were computed. */
export function audienceLine(m: ReportModel): string {
  return m.evaluation.status === 'final'
    ? `${T.audience} : ${m.audienceName} · ${T.asOf} ${dateTimeFr(m.asOf)}`
    : `${T.audience} : ${m.audienceName} · ${T.provisional} ${dateTimeFr(m.asOf)}`;
}

export const dateTimeFr = (iso: string): string => `${dateFr(iso)} à ${iso.slice(11, 16)} UTC`;

/** Classification ceilings as the report's cover names them. */
export const CEILING_FR: Record<Classification, string> = { public: 'Public', restricted: 'Diffusion restreinte', confidential: 'Confidentiel', secret: 'Secret' };

export const ratingLabel = (r: StatusRating | null): string => (r ? RATING_LABELS[r].fr : 'non évalué');

export const fmt = (v: number | null, unit?: string): string => {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  // Counts are whole numbers (people, incidents): never "0,8 civils tués".
  const s = v.toLocaleString('fr-FR', { maximumFractionDigits: unit === 'count' ? 0 : 2 }).replace(/\u202f|\u00a0/g, ' ');
  return unit === 'percent' ? `${s} %` : s;
};

/** Achievement as a percentage; a value that moved away from the target (below 0) reads "0 % (recul)", never "-129 %". */
export const pct = (a: number | null): string => (a === null ? '—' : a < 0 ? `0 % (${T.setback})` : `${Math.round(a * 100)} %`);

/** The direction an indicator should go, in words. */
export const directionLabel = (d: string): string => (d === 'decrease' ? `à la baisse (${T.lowerBetter})` : `à la hausse (${T.higherBetter})`);

/** The confederation value of an indicator, with the states' coverage when some have not declared. */
export function confValue(c: { value: number | null; coverage?: { reported: number; expected: number } } | undefined, unit: string): string {
  const v = fmt(c?.value ?? null, unit);
  return c?.coverage && c.coverage.reported < c.coverage.expected ? `${v} (${T.coverage(c.coverage.reported, c.coverage.expected)})` : v;
}

export const unitLabel = (u: string): string => UNIT_LABELS[u as Unit]?.fr ?? u;

export const dateFr = (iso: string): string => new Date(iso).toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

export const periodFr = (p: string): string => periodLabel(p, 'fr');

export const measureLabel = (m: string): string => MEASURE_LABELS[m as keyof typeof MEASURE_LABELS]?.fr ?? m;

export const stateName = (m: ReportModel, s: string | null): string => (s === null || s === '' ? T.confederation : m.stateNames[s] ?? s);

export const RATING_COLORS: Record<StatusRating, string> = { on_track: '#1b7f3b', at_risk: '#8a5300', off_track: '#b42318' };
export const SERIES_COLORS = ['#1f3a5f', '#2b8a3e', '#c2410c', '#7c3aed', '#0e7490', '#a21caf'];

/** Counts of objectives per final rating. */
export function ratingCounts(m: ReportModel): Record<StatusRating | 'none', number> {
  const out = { on_track: 0, at_risk: 0, off_track: 0, none: 0 };
  for (const r of m.evaluation.ratings) out[r.final ?? 'none']++;
  return out;
}
