import { registerFeatureStrings } from '../../i18n/feature-strings';
/** Strings of the audit-trail feature, French first. Every action code of the trail has its name here. */
export const fr = {
  title: 'Journal d’audit',
  intro: 'Qui a fait quoi, quand, sur quel enregistrement — y compris les lectures de contenus confidentiels et secrets. Vous voyez les entrées dont la classification ne dépasse pas votre habilitation.',
  filter_user: 'Utilisateur (identifiant)',
  filter_record: 'Enregistrement (identifiant)',
  filter_type: 'Type d’enregistrement',
  filter_action: 'Action',
  filter_from: 'Du',
  filter_to: 'Au',
  all: 'Tous',
  apply: 'Filtrer',
  reset: 'Effacer les filtres',
  more: 'Entrées plus anciennes',
  none: 'Aucune entrée pour ces filtres.',
  col_at: 'Date',
  col_user: 'Utilisateur',
  col_action: 'Action',
  col_record: 'Enregistrement',
  col_level: 'Classification',
  system: 'Système (opérateur)',
  other_action: 'Autre action',
  show_record: 'Entrées de cet enregistrement',
  types: {
    incident: 'Incident', incidents: 'Incidents', alert: 'Alerte', user: 'Compte', api_token: 'Jeton d’API', meeting: 'Réunion',
    decision: 'Décision', action: 'Action de coordination', evaluation: 'Évaluation', strategy: 'Stratégie', strategy_axis: 'Axe stratégique',
    strategy_objective: 'Objectif stratégique', strategy_indicator: 'Indicateur', indicator_value: 'Valeur d’indicateur', admin_areas: 'Zones administratives',
  },
  actions: {
    incident: {
      create: 'Incident créé', update: 'Incident modifié', submit: 'Incident soumis', validate: 'Incident validé', reject: 'Incident rejeté',
      merge: 'Incident fusionné (doublon)', assign: 'Signalement pris en charge', unassign: 'Signalement rendu', read: 'Incident consulté',
      list: 'Incident vu dans une liste', history: 'Historique consulté', duplicates: 'Incident vu parmi les doublons probables',
      absorb: 'Incident conservé lors d’une fusion', unmerge: 'Fusion annulée', unabsorb: 'Fusion annulée (incident conservé)', merge_preview: 'Incident vu dans l’aperçu d’une fusion',
      import: 'Lot d’incidents importé (UCDP, ACLED)',
    },
    alert: {
      issue: 'Alerte émise (règle)', raise: 'Alerte flash émise', acknowledge: 'Réception de l’alerte accusée', respond: 'Réponse enregistrée',
      close: 'Alerte close', read: 'Alerte consultée', evidence: 'Éléments de l’alerte consultés', list: 'Alerte vue dans une liste',
    },
    auth: { login: 'Connexion', login_failed: 'Échec de connexion', logout: 'Déconnexion', totp_enabled: 'Second facteur activé' },
    user: { create: 'Compte créé', update: 'Compte modifié', disable: 'Compte désactivé', reset_password: 'Mot de passe réinitialisé' },
    token: { create: 'Jeton d’API créé', revoke: 'Jeton d’API révoqué' },
    meeting: { create: 'Réunion créée', update: 'Réunion modifiée' },
    decision: { create: 'Décision enregistrée' },
    action: { create: 'Action de coordination créée', update: 'Action de coordination modifiée', note: 'Note de suivi ajoutée' },
    strategy: {
      create: 'Stratégie créée', update: 'Stratégie modifiée', revise: 'Stratégie révisée',
      axis: { create: 'Axe créé', update: 'Axe modifié' },
      objective: { create: 'Objectif créé', update: 'Objectif modifié' },
      indicator: { create: 'Indicateur créé', update: 'Indicateur modifié' },
    },
    indicator_value: { submit: 'Valeur d’indicateur soumise', approve: 'Valeur d’indicateur approuvée', return: 'Valeur d’indicateur renvoyée' },
    evaluation: { create: 'Évaluation créée', update: 'Évaluation modifiée', report: 'Rapport d’évaluation produit' },
    gazetteer: { import: 'Limites administratives importées', reassign: 'Incidents replacés dans les zones' },
    system: { restore: 'Sauvegarde restaurée' },
    audit: { chain_keyed: 'Journal scellé par la clé du serveur' },
  },
};


/** Every action code the page offers as a filter, in the catalogue's order. */
export function actionCodes(tree: Record<string, unknown> = fr.actions, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : actionCodes(v as Record<string, unknown>, `${prefix}${k}.`)));
}

// Joins the catalogue when a module that shows these strings is loaded (they import this file): never before, never after.
registerFeatureStrings('audit', fr);
