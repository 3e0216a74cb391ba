import { registerFeatureStrings } from '../../i18n/feature-strings';
/** Strings of the account pages, French first (merged under `account`). */
export const fr = {
  title: 'Mon compte',
  identity: 'Identité', login: 'Identifiant', organisation: 'Organisation', role: 'Rôle', totp: 'Second facteur (TOTP)',
  change_title: 'Changer de mot de passe',
  change_intro: 'Au moins 12 caractères, difficile à deviner : une phrase de plusieurs mots peu courants convient bien. Vos autres sessions seront fermées.',
  current: 'Mot de passe actuel', new: 'Nouveau mot de passe', confirm: 'Confirmer le nouveau mot de passe',
  mismatch: 'Les deux saisies diffèrent', submit: 'Changer le mot de passe', done: 'Mot de passe changé. Vos autres sessions ont été fermées.',
  forced_title: 'Choisissez votre mot de passe',
  forced_intro: 'Vous vous êtes connecté avec un mot de passe à usage unique. Choisissez le vôtre pour continuer.',
  collect_title: 'Appareils ODK Collect',
  collect_intro: 'Un jeton par appareil (ODK Collect, KoboCollect) : saisissez l’adresse affichée comme adresse du serveur dans l’application. Elle n’est affichée qu’une fois ; révoquez-la si l’appareil est perdu.',
  collect_name: 'Nom de l’appareil', collect_default_name: 'Appareil ODK', collect_create: 'Créer l’adresse de l’appareil',
  collect_created: 'Adresse du serveur pour « {{name}} » (affichée une seule fois) :',
  collect_none: 'Aucun appareil enregistré.', collect_never: 'jamais', collect_last_used: 'dernière utilisation : {{when}}', collect_revoke: 'Révoquer', collect_revoke_device: 'Révoquer « {{name}} »',
};

// Joins the catalogue when a module that shows these strings is loaded (they import this file): never before, never after.
registerFeatureStrings('account', fr);
