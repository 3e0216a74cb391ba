/** Scenarios of the demo data: plausible event sub-types per actor pair, with their toll and a French narrative. */
import type { SubEventTypeSlug } from '@vigie/domain';
import type { Random } from './random.js';

/** The actors an area's incidents draw from (codes from the configuration; null where it has none). */
export interface ActorPool {
  forces: string | null;
  joint: string | null;
  auxiliaries: string | null;
  groups: (readonly [string, number])[];
  militias: (readonly [string, number])[];
  unidentified: string | null;
  civilians: string | null;
  rioters: string | null;
  protesters: string | null;
  external: string | null;
}



export interface Scene {
  r: Random;
  pool: ActorPool;
  /** "à Boni (Mopti)", or "dans une localité non précisée (Mopti)" when the place is hidden or vague. */
  at: string;
  /** "le village de Boni (Mopti)" ("la localité de Douentza (Mopti)" for a town), or "une localité non précisée (Mopti)". */
  village: string;
  label: (code: string | null) => string;
}

export interface Outcome {
  actor1: string | null;
  actor2?: string | null;
  associated?: string[];
  fatalities?: number;
  civilians?: number;
  injured?: number;
  abducted?: number;
  text: string;
  tags: string[];
}

export interface Scenario {
  sub: SubEventTypeSlug;
  weight: number;
  capitalWeight: number;
  build: (s: Scene) => Outcome;
}

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

/** "5 civils tués, 2 blessés", "12 morts dont 3 civils, 4 blessés", "aucune victime signalée". */
export function tollText(o: { fatalities: number; civilians: number; injured: number; abducted: number }): string {
  const parts: string[] = [];
  if (o.fatalities > 0 && o.civilians === o.fatalities) parts.push(plural(o.civilians, 'civil tué', 'civils tués'));
  else if (o.fatalities > 0) parts.push(plural(o.fatalities, 'mort', 'morts') + (o.civilians > 0 ? ` dont ${plural(o.civilians, 'civil', 'civils')}` : ''));
  if (o.injured > 0) parts.push(plural(o.injured, 'blessé', 'blessés'));
  if (o.abducted > 0) parts.push(plural(o.abducted, 'personne enlevée', 'personnes enlevées'));
  return parts.length ? parts.join(', ') : 'aucune victime signalée';
}

const group = (s: Scene) => (s.pool.groups.length ? s.r.weighted(s.pool.groups) : s.pool.unidentified);
const militia = (s: Scene) => (s.pool.militias.length ? s.r.weighted(s.pool.militias) : s.pool.unidentified);
/**
 * Perpetrators of violence against civilians: armed groups, communal militias, unidentified gunmen — and, as in
 * every real record of this conflict, state forces and their auxiliaries too: civilian harm is measured whoever causes it.
 */
function perpetrator(s: Scene): string | null {
  const who = s.r.weighted([
    ['group', 52], ['militia', 16], ['unidentified', 17], ['forces', s.pool.forces ? 10 : 0], ['auxiliaries', s.pool.auxiliaries ? 5 : 0],
  ] as const);
  if (who === 'forces') return s.pool.forces;
  if (who === 'auxiliaries') return s.pool.auxiliaries;
  return (who === 'group' ? group(s) : who === 'militia' ? militia(s) : s.pool.unidentified) ?? group(s);
}
const forces = (s: Scene) =>
  s.r.weighted<string | null>([[s.pool.forces, 80], [s.pool.auxiliaries, s.pool.auxiliaries ? 10 : 0], [s.pool.joint, s.pool.joint ? 4 : 0]]) ?? s.pool.forces;
/** Who fights alongside the state forces now and then. */
function alongside(s: Scene, f: string | null): string[] {
  const out: string[] = [];
  if (f === s.pool.forces && s.pool.auxiliaries && s.r.chance(0.3)) out.push(s.pool.auxiliaries);
  if (f === s.pool.forces && s.pool.joint && s.r.chance(0.08)) out.push(s.pool.joint);
  if (f === s.pool.forces && s.pool.external && s.r.chance(0.05)) out.push(s.pool.external);
  return out;
}
const claimed = (s: Scene, who: string | null) => (who === s.pool.unidentified ? 'auteurs non identifiés' : `auteur présumé : ${s.label(who)}`);

export const SCENARIOS: readonly Scenario[] = [
  { sub: 'armed_clash', weight: 28, capitalWeight: 0.5, build: (s) => {
    const [g, f] = [group(s), forces(s)];
    const fatalities = s.r.chance(0.2) ? 0 : Math.max(1, s.r.heavy(4, 1.1, 250));
    const civilians = fatalities > 0 && s.r.chance(0.12) ? s.r.int(1, Math.min(3, fatalities)) : 0;
    const injured = s.r.int(0, Math.ceil(fatalities * 1.2) + 2);
    if (s.r.chance(0.35)) {
      return { actor1: f, actor2: g, associated: alongside(s, f), fatalities, civilians, injured, tags: ['opération'],
        text: `Opération des forces (${s.label(f)}) contre des combattants (${s.label(g)}) ${s.at}` };
    }
    const ambush = s.r.chance(0.5);
    return { actor1: g, actor2: f, associated: alongside(s, f), fatalities, civilians, injured, tags: [ambush ? 'embuscade' : 'attaque de poste'],
      text: `${ambush ? 'Embuscade contre une patrouille' : 'Attaque contre une position'} (${s.label(f)}) ${s.at} ; ${claimed(s, g)}` };
  } },
  { sub: 'armed_clash', weight: 7, capitalWeight: 0, build: (s) => {
    // Fighting between non-state groups: rival jihadist groups, communal militias against them.
    const communal = s.r.chance(0.5);
    const a = communal ? militia(s) : group(s);
    let b = group(s);
    for (let i = 0; i < 5 && b === a; i++) b = group(s);
    if (b === a) b = s.pool.unidentified;
    const fatalities = Math.max(1, s.r.heavy(5, 1, 200));
    return { actor1: a, actor2: b, fatalities, injured: s.r.int(0, fatalities), tags: [communal ? 'milice communautaire' : 'rivalité entre groupes'],
      text: `Affrontements entre ${s.label(a)} et ${s.label(b)} ${s.at}` };
  } },
  { sub: 'government_regains_territory', weight: 2, capitalWeight: 0, build: (s) => {
    const [f, g] = [forces(s), group(s)];
    const fatalities = s.r.heavy(6, 0.9, 150);
    return { actor1: f, actor2: g, associated: alongside(s, f), fatalities, injured: s.r.int(0, fatalities), tags: ['reprise'],
      text: `Reprise par les forces (${s.label(f)}) d'une localité tenue par ${s.label(g)} ${s.at}` };
  } },
  { sub: 'non_state_actor_overtakes_territory', weight: 1.5, capitalWeight: 0, build: (s) => {
    const [g, f] = [group(s), forces(s)];
    const fatalities = s.r.heavy(8, 0.9, 200);
    return { actor1: g, actor2: f, fatalities, injured: s.r.int(0, fatalities), tags: ['poste abandonné'],
      text: `Prise d'un poste des forces (${s.label(f)}) ${s.at} ; ${claimed(s, g)}` };
  } },
  { sub: 'attack', weight: 24, capitalWeight: 1, build: (s) => {
    const p = perpetrator(s);
    const fatalities = Math.max(1, s.r.heavy(3, 1.1, 300));
    const injured = s.r.int(0, Math.ceil(fatalities / 2) + 1);
    const abducted = s.r.chance(0.1) ? s.r.int(1, 8) : 0;
    const text = p === s.pool.unidentified ? `Attaque d'hommes armés non identifiés contre ${s.village}` : `Attaque contre ${s.village} ; ${claimed(s, p)}`;
    return { actor1: p, actor2: s.pool.civilians, fatalities, civilians: fatalities, injured, abducted, tags: [s.r.pick(['village', 'marché', 'axe routier', 'site d\'orpaillage'])], text };
  } },
  { sub: 'abduction_forced_disappearance', weight: 9, capitalWeight: 0.3, build: (s) => {
    const p = perpetrator(s);
    const abducted = Math.max(1, s.r.heavy(4, 0.9, 120));
    const fatalities = s.r.chance(0.1) ? s.r.int(1, 3) : 0;
    return { actor1: p, actor2: s.pool.civilians, fatalities, civilians: fatalities, abducted, tags: ['enlèvement'],
      text: `Enlèvement de civils ${s.at} ; ${claimed(s, p)}` };
  } },
  { sub: 'sexual_violence', weight: 0.8, capitalWeight: 0.1, build: (s) => {
    const p = perpetrator(s);
    const victims = s.r.int(1, 6);
    return { actor1: p, actor2: s.pool.civilians, tags: ['protection'],
      text: `Violences sexuelles signalées ${s.at} ; ${claimed(s, p)} ; ${plural(victims, 'victime orientée', 'victimes orientées')} vers une prise en charge` };
  } },
  { sub: 'remote_explosive_landmine_ied', weight: 11, capitalWeight: 0.3, build: (s) => {
    const g = s.r.chance(0.5) ? group(s) : null;
    const onCivilians = s.r.chance(0.4);
    const target = onCivilians ? s.pool.civilians : forces(s);
    const fatalities = s.r.chance(0.25) ? 0 : Math.max(1, s.r.heavy(2, 1, 40));
    return { actor1: g, actor2: target, fatalities, civilians: onCivilians ? fatalities : 0, injured: s.r.heavy(3, 0.8, 60), tags: ['eei', 'axe routier'],
      text: `Explosion d'un engin explosif improvisé au passage ${onCivilians ? "d'un véhicule civil" : `d'un convoi (${s.label(target)})`} ${s.at}${g ? ` ; ${claimed(s, g)}` : ''}` };
  } },
  { sub: 'air_drone_strike', weight: 4, capitalWeight: 0, build: (s) => {
    const [f, g] = [s.pool.forces ?? s.pool.joint, group(s)];
    const fatalities = Math.max(1, s.r.heavy(6, 0.9, 120));
    const civilians = s.r.chance(0.1) ? s.r.int(1, Math.min(5, fatalities)) : 0;
    return { actor1: f, actor2: g, fatalities, civilians, injured: civilians ? s.r.int(0, 5) : 0, tags: ['drone'],
      text: `Frappe aérienne (${s.label(f)}) visant des combattants (${s.label(g)}) ${s.at}` };
  } },
  { sub: 'shelling_artillery_missile_attack', weight: 1.5, capitalWeight: 0, build: (s) => {
    const [g, f] = [group(s), forces(s)];
    const fatalities = s.r.chance(0.5) ? 0 : s.r.int(1, 4);
    return { actor1: g, actor2: f, fatalities, injured: s.r.int(0, 6), tags: ['tirs indirects'],
      text: `Tirs d'obus contre un camp des forces (${s.label(f)}) ${s.at} ; ${claimed(s, g)}` };
  } },
  { sub: 'suicide_bomb', weight: 0.5, capitalWeight: 0.05, build: (s) => {
    const [g, f] = [group(s), forces(s)];
    const fatalities = Math.max(1, s.r.heavy(10, 0.8, 150));
    return { actor1: g, actor2: f, fatalities, civilians: s.r.chance(0.3) ? s.r.int(1, Math.min(5, fatalities)) : 0, injured: s.r.heavy(12, 0.7, 200), tags: ['véhicule piégé'],
      text: `Attaque au véhicule piégé contre un camp (${s.label(f)}) ${s.at} ; ${claimed(s, g)}` };
  } },
  { sub: 'grenade', weight: 0.2, capitalWeight: 0.5, build: (s) => {
    const p = s.pool.unidentified ?? group(s);
    const fatalities = s.r.chance(0.7) ? 0 : 1;
    return { actor1: p, actor2: s.pool.civilians, fatalities, civilians: fatalities, injured: s.r.int(1, 6), tags: ['grenade'],
      text: `Jet de grenade ${s.at} ; ${claimed(s, p)}` };
  } },
  { sub: 'looting_property_destruction', weight: 5, capitalWeight: 0.3, build: (s) => {
    const p = s.r.chance(0.7) ? group(s) : s.pool.unidentified;
    const what = s.r.pick(['vol de bétail', 'incendie de greniers', 'destruction d\'une école', 'pillage de boutiques', 'sabotage d\'un pont']);
    return { actor1: p, actor2: s.pool.civilians, abducted: s.r.chance(0.1) ? s.r.int(1, 4) : 0, tags: [what.split(' ')[0] as string],
      text: `${what[0]?.toUpperCase()}${what.slice(1)} ${s.at} ; ${claimed(s, p)}` };
  } },
  { sub: 'arrests', weight: 3, capitalWeight: 6, build: (s) => {
    const f = s.pool.forces ?? forces(s);
    const n = s.r.int(1, 12);
    return { actor1: f, tags: ['interpellations'], text: `Interpellation de ${plural(n, 'suspect', 'suspects')} par les forces (${s.label(f)}) ${s.at}` };
  } },
  { sub: 'disrupted_weapons_use', weight: 2.5, capitalWeight: 0.5, build: (s) => {
    const f = forces(s);
    return { actor1: f, tags: ['eei', 'déminage'], text: `Neutralisation d'un engin explosif improvisé par les forces (${s.label(f)}) ${s.at}` };
  } },
  { sub: 'headquarters_or_base_established', weight: 0.4, capitalWeight: 0, build: (s) => {
    const f = forces(s);
    return { actor1: f, tags: ['base'], text: `Installation d'une base opérationnelle avancée (${s.label(f)}) ${s.at}` };
  } },
  { sub: 'change_to_group_activity', weight: 0.4, capitalWeight: 0.1, build: (s) => {
    const g = group(s);
    return { actor1: g, tags: ['reddition'], text: `Reddition de combattants (${s.label(g)}) auprès des autorités ${s.at}` };
  } },
  { sub: 'agreement', weight: 0.5, capitalWeight: 0.3, build: (s) => {
    const m = militia(s);
    return { actor1: m, actor2: s.pool.civilians, tags: ['pacte local'], text: `Accord local de non-agression conclu ${s.at} entre ${s.label(m)} et des représentants des communautés` };
  } },
  { sub: 'non_violent_transfer_of_territory', weight: 0.3, capitalWeight: 0, build: (s) => {
    const g = group(s);
    return { actor1: g, tags: ['poste abandonné'], text: `Retrait des forces et occupation sans combat d'une localité ${s.at} ; ${claimed(s, g)}` };
  } },
  { sub: 'other', weight: 0.3, capitalWeight: 0.3, build: (s) => ({
    actor1: null, tags: ['déplacement'], text: `Déplacement préventif de ${plural(s.r.int(2, 300), 'ménage', 'ménages')} signalé ${s.at}`,
  }) },
  { sub: 'peaceful_protest', weight: 0.8, capitalWeight: 30, build: (s) => ({
    actor1: s.pool.protesters, tags: ['manifestation'],
    text: `Rassemblement pacifique ${s.at} ${s.r.pick(['en soutien aux forces de défense', 'contre la vie chère', 'pour la sécurité des axes routiers', 'contre les coupures d\'électricité'])}`,
  }) },
  { sub: 'protest_with_intervention', weight: 0.3, capitalWeight: 8, build: (s) => ({
    actor1: s.pool.protesters, actor2: s.pool.forces, injured: s.r.int(0, 5), tags: ['manifestation'],
    text: `Manifestation dispersée par les forces de l'ordre ${s.at}`,
  }) },
  { sub: 'excessive_force_against_protesters', weight: 0.05, capitalWeight: 1, build: (s) => {
    const fatalities = s.r.int(1, 3);
    return { actor1: s.pool.forces, actor2: s.pool.protesters, fatalities, civilians: fatalities, injured: s.r.int(2, 15), tags: ['manifestation'],
      text: `Manifestation réprimée ${s.at}` };
  } },
  { sub: 'violent_demonstration', weight: 0.4, capitalWeight: 6, build: (s) => ({
    actor1: s.pool.rioters, actor2: s.r.chance(0.5) ? s.pool.forces : null, injured: s.r.int(0, 10), tags: ['émeute'],
    text: `Manifestation violente ${s.at} : pneus brûlés et barricades`,
  }) },
  { sub: 'mob_violence', weight: 0.5, capitalWeight: 3, build: (s) => {
    const fatalities = s.r.chance(0.6) ? 0 : s.r.int(1, 2);
    return { actor1: s.pool.rioters, actor2: s.pool.civilians, fatalities, civilians: fatalities, injured: s.r.int(0, 4), tags: ['justice populaire'],
      text: `Violence de foule ${s.at} à la suite d'un vol présumé` };
  } },
];
