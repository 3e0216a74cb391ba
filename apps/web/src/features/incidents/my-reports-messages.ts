/** Strings of "Mes signalements", French first. */
export const fr = {
  nav: 'Mes signalements',
  title: 'Mes signalements',
  intro: 'Les signalements que vous avez saisis, du plus récemment modifié au plus ancien.',
  none: 'Vous n’avez encore saisi aucun signalement.',
  col_date: 'Date des faits', col_place: 'Lieu', col_status: 'Statut', col_updated: 'Modifié le', col_reason: 'Motif du rejet',
  open: 'Ouvrir', more: 'Afficher les suivants',
};

export const en: typeof fr = {
  nav: 'My reports',
  title: 'My reports',
  intro: 'The reports you entered, most recently changed first.',
  none: 'You have not entered any report yet.',
  col_date: 'Date of events', col_place: 'Place', col_status: 'Status', col_updated: 'Changed on', col_reason: 'Reason for rejection',
  open: 'Open', more: 'Show more',
};
