import { registerFeatureStrings } from '../../i18n/feature-strings';
/** Strings of the notification inbox, French first. */
export const fr = {
  title: 'Notifications',
  unread_only: 'Non lues seulement',
  mark_read: 'Marquer comme lue',
  mark_all: 'Tout marquer comme lu',
  none: 'Aucune notification.',
  more: 'Plus ancien',
  unread: 'non lue',
  reason: 'Motif : {{reason}}',
  report: 'votre signalement du {{date}}{{area}}',
  kind: {
    incident_rejected: 'Rejet de {{subject}}',
    incident_returned: 'Renvoi pour correction de {{subject}}',
    alert_issued: 'Alerte pour votre État : {{subject}}',
    value_returned: 'Valeur d’indicateur renvoyée : {{subject}}',
    action_assigned: 'Action confiée à votre État : {{subject}}',
    action_due: 'Action à échéance le {{date}} : {{subject}}',
    action_overdue: 'Action en retard depuis le {{date}} : {{subject}}',
    sitrep_published: 'Nouveau rapport de situation : {{subject}}',
  },
  settings_link: 'Choisir mes notifications (dans Vigie, par courriel)',
  settings: {
    title: 'Notifications',
    intro: 'Choisissez ce dont vous êtes averti, dans Vigie et par courriel.',
    topic: 'Sujet', in_app: 'Dans Vigie', by_email: 'Par courriel',
    email: 'Adresse électronique', email_hint: 'Seules les notifications reçues après l’enregistrement de l’adresse sont envoyées.',
    mail_ceiling: 'Les courriels ne contiennent jamais de contenu classifié au-delà de « {{level}} » : seulement un lien vers Vigie.',
    no_mail: 'Ce serveur n’envoie pas de courriels : les notifications restent dans Vigie.',
    topics: {
      assigned: 'Action confiée à mon État', report_decision: 'Mon signalement rejeté ou renvoyé (avec le motif)',
      alert: 'Alerte concernant mon État', value_returned: 'Valeur d’indicateur renvoyée',
      action_due: 'Action à échéance ou en retard', sitrep: 'Nouveau rapport de situation',
    },
    save: 'Enregistrer', saved: 'Préférences enregistrées.',
  },
};

// Joins the catalogue when a module that shows these strings is loaded (they import this file): never before, never after.
registerFeatureStrings('inbox', fr);
