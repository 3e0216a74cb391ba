/** What a reader sees of the catalogue's wording: plurals through i18next, one term per measure, labels without form hints. */
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import * as alerts from '../features/alerts/messages';
import { en as alertsEn } from '../features/alerts/messages.en';
import { shell as alertsShell } from '../features/alerts/shell-messages';
import * as coordination from '../features/coordination/messages';
import { en as coordinationEn } from '../features/coordination/messages.en';
import * as strategy from '../features/strategy/messages';
import { en as strategyEn } from '../features/strategy/messages.en';
import { en } from './en';
import { fr } from './fr';

const catalogue = { fr: { ...fr, coordination: coordination.fr, strategy: strategy.fr, alerts: { ...alertsShell, ...alerts.fr } }, en: { ...en, coordination: coordinationEn, strategy: strategyEn, alerts: alertsEn } };

async function tFor(lng: 'fr' | 'en') {
  const i = i18next.createInstance();
  await i.init({ lng, resources: { [lng]: { translation: catalogue[lng] } }, interpolation: { escapeValue: false } });
  return i.t.bind(i);
}

const strings = (o: unknown): string[] => (typeof o === 'string' ? [o] : o && typeof o === 'object' ? Object.values(o).flatMap(strings) : []);

describe('the web catalogue', () => {
  it('counts overdue actions and late values with real plurals, without « (s) »', async () => {
    const tf = await tFor('fr');
    const te = await tFor('en');
    expect(tf('coordination.overdue_count', { count: 1 })).toBe('1 action en retard');
    expect(tf('coordination.overdue_count', { count: 4 })).toBe('4 actions en retard');
    expect(te('coordination.overdue_count', { count: 1 })).toBe('1 overdue action');
    expect(te('coordination.overdue_count', { count: 4 })).toBe('4 overdue actions');
    expect(tf('strategy.missing_late', { count: 1 })).toBe('1 valeur manquante ou en retard');
    expect(tf('strategy.missing_late', { count: 3 })).toBe('3 valeurs manquantes ou en retard');
    expect(te('strategy.missing_late', { count: 3 })).toBe('3 missing or late values');
    expect(tf('strategy.coverage', { count: 0, expected: 3 })).toBe('aucun des 3 États n’a déclaré');
    expect(tf('strategy.coverage', { count: 1, expected: 3 })).toBe('1 État sur 3 a déclaré');
    expect(tf('strategy.coverage', { count: 2, expected: 3 })).toBe('2 États sur 3 ont déclaré');
    expect(te('strategy.coverage', { count: 1, expected: 3 })).toBe('1 of 3 states reported');
    expect(tf('form.errors_summary', { count: 1 })).toBe('Le formulaire contient 1 erreur : corrigez le champ signalé.');
    expect(tf('form.errors_summary', { count: 2 })).toBe('Le formulaire contient 2 erreurs : corrigez les champs signalés.');
    expect(te('form.errors_summary', { count: 2 })).toBe('The form has 2 errors: fix the marked fields.');
    expect(tf('alerts.badge', { count: 1 })).toBe('1 alerte en attente');
    expect(tf('alerts.badge', { count: 3 })).toBe('3 alertes en attente');
    expect(te('alerts.badge', { count: 3 })).toBe('3 alerts waiting');
    expect(tf('review.distance', { km: '2,5', days: '1,5', count: 1.5 })).toBe('2,5 km, 1,5 jour d’écart');
    expect(tf('review.distance', { km: '2,5', days: '3', count: 3 })).toBe('2,5 km, 3 jours d’écart');
    expect(te('review.distance', { km: '2.5', days: '1', count: 1 })).toBe('2.5 km, 1 day apart');
  });

  it('has no « (s) » plural left in the counted strings', () => {
    const counted = [...strings(catalogue.fr), ...strings(catalogue.en)].filter((s) => s.includes('{{count}}') || s.includes('{{days}}'));
    expect(counted.filter((s) => /\w\(s\)/.test(s))).toEqual([]);
  });

  it('names civilian fatalities one way: « civils tués » / « civilians killed »', async () => {
    expect(strings(catalogue.fr).filter((s) => /victimes civiles/i.test(s))).toEqual([]);
    expect(strings(catalogue.en).filter((s) => /civilian (fatalities|harm)/i.test(s))).toEqual([]);
    expect((await tFor('fr'))('alerts.rule.civilian_harm')).toBe('Pic de civils tués');
    expect((await tFor('en'))('measures.civilian_fatalities')).toBe('Civilians killed');
  });

  it('labels tags plainly; the comma hint is a separate string for the form', () => {
    expect(fr.form.tags).toBe('Mots-clés');
    expect(en.form.tags).toBe('Tags');
    expect(fr.form.tags_hint).toBe('(séparés par des virgules)');
  });
});
