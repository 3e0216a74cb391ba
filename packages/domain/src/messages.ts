/** Messages for the validation keys the shared schemas emit; the web catalogue imports them too. */
export const VALIDATION_MESSAGES: Record<string, { fr: string; en: string }> = {
  'validation.sub_type_mismatch': { fr: 'Ce sous-type n’appartient pas au type d’événement choisi', en: 'This sub-type does not belong to the chosen event type' },
  'validation.end_before_start': { fr: 'La fin précède le début', en: 'The end is before the start' },
  'validation.in_future': { fr: 'La date est dans le futur', en: 'The date is in the future' },
  'validation.low_above_best': { fr: 'L’estimation basse dépasse la meilleure estimation', en: 'The low estimate exceeds the best estimate' },
  'validation.high_below_best': { fr: 'L’estimation haute est inférieure à la meilleure estimation', en: 'The high estimate is below the best estimate' },
  'validation.civilians_above_total': { fr: 'Les civils tués dépassent le total des tués', en: 'Civilians killed exceed the total killed' },
  'validation.bbox': { fr: 'Format attendu : lon_min,lat_min,lon_max,lat_max', en: 'Expected: min_lon,min_lat,max_lon,max_lat' },
  'validation.totp_format': { fr: 'Le code compte 6 chiffres', en: 'The code has 6 digits' },
  'validation.login_format': { fr: 'Identifiant : 2 à 64 caractères parmi a-z 0-9 . _ -', en: 'Login: 2 to 64 characters among a-z 0-9 . _ -' },
  'validation.password_length': { fr: 'Au moins 12 caractères', en: 'At least 12 characters' },
  'validation.password_weak': { fr: 'Mot de passe trop facile à deviner : allongez-le avec des mots peu courants', en: 'Password too easy to guess: make it longer with uncommon words' },
  'validation.password_weak.repeat': { fr: 'Mot de passe trop facile à deviner : évitez les caractères ou mots répétés', en: 'Password too easy to guess: avoid repeated characters or words' },
  'validation.password_weak.sequence': { fr: 'Mot de passe trop facile à deviner : évitez les suites (abc, 123) et les lignes du clavier (azerty)', en: 'Password too easy to guess: avoid sequences (abc, 123) and keyboard rows (qwerty)' },
  'validation.password_weak.common': { fr: 'Mot de passe trop courant : il figure parmi les plus utilisés', en: 'Password too common: it is among the most used ones' },
  'validation.password_weak.dates': { fr: 'Mot de passe trop facile à deviner : évitez les dates et les années', en: 'Password too easy to guess: avoid dates and years' },
  'validation.password_weak.user_inputs': { fr: 'Mot de passe trop facile à deviner : n’y mettez pas votre identifiant ni votre organisation', en: 'Password too easy to guess: do not put your login or organisation in it' },
  'validation.password_weak.names': { fr: 'Mot de passe trop facile à deviner : les noms et prénoms seuls se devinent vite', en: 'Password too easy to guess: names on their own are quickly guessed' },
  'validation.password_reused': { fr: 'Le nouveau mot de passe doit différer de l’actuel', en: 'The new password must differ from the current one' },
  'validation.password_current': { fr: 'Mot de passe actuel incorrect', en: 'Wrong current password' },
  'validation.unknown_field': { fr: 'Champ inconnu', en: 'Unknown field' },
  'validation.start_too_early': { fr: 'La date de début doit être le 1er janvier 1989 ou après', en: 'The start date must be on or after 1 January 1989' },
  'validation.end_too_early': { fr: 'La date de fin doit être le 1er janvier 1989 ou après', en: 'The end date must be on or after 1 January 1989' },
  'validation.start_in_future': { fr: 'La date de début est dans le futur (plus d’un jour)', en: 'The start date is in the future (more than a day ahead)' },
  'validation.end_in_future': { fr: 'La date de fin est dans le futur (plus d’un jour)', en: 'The end date is in the future (more than a day ahead)' },
  'validation.nul_character': { fr: 'Caractère nul (U+0000) interdit', en: 'Null character (U+0000) not allowed' },
  'validation.unknown_area': { fr: 'Zone administrative inconnue', en: 'Unknown administrative area' },
  'validation.incident_not_found': { fr: 'Incident introuvable ou hors de votre accès', en: 'Incident not found or out of your reach' },
  'validation.above_clearance': { fr: 'Classification supérieure à votre habilitation', en: 'Classification above your clearance' },
  'validation.cursor': { fr: 'Curseur de pagination invalide : reprenez depuis la première page', en: 'Invalid page cursor: start again from the first page' },
};

/** Translate a validation message key; other messages pass through unchanged. */
export function translateMessage(message: string, lang: 'fr' | 'en'): string {
  return VALIDATION_MESSAGES[message]?.[lang] ?? message;
}
