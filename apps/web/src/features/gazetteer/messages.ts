import { registerFeatureStrings } from '../../i18n/feature-strings';
/** Strings of the boundary sets and re-placement jobs page, French first. */
export const fr = {
  title: 'Découpages administratifs',
  intro: 'Les découpages de chaque État et leur période de validité. Chaque incident est placé dans le découpage en vigueur à sa date et rapporté au découpage actuel pour les comparaisons. Import d’un nouveau découpage : vigie gazetteer import … --valid-from AAAA-MM-JJ.',
  sets: 'Découpages',
  col_state: 'État',
  col_name: 'Découpage',
  col_from: 'En vigueur depuis',
  col_to: 'Jusqu’au',
  no_start: 'sans date de début',
  current: 'en vigueur',
  jobs: 'Replacement des incidents',
  jobs_intro: 'Après un import, les incidents sont replacés en tâche de fond, par lots : une tâche interrompue reprend à son dernier lot enregistré ; une tâche en échec attend qu’un administrateur la relance.',
  no_jobs: 'Aucune tâche de replacement pour l’instant.',
  col_job: 'Tâche',
  col_progress: 'Avancement',
  moved_one: '{{n}} incident replacé',
  moved_other: '{{n}} incidents replacés',
  col_error: 'Erreur',
  status: { running: 'En cours', done: 'Terminée', failed: 'En échec' },
  progress: '{{done}} / {{total}} ({{percent}} %)',
  retry: 'Relancer',
  retried: 'Tâche relancée : elle reprend à son dernier lot enregistré.',
};

// Joins the catalogue when a module that shows these strings is loaded (they import this file): never before, never after.
registerFeatureStrings('gazetteer', fr);
