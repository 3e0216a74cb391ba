/** Messages for the validation keys the shared schemas emit; the web catalogue imports them too. */
export const VALIDATION_MESSAGES: Record<string, { fr: string; en: string }> = {
  'validation.sub_type_mismatch': { fr: "Ce sous-type n'appartient pas au type d'événement choisi", en: 'This sub-type does not belong to the chosen event type' },
  'validation.end_before_start': { fr: 'La fin précède le début', en: 'The end is before the start' },
  'validation.in_future': { fr: 'La date est dans le futur', en: 'The date is in the future' },
  'validation.low_above_best': { fr: "L'estimation basse dépasse la meilleure estimation", en: 'The low estimate exceeds the best estimate' },
  'validation.high_below_best': { fr: "L'estimation haute est inférieure à la meilleure estimation", en: 'The high estimate is below the best estimate' },
  'validation.civilians_above_total': { fr: 'Les victimes civiles dépassent le total des tués', en: 'Civilian fatalities exceed total fatalities' },
  'validation.bbox': { fr: 'Format attendu : lon_min,lat_min,lon_max,lat_max', en: 'Expected: min_lon,min_lat,max_lon,max_lat' },
  'validation.totp_format': { fr: 'Le code compte 6 chiffres', en: 'The code has 6 digits' },
  'validation.login_format': { fr: 'Identifiant : 2 à 64 caractères parmi a-z 0-9 . _ -', en: 'Login: 2 to 64 characters among a-z 0-9 . _ -' },
  'validation.password_length': { fr: 'Au moins 12 caractères', en: 'At least 12 characters' },
  'validation.unknown_field': { fr: 'Champ inconnu', en: 'Unknown field' },
  'validation.nul_character': { fr: 'Caractère nul (U+0000) interdit', en: 'Null character (U+0000) not allowed' },
  'validation.cursor': { fr: 'Curseur de pagination invalide : reprenez depuis la première page', en: 'Invalid page cursor: start again from the first page' },
};

/** Translate a validation message key; other messages pass through unchanged. */
export function translateMessage(message: string, lang: 'fr' | 'en'): string {
  return VALIDATION_MESSAGES[message]?.[lang] ?? message;
}
