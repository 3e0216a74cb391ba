import { registerFeatureStrings } from '../../i18n/feature-strings';
/** Strings of the review queue, the merge and the history of merges, French first (merged under `review`). */
export const fr = {
  total_one: '{{count}} rapport en attente', total_other: '{{count}} rapports en attente', total_zero: 'Aucun rapport en attente',
  range: '{{from}}–{{to}} sur {{total}}', previous: 'Page précédente', next: 'Page suivante', page_size: 'Par page',
  sort: 'Trier par', filter_type: 'Sous-type', filter_taken: 'Prise en charge', filter_q: 'Texte (lieu, récit)',
  taken_all: 'Tous', taken_me: 'Pris par moi', taken_none: 'Libres',
  sort_opts: { occurred_start: 'Date de l’incident (ancien d’abord)', '-occurred_start': 'Date de l’incident (récent d’abord)', updated_at: 'Soumis depuis le plus longtemps', '-updated_at': 'Soumis le plus récemment', '-fatalities_best': 'Tués (décroissant)' },
  likelihood: 'Ressemblance : {{pct}}', why: 'Pourquoi :',
  reasons: {
    same_sub_event_type: 'même sous-type', other_sub_event_type: 'sous-type différent', shared_actors: 'acteurs en commun', other_actors: 'acteurs différents',
    tolls_agree: 'bilans proches', tolls_differ: 'bilans différents',
  },
  compare_merge: 'Comparer et fusionner…',
  merge_title: 'Fusionner deux rapports', merge_intro: 'Choisissez, champ par champ, la valeur que garde l’incident conservé. Les sources et les mots-clés sont réunis ; la classification la plus haute et la diffusion la plus restreinte s’appliquent.',
  col_field: 'Champ', col_this: 'Ce rapport (fusionné)', col_into: 'Incident conservé', col_result: 'Après la fusion',
  keep_both: 'Garder les deux', united: 'réunies', stricter: 'la plus stricte', preview: 'Aperçu après la fusion',
  comment: 'Commentaire (facultatif, gardé dans l’historique)', confirm: 'Confirmer la fusion', cancel: 'Annuler',
  merged_notice: 'Rapport fusionné dans l’incident conservé.', undo: 'Annuler la fusion', undone_notice: 'Fusion annulée : les deux rapports sont rétablis.',
  open_kept: 'Ouvrir l’incident conservé', merge_by_id: 'Fusionner ce rapport dans un autre incident', merge_by_id_label: 'Identifiant de l’incident conservé', compare: 'Comparer',
  fields: {
    occurred: 'Date', location: 'Lieu', event: 'Type et sous-type', actors: 'Acteurs', fatalities_best: 'Tués', civilian_fatalities: 'dont civils tués',
    injured: 'Blessés', abducted: 'Enlevés', narrative: 'Récit', sources: 'Sources', tags: 'Mots-clés', classification: 'Classification',
    sharing_scope: 'Portée de partage', exact_location_classification: 'Position exacte réservée à partir de',
    status: 'Statut', merged_into: 'Fusionné dans', rejection_reason: 'Motif du rejet', assigned_to: 'Pris en charge par', interaction: 'Interaction (ACLED)',
    reporting_state: 'État déclarant', reporter: 'Rapporteur', admin1_code: 'Région', admin2_code: 'Cercle / province', occurred_start: 'Début', occurred_end: 'Fin',
  },
  history: {
    merge: 'Fusionné dans l’incident', absorb: 'A repris le rapport fusionné', unmerge: 'Fusion annulée avec l’incident', unabsorb: 'Fusion annulée du rapport',
    undo_hint: 'Annuler la fusion rétablit les deux rapports tels qu’ils étaient.',
  },
  action_names: { absorb: 'Fusion (incident conservé)', unmerge: 'Annulation de fusion', unabsorb: 'Annulation de fusion (incident conservé)' },
  everyone: 'Tous les lecteurs autorisés',
};

// Joins the catalogue when a module that shows these strings is loaded (they import this file): never before, never after.
registerFeatureStrings('review', fr);
