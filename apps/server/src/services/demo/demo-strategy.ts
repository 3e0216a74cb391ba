/**
 * Demo content for strategy follow-up: a common strategy drawn from the aims the defence ministers stated publicly
 * (secure the common space, protect civilians, coordinate the forces, strengthen the armies, strategic autonomy),
 * targets derived from the demo incidents of the year before, hand-entered values for past quarters in every state
 * (approved, submitted, returned, draft, missing), one evaluation, and two past meetings with decisions and actions.
 * Participants and owners are states and bodies only: no person is named.
 */
import { actionCreateSchema, actionNoteSchema, definitionSchema, parseInput, periodBounds, periodContaining, periodLabel, periodsBetween, type Definition, type IndicatorCreate } from '@vigie/domain';
import { Problem } from '../../lib/problem.js';
import { findUserByLogin } from '../../repositories/user.repository.js';
import { findStrategyByCode } from '../../repositories/strategy.repository.js';
import { principalOf } from '../accounts/auth.service.js';
import type { Ctx } from '../context.js';
import { addAction, addActionNote, addDecision, createMeeting } from '../coordination/coordination.service.js';
import { SYSTEM, type Principal } from '../principal.js';
import { createEvaluation, patchEvaluation } from '../strategy/strategy.evaluation.service.js';
import { addAxis, addIndicator, addObjective, checkDefinition, createStrategy, patchStrategy } from '../strategy/strategy.service.js';
import { approveValue, enterValue, returnValue } from '../strategy/strategy.values.service.js';
import { computeIndicator } from '../strategy/compute.js';
import { LIPTAKO_GOURMA_AREAS } from './demo-places.js';

type Ind = Omit<IndicatorCreate, 'targets'> & { demo?: { base: number; step: number } };
interface Obj { code: string; name_fr: string; name_en: string; indicators: Ind[] }
interface Axis { code: string; name_fr: string; name_en: string; civilian_protection?: boolean; objectives: Obj[] }

const VIOLENT = ['battles', 'explosions_remote_violence', 'violence_against_civilians'] as const;

const computed = (code: string, name_fr: string, name_en: string, definition: Definition | Record<string, unknown>, o: Partial<Ind> = {}): Ind => ({
  code, name_fr, name_en, unit: 'count', direction: 'decrease', frequency: 'quarter', source: 'computed', definition: definition as Definition, ...o,
});
const manual = (code: string, name_fr: string, name_en: string, unit: Ind['unit'], base: number, step: number, o: Partial<Ind> = {}): Ind => ({
  code, name_fr, name_en, unit, direction: 'increase', frequency: 'quarter', source: 'manual', demo: { base, step }, ...o,
});

/** The demo strategy: 5 axes, 10 objectives, 25 indicators (13 computed from the incidents). */
export const DEMO_AXES: Axis[] = [
  {
    code: 'A1', name_fr: "Sécuriser l'espace commun", name_en: 'Secure the common space',
    objectives: [
      {
        code: 'O1.1', name_fr: 'Contenir les groupes armés dans le Liptako-Gourma', name_en: 'Contain the armed groups in the Liptako-Gourma',
        indicators: [
          computed('I01', 'Incidents violents dans le Liptako-Gourma', 'Violent incidents in the Liptako-Gourma', { measure: 'incidents', filter: { admin1: [...LIPTAKO_GOURMA_AREAS], event_types: [...VIOLENT] } }),
          computed('I02', 'Tués dans le Liptako-Gourma', 'Fatalities in the Liptako-Gourma', { measure: 'fatalities', filter: { admin1: [...LIPTAKO_GOURMA_AREAS] } }),
          computed('I03', 'Territoire repris par rapport au territoire perdu', 'Territory regained versus territory lost', {
            measure: 'ratio', numerator: { measure: 'incidents', filter: { sub_event_types: ['government_regains_territory'] } },
            denominator: { measure: 'incidents', filter: { sub_event_types: ['non_state_actor_overtakes_territory'] } },
          }, { unit: 'ratio', direction: 'increase' }),
          computed('I04', 'Tués dans la région de Tillabéri', 'Fatalities in the Tillabéri region', { measure: 'fatalities', filter: { states: ['NER'], admin1: ['NE006'] } }),
        ],
      },
      {
        code: 'O1.2', name_fr: 'Sécuriser les axes routiers et les frontières', name_en: 'Secure roads and borders',
        indicators: [
          computed('I05', 'Attaques par engins explosifs improvisés', 'Improvised explosive device attacks', { measure: 'incidents', filter: { sub_event_types: ['remote_explosive_landmine_ied'] } }),
          manual('I06', 'Axes routiers principaux ouverts à la circulation', 'Main roads open to traffic', 'percent', 55, 3),
        ],
      },
    ],
  },
  {
    code: 'A2', name_fr: 'Protéger les populations civiles', name_en: 'Protect civilians', civilian_protection: true,
    objectives: [
      {
        code: 'O2.1', name_fr: 'Réduire les victimes civiles', name_en: 'Reduce civilian fatalities',
        indicators: [
          computed('I07', 'Civils tués', 'Civilians killed', { measure: 'civilian_fatalities' }, { civilian_harm: true }),
          computed('I08', 'Part des civils parmi les tués', 'Civilian share of fatalities', {
            measure: 'ratio', numerator: { measure: 'civilian_fatalities' }, denominator: { measure: 'fatalities' }, scale: 100,
          }, { unit: 'percent', civilian_harm: true }),
          computed('I09', 'Civils tués par des engins explosifs et frappes', 'Civilians killed by explosives and strikes', { measure: 'civilian_fatalities', filter: { event_types: ['explosions_remote_violence'] } }, { civilian_harm: true }),
          computed('I10', 'Civils tués en moyenne par frappe aérienne ou de drone', 'Average civilians killed per air or drone strike', {
            measure: 'ratio', numerator: { measure: 'civilian_fatalities', filter: { sub_event_types: ['air_drone_strike'] } },
            denominator: { measure: 'incidents', filter: { sub_event_types: ['air_drone_strike'] } },
          }, { unit: 'ratio', civilian_harm: true }),
        ],
      },
      {
        code: 'O2.2', name_fr: 'Protéger et assister les populations', name_en: 'Protect and assist the population',
        indicators: [
          computed('I11', 'Enlèvements et disparitions forcées', 'Abductions and forced disappearances', { measure: 'incidents', filter: { sub_event_types: ['abduction_forced_disappearance'] } }, { civilian_harm: true }),
          computed('I12', 'Violences communautaires (violences de foule)', 'Communal violence (mob violence)', { measure: 'incidents', filter: { sub_event_types: ['mob_violence'] } }, { civilian_harm: true }),
          manual('I13', 'Incidents touchant des civils ayant fait l’objet d’une enquête', 'Civilian-harm incidents investigated', 'percent', 35, 4, { civilian_harm: true }),
          manual('I14', 'Personnes déplacées rentrées dans leur commune', 'Displaced people returned home', 'count', 1200, 150, { civilian_harm: true }),
        ],
      },
    ],
  },
  {
    code: 'A3', name_fr: 'Coordonner les forces et consolider la synergie d’actions', name_en: 'Coordinate the forces and consolidate the synergy of actions',
    objectives: [
      {
        code: 'O3.1', name_fr: 'Conduire des opérations conjointes', name_en: 'Conduct joint operations',
        indicators: [
          manual('I15', 'Opérations conjointes conduites', 'Joint operations conducted', 'count', 3, 1),
          computed('I16', 'Territoire repris par les forces de l’État', 'Territory regained by state forces', { measure: 'incidents', filter: { sub_event_types: ['government_regains_territory'] } }, { direction: 'increase' }),
        ],
      },
      {
        code: 'O3.2', name_fr: 'Partager le renseignement et répondre aux alertes', name_en: 'Share intelligence and answer alerts',
        indicators: [
          manual('I17', 'Délai médian entre alerte et réponse', 'Median delay between alert and response', 'days', 12, -1, { direction: 'decrease' }),
          manual('I18', 'Rapports d’incident validés sous 72 heures', 'Incident reports validated within 72 hours', 'percent', 60, 4),
        ],
      },
    ],
  },
  {
    code: 'A4', name_fr: 'Renforcer les capacités opérationnelles des armées nationales', name_en: 'Strengthen the operational capacities of the national armies',
    objectives: [
      {
        code: 'O4.1', name_fr: 'Former et équiper les unités', name_en: 'Train and equip the units',
        indicators: [
          manual('I19', 'Personnels formés', 'Personnel trained', 'count', 2500, 400, { frequency: 'year' }),
          manual('I20', 'Unités équipées selon le plan', 'Units equipped as planned', 'percent', 40, 15, { frequency: 'year' }),
        ],
      },
      {
        code: 'O4.2', name_fr: "Rétablir la présence de l'État", name_en: 'Restore the presence of the state',
        indicators: [
          computed('I21', 'Territoire pris par des groupes armés', 'Territory taken by armed groups', { measure: 'incidents', filter: { sub_event_types: ['non_state_actor_overtakes_territory'] } }),
          manual('I22', 'Postes administratifs rouverts', 'Administrative posts reopened', 'percent', 45, 3),
        ],
      },
    ],
  },
  {
    code: 'A5', name_fr: 'Affirmer la souveraineté et bâtir une architecture de sécurité propre', name_en: 'Affirm sovereignty and build a security architecture of our own',
    objectives: [
      {
        code: 'O5.1', name_fr: "Réduire les dépendances extérieures", name_en: 'Reduce outside dependencies',
        indicators: [
          manual('I23', 'Part du budget de défense financée sur ressources propres', 'Share of the defence budget funded nationally', 'percent', 70, 5, { frequency: 'year' }),
        ],
      },
      {
        code: 'O5.2', name_fr: 'Suivre et évaluer la stratégie fixée par les chefs d’État', name_en: 'Follow up and evaluate the strategy set by the heads of state',
        indicators: [
          manual('I24', 'Décisions des ministres mises en œuvre dans les délais', "Ministers' decisions carried out on time", 'percent', 50, 5),
          manual('I25', 'Valeurs d’indicateurs approuvées dans les délais', 'Indicator values approved on time', 'percent', 55, 5),
        ],
      },
    ],
  },
];

/** A small deterministic generator, so that a seed gives the same demo every time. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const STATE_FACTOR: Record<string, number> = { MLI: 1, BFA: 0.9, NER: 1.1 };
const round = (x: number, unit: string) => (unit === 'count' ? Math.max(0, Math.round(x)) : Math.max(0, Math.round(x * 10) / 10));
const clampUnit = (x: number, unit: string) => (unit === 'percent' ? Math.min(100, x) : x);

async function principalFor(ctx: Ctx, login: string): Promise<Principal> {
  const row = await findUserByLogin(ctx.engine.db, login);
  return row ? principalOf(row) : SYSTEM;
}

export interface DemoStrategyResult { strategyId: string; indicators: number; values: number; evaluationId: string | null; actions: number }

/** Seeds the demo strategy, its values, one evaluation and two meetings, once (skipped when the strategy exists). */
export async function seedDemoStrategy(ctx: Ctx, options: { endDate?: Date; seed?: number } = {}): Promise<DemoStrategyResult | null> {
  const end = (options.endDate ?? new Date()).toISOString().slice(0, 10);
  const year = Number(end.slice(0, 4));
  const code = `SC-${ctx.reference.alliance.code}-${year - 1}-${year + 1}`;
  if (await findStrategyByCode(ctx.engine.db, code)) return null;
  const random = rng(options.seed ?? 20261129);
  const states = ctx.reference.states.map((s) => s.code);
  const staff = await principalFor(ctx, `analyste.${'CONF'.toLowerCase()}`);
  const validFrom = `${year - 1}-01-01`;
  const validTo = `${year + 1}-12-31`;
  const baselineYear = String(year - 2);

  const s = await createStrategy(ctx, staff, {
    code, title_fr: `Stratégie commune de sécurité ${year - 1}-${year + 1} [DÉMO]`, title_en: `Common security strategy ${year - 1}-${year + 1} [DEMO]`,
    description_fr: 'Stratégie fictive de démonstration, tirée des objectifs publics de la concertation des ministres de la Défense.',
    valid_from: validFrom, valid_to: validTo, thresholds: { on_track: 0.9, at_risk: 0.6 },
  });
  let indicators = 0;
  let values = 0;
  const manualIds: { id: string; ind: Ind }[] = [];
  const objectiveIds: Record<string, string> = {};
  for (const a of DEMO_AXES) {
    const axis = await addAxis(ctx, staff, s.id, { code: a.code, name_fr: a.name_fr, name_en: a.name_en, civilian_protection: a.civilian_protection ?? false });
    for (const o of a.objectives) {
      const obj = await addObjective(ctx, staff, axis.id, { code: o.code, name_fr: o.name_fr, name_en: o.name_en });
      objectiveIds[o.code] = obj.id;
      for (const ind of o.indicators) {
        const { demo, ...body } = ind;
        const frequency = body.frequency ?? 'quarter';
        const periods = periodsBetween(validFrom, validTo, frequency);
        const targets: { period: string; state: string | null; value: number }[] = [];
        let baseline: number | null = null;
        if (body.source === 'computed' && body.definition) {
          const unknown = await checkDefinition(ctx, ctx.engine.db, definitionSchema.parse(body.definition));
          if (unknown.length) continue;
          // Baseline: the year before the strategy, measured on the demo incidents; a steady 5 % improvement a quarter.
          const base = await computeIndicator(ctx, SYSTEM, definitionSchema.parse(body.definition), 'year', [baselineYear], `${baselineYear}-01-01`, `${baselineYear}-12-31`);
          const row = base.get(baselineYear);
          const perQuarter = (v: number | null) => (v === null ? null : body.unit === 'count' ? v / 4 : v);
          baseline = row?.get('') ?? null;
          periods.forEach((p, k) => {
            // Counts aim at 5 % better a quarter; shares and ratios at 2 %.
            const step = body.unit === 'count' ? 0.05 : 0.02;
            const f = body.direction === 'decrease' ? Math.max(0.5, 1 - step * (k + 1)) : 1 + step * (k + 1);
            for (const st of [null, ...states]) {
              const b = perQuarter(row?.get(st ?? '') ?? null);
              if (b !== null && b > 0) targets.push({ period: p, state: st, value: round(b * f, body.unit) });
            }
          });
        } else if (demo) {
          baseline = demo.base;
          periods.forEach((p, k) => {
            const steps = frequency === 'year' ? k + 1 : (k + 1) / 2;
            const t = demo.base + demo.step * steps * 1.2;
            targets.push({ period: p, state: null, value: round(clampUnit(body.unit === 'count' ? t * states.length : t, body.unit), body.unit) });
            for (const st of states) targets.push({ period: p, state: st, value: round(clampUnit(t, body.unit), body.unit) });
          });
        }
        // Another configuration may lack an area the AES demo names: that indicator is then left out.
        const created = await addIndicator(ctx, staff, obj.id, {
          ...body, baseline_value: baseline === null ? null : round(body.unit === 'count' && body.source === 'computed' ? baseline / 4 : baseline, body.unit),
          baseline_period: baseline === null ? null : baselineYear, targets,
        }).catch((e: unknown) => {
          if (e instanceof Problem && e.code === 'validation_failed') return null;
          throw e;
        });
        if (!created) continue;
        indicators++;
        if (body.source === 'manual') manualIds.push({ id: created.id, ind });
      }
    }
  }
  await patchStrategy(ctx, staff, s.id, { version: 1, status: 'active' });

  // Hand-entered values for every ended period: mostly approved; the latest ones in various states; some missing.
  const lastEnded = (f: 'quarter' | 'year') => periodsBetween(validFrom, end, f).filter((p) => periodBounds(p).end <= end);
  for (const st of states) {
    const analyst = await principalFor(ctx, `analyste.${st.toLowerCase()}`);
    const focal = await principalFor(ctx, `point-focal.${st.toLowerCase()}`);
    for (const { id, ind } of manualIds) {
      const demo = ind.demo as { base: number; step: number };
      const periods = lastEnded((ind.frequency ?? 'quarter') as 'quarter' | 'year');
      for (const [k, p] of periods.entries()) {
        const latest = k === periods.length - 1;
        const r = random();
        if (latest && r < 0.2) continue; // missing: late
        const steps = ind.frequency === 'year' ? k + 1 : (k + 1) / 2;
        const noise = 1 + (random() - 0.5) * 0.3;
        const value = round(clampUnit((demo.base + demo.step * steps) * (STATE_FACTOR[st] ?? 1) * noise, ind.unit), ind.unit);
        const v = await enterValue(ctx, analyst, id, {
          period: p, state: st, value, comment: `Valeur consolidée par le centre national (${p}) [DÉMO]`,
          evidence: [{ title: `Rapport national ${p}`, reference: `${st}/SE/${p}` }], submit: !(latest && r < 0.35),
        });
        values++;
        if (latest && r < 0.35) continue; // draft
        if (latest && r < 0.5) continue; // submitted, awaiting the focal point
        if (latest && r < 0.6) {
          await returnValue(ctx, focal, v.id, { reason: 'Pièce justificative à compléter' });
          continue;
        }
        await approveValue(ctx, focal, v.id);
      }
    }
  }

  // The experts' evaluation of the last ended quarter, finalised (its figures frozen for the confederation at
  // "restricted"), and the current quarter's, in progress.
  let evaluationId: string | null = null;
  const q = lastEnded('quarter').at(-1);
  if (q) {
    const e = await createEvaluation(ctx, staff, s.id, {
      period: q, audience: 'CONF', ceiling: 'restricted',
      narrative: `Évaluation fictive de démonstration pour le ${periodLabel(q, 'fr')}.\n\nLes incidents violents restent concentrés dans le Liptako-Gourma. Les victimes civiles demeurent le premier sujet de préoccupation : leur suivi figure dans chaque rapport. Les opérations conjointes progressent ; la remontée des valeurs nationales doit être accélérée.`,
      ratings: [{ objective_id: objectiveIds['O3.2'] as string, rating: 'at_risk', justification: 'Le délai entre alerte et réponse ne baisse pas encore de façon durable.', comment: '' }],
    });
    await patchEvaluation(ctx, staff, e.id, { version: e.version, status: 'final' });
    evaluationId = e.id;
    const current = periodContaining(end, 'quarter');
    if (current !== q && current <= periodContaining(validTo, 'quarter')) {
      await createEvaluation(ctx, staff, s.id, {
        period: current, audience: 'CONF', ceiling: 'restricted',
        narrative: `Évaluation en cours de rédaction pour le ${periodLabel(current, 'fr')} (démonstration) : le trimestre n'est pas terminé.`,
      });
    }
  }

  // Two past meetings with decisions and actions in various states (some overdue).
  const day = (offset: number) => new Date(Date.parse(`${end}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  let actions = 0;
  const m1 = await createMeeting(ctx, staff, {
    title: 'Concertation des ministres de la Défense [DÉMO]', date: day(-300), place: 'Bamako', states,
    bodies: ['État-major de la Force unifiée', 'Comité des experts'],
    agenda: '1. Situation sécuritaire dans l’espace commun\n2. Opérationnalisation de la Force unifiée\n3. Suivi de la stratégie commune',
    minutes: 'Les ministres ont examiné la situation et arrêté les décisions ci-après. [DÉMO]',
  });
  const d1 = await addDecision(ctx, staff, m1.id, { code: 'D1', text: 'Opérationnaliser la Force unifiée dans le Liptako-Gourma' });
  const d2 = await addDecision(ctx, staff, m1.id, { code: 'D2', text: 'Mettre en place un dispositif commun de protection des civils' });
  const m2 = await createMeeting(ctx, staff, {
    title: 'Réunion des chefs d’état-major [DÉMO]', date: day(-90), place: 'Niamey', states,
    bodies: ['Comité des chefs d’état-major', 'Cellule de renseignement commune'],
    agenda: '1. Bilan des opérations conjointes\n2. Partage du renseignement\n3. Logistique',
    minutes: 'Le comité a fait le point des actions décidées par les ministres. [DÉMO]',
  });
  const d3 = await addDecision(ctx, staff, m2.id, { code: 'D1', text: 'Renforcer le partage du renseignement et la réponse aux alertes' });
  const plan: [string, Record<string, unknown>, string | null][] = [
    [d1.id, { title: 'Désigner les officiers de liaison de chaque État auprès de l’état-major', owner_state: 'MLI', due_date: day(-240), objective_ids: [objectiveIds['O3.1']] }, 'done'],
    [d1.id, { title: 'Installer le poste de commandement avancé', owner_body: 'État-major de la Force unifiée', due_date: day(-60), objective_ids: [objectiveIds['O1.1'], objectiveIds['O3.1']] }, 'in_progress'],
    [d1.id, { title: 'Sécuriser l’axe logistique frontalier', owner_state: 'NER', due_date: day(-20), objective_ids: [objectiveIds['O1.2']] }, 'blocked'],
    [d2.id, { title: 'Créer des comités locaux de protection des civils', owner_state: 'BFA', due_date: day(-30), objective_ids: [objectiveIds['O2.2']] }, 'in_progress'],
    [d2.id, { title: 'Publier chaque trimestre le bilan des victimes civiles', owner_body: 'Comité des experts', due_date: day(-150), objective_ids: [objectiveIds['O2.1']] }, 'done'],
    [d3.id, { title: 'Raccorder les centres nationaux au réseau d’alerte commun', owner_state: 'MLI', due_date: day(45), objective_ids: [objectiveIds['O3.2']] }, 'in_progress'],
    [d3.id, { title: 'Fixer un délai maximal de réponse aux alertes', owner_body: 'Cellule de renseignement commune', due_date: day(-10), objective_ids: [objectiveIds['O3.2']] }, null],
    [d3.id, { title: 'Former les analystes à la cotation des sources', owner_state: 'BFA', due_date: day(90), objective_ids: [objectiveIds['O4.1']] }, null],
  ];
  for (const [decision, body, status] of plan) {
    const a = await addAction(ctx, staff, decision, parseInput(actionCreateSchema, body));
    actions++;
    if (status) {
      const owner = a.owner_state ? await principalFor(ctx, `analyste.${a.owner_state.toLowerCase()}`) : staff;
      await addActionNote(ctx, owner, a.id, parseInput(actionNoteSchema, {
        text: status === 'done' ? 'Action réalisée ; compte rendu transmis. [DÉMO]' : status === 'blocked' ? 'En attente des moyens logistiques. [DÉMO]' : 'Travaux engagés. [DÉMO]',
        status, progress: status === 'done' ? 100 : status === 'blocked' ? 20 : 50,
        evidence: status === 'done' ? [{ title: 'Compte rendu d’exécution' }] : [],
      }));
    }
  }
  return { strategyId: s.id, indicators, values, evaluationId, actions };
}
