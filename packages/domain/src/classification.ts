/** Classification levels, sharing scopes, roles, statuses and the Admiralty grading. */
export const CLASSIFICATIONS = ['public', 'restricted', 'confidential', 'secret'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

/** Numeric level of a classification: public 0 … secret 3. A reader sees a record when clearance ≥ level. */
export function classificationLevel(c: Classification): number {
  return CLASSIFICATIONS.indexOf(c);
}

/** From this level up, every read of a record is written to the audit trail. */
export const AUDITED_READ_LEVEL = classificationLevel('confidential');

export const SHARING_SCOPES = ['national', 'confederation', 'public'] as const;
export type SharingScope = (typeof SHARING_SCOPES)[number];

export const ROLES = ['reporter', 'analyst', 'focal_point', 'confederation_analyst', 'decision_maker', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const INCIDENT_STATUSES = ['draft', 'submitted', 'validated', 'rejected', 'merged'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const RELIABILITY_GRADES = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export type Reliability = (typeof RELIABILITY_GRADES)[number];
export const RELIABILITY_LABELS: Record<Reliability, { fr: string; en: string }> = {
  A: { fr: 'Complètement fiable', en: 'Completely reliable' },
  B: { fr: 'Habituellement fiable', en: 'Usually reliable' },
  C: { fr: 'Assez fiable', en: 'Fairly reliable' },
  D: { fr: 'Habituellement peu fiable', en: 'Not usually reliable' },
  E: { fr: 'Peu fiable', en: 'Unreliable' },
  F: { fr: 'Fiabilité non évaluable', en: 'Reliability cannot be judged' },
};

export const CREDIBILITY_GRADES = [1, 2, 3, 4, 5, 6] as const;
export type Credibility = (typeof CREDIBILITY_GRADES)[number];
export const CREDIBILITY_LABELS: Record<Credibility, { fr: string; en: string }> = {
  1: { fr: "Confirmée par d'autres sources", en: 'Confirmed by other sources' },
  2: { fr: 'Probablement vraie', en: 'Probably true' },
  3: { fr: 'Possiblement vraie', en: 'Possibly true' },
  4: { fr: 'Douteuse', en: 'Doubtful' },
  5: { fr: 'Improbable', en: 'Improbable' },
  6: { fr: 'Véracité non évaluable', en: 'Truth cannot be judged' },
};

export const SOURCE_KINDS = ['field_report', 'security_forces', 'local_authority', 'community', 'media', 'ngo', 'social_media', 'other'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** Time precision: 1 exact day, 2 within a week, 3 within a month. */
export const TIME_PRECISIONS = [1, 2, 3] as const;
/** Geo precision as UCDP where_prec: 1 exact place … 5 country only. */
export const GEO_PRECISIONS = [1, 2, 3, 4, 5] as const;

/** ACLED's 1–3 geo precision from UCDP-style 1–5. */
export function acledGeoPrecision(whereprec: number): 1 | 2 | 3 {
  if (whereprec <= 1) return 1;
  if (whereprec === 2) return 2;
  return 3;
}

/** The organisation code of the confederation's own staff. */
export const CONFEDERATION_ORG = 'CONF';
