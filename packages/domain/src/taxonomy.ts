/** ACLED event taxonomy: 6 event types and their 25 sub-types, with stable slugs and fr/en labels. */
export interface Label {
  fr: string;
  en: string;
}

export interface SubEventType {
  slug: string;
  label: Label;
}

export interface EventType {
  slug: string;
  label: Label;
  /** ACLED's "disorder type" family, kept to help exports. */
  subTypes: readonly SubEventType[];
}

export const EVENT_TYPES = [
  {
    slug: 'battles',
    label: { fr: 'Affrontements', en: 'Battles' },
    subTypes: [
      { slug: 'armed_clash', label: { fr: 'Affrontement armé', en: 'Armed clash' } },
      { slug: 'government_regains_territory', label: { fr: "Reprise de territoire par l'État", en: 'Government regains territory' } },
      { slug: 'non_state_actor_overtakes_territory', label: { fr: "Prise de territoire par un acteur non étatique", en: 'Non-state actor overtakes territory' } },
    ],
  },
  {
    slug: 'explosions_remote_violence',
    label: { fr: 'Explosions / violence à distance', en: 'Explosions/Remote violence' },
    subTypes: [
      { slug: 'chemical_weapon', label: { fr: 'Arme chimique', en: 'Chemical weapon' } },
      { slug: 'air_drone_strike', label: { fr: 'Frappe aérienne / de drone', en: 'Air/drone strike' } },
      { slug: 'suicide_bomb', label: { fr: 'Attentat-suicide', en: 'Suicide bomb' } },
      { slug: 'shelling_artillery_missile_attack', label: { fr: "Bombardement / tir d'artillerie ou de missile", en: 'Shelling/artillery/missile attack' } },
      { slug: 'remote_explosive_landmine_ied', label: { fr: 'Engin explosif / mine / EEI', en: 'Remote explosive/landmine/IED' } },
      { slug: 'grenade', label: { fr: 'Grenade', en: 'Grenade' } },
    ],
  },
  {
    slug: 'violence_against_civilians',
    label: { fr: 'Violences contre les civils', en: 'Violence against civilians' },
    subTypes: [
      { slug: 'sexual_violence', label: { fr: 'Violences sexuelles', en: 'Sexual violence' } },
      { slug: 'attack', label: { fr: 'Attaque', en: 'Attack' } },
      { slug: 'abduction_forced_disappearance', label: { fr: 'Enlèvement / disparition forcée', en: 'Abduction/forced disappearance' } },
    ],
  },
  {
    slug: 'protests',
    label: { fr: 'Manifestations', en: 'Protests' },
    subTypes: [
      { slug: 'peaceful_protest', label: { fr: 'Manifestation pacifique', en: 'Peaceful protest' } },
      { slug: 'protest_with_intervention', label: { fr: 'Manifestation avec intervention', en: 'Protest with intervention' } },
      { slug: 'excessive_force_against_protesters', label: { fr: 'Usage excessif de la force contre des manifestants', en: 'Excessive force against protesters' } },
    ],
  },
  {
    slug: 'riots',
    label: { fr: 'Émeutes', en: 'Riots' },
    subTypes: [
      { slug: 'violent_demonstration', label: { fr: 'Manifestation violente', en: 'Violent demonstration' } },
      { slug: 'mob_violence', label: { fr: 'Violence de foule', en: 'Mob violence' } },
    ],
  },
  {
    slug: 'strategic_developments',
    label: { fr: 'Évolutions stratégiques', en: 'Strategic developments' },
    subTypes: [
      { slug: 'agreement', label: { fr: 'Accord', en: 'Agreement' } },
      { slug: 'arrests', label: { fr: 'Arrestations', en: 'Arrests' } },
      { slug: 'change_to_group_activity', label: { fr: "Changement de groupe / d'activité", en: 'Change to group/activity' } },
      { slug: 'disrupted_weapons_use', label: { fr: "Usage d'armes déjoué", en: 'Disrupted weapons use' } },
      { slug: 'headquarters_or_base_established', label: { fr: 'Quartier général ou base établi', en: 'Headquarters or base established' } },
      { slug: 'looting_property_destruction', label: { fr: 'Pillage / destruction de biens', en: 'Looting/property destruction' } },
      { slug: 'non_violent_transfer_of_territory', label: { fr: 'Transfert non violent de territoire', en: 'Non-violent transfer of territory' } },
      { slug: 'other', label: { fr: 'Autre', en: 'Other' } },
    ],
  },
] as const satisfies readonly EventType[];

export type EventTypeSlug = (typeof EVENT_TYPES)[number]['slug'];
export type SubEventTypeSlug = (typeof EVENT_TYPES)[number]['subTypes'][number]['slug'];

export const EVENT_TYPE_SLUGS = EVENT_TYPES.map((t) => t.slug) as [EventTypeSlug, ...EventTypeSlug[]];
export const SUB_EVENT_TYPE_SLUGS = EVENT_TYPES.flatMap((t) => t.subTypes.map((s) => s.slug)) as [
  SubEventTypeSlug,
  ...SubEventTypeSlug[],
];

const parentOf = new Map<string, EventTypeSlug>(
  EVENT_TYPES.flatMap((t) => t.subTypes.map((s) => [s.slug, t.slug] as const)),
);

/** The event type a sub-type belongs to, or undefined for an unknown slug. */
export function eventTypeOf(subType: string): EventTypeSlug | undefined {
  return parentOf.get(subType);
}

/** French or English label of an event type or sub-type slug. */
export function taxonomyLabel(slug: string, lang: keyof Label = 'fr'): string {
  for (const t of EVENT_TYPES) {
    if (t.slug === slug) return t.label[lang];
    for (const s of t.subTypes) if (s.slug === slug) return s.label[lang];
  }
  return slug;
}

/** ACLED actor kinds ("inter" codes) 1-8. */
export const ACTOR_KINDS = [
  { code: 1, label: { fr: 'Forces étatiques', en: 'State forces' } },
  { code: 2, label: { fr: 'Groupe rebelle', en: 'Rebel group' } },
  { code: 3, label: { fr: 'Milice politique', en: 'Political militia' } },
  { code: 4, label: { fr: "Milice identitaire (communautaire)", en: 'Identity (communal) militia' } },
  { code: 5, label: { fr: 'Émeutiers', en: 'Rioters' } },
  { code: 6, label: { fr: 'Manifestants', en: 'Protesters' } },
  { code: 7, label: { fr: 'Civils', en: 'Civilians' } },
  { code: 8, label: { fr: 'Forces extérieures / autres', en: 'External/other forces' } },
] as const;

export type ActorKind = (typeof ACTOR_KINDS)[number]['code'];

/** ACLED interaction code: the two actor kinds, smaller first (e.g. 1 and 7 give 17; one actor alone gives 10·k). */
export function interactionCode(kind1: number | null | undefined, kind2: number | null | undefined): number | null {
  if (!kind1 && !kind2) return null;
  if (!kind1 || !kind2) return (kind1 ?? kind2 ?? 0) * 10;
  const [a, b] = kind1 <= kind2 ? [kind1, kind2] : [kind2, kind1];
  return a * 10 + b;
}

/**
 * An ACLED interaction code in words, after its number: "17 — Forces étatiques / Civils", and for one actor alone
 * "30 — Milice politique (acteur unique)". A code whose digits are no actor kind is written as it is.
 */
export function interactionLabel(code: number, lang: 'fr' | 'en'): string {
  const kind = (k: number) => ACTOR_KINDS.find((a) => a.code === k)?.label[lang];
  const [first, second] = [kind(Math.floor(code / 10)), code % 10 === 0 ? null : kind(code % 10)];
  if (!first || second === undefined) return String(code);
  return `${code} — ${first}${second === null ? (lang === 'fr' ? ' (acteur unique)' : ' (sole actor)') : ` / ${second}`}`;
}

/** UCDP type of violence derived from actor kinds: 1 state-based, 2 non-state, 3 one-sided. */
export function ucdpTypeOfViolence(kind1: number | null | undefined, kind2: number | null | undefined): 1 | 2 | 3 | null {
  if (!kind1 || !kind2) return null;
  if (kind1 === 7 || kind2 === 7) return 3;
  if (kind1 === 1 || kind2 === 1) return 1;
  return 2;
}
