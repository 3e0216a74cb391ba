/** The error catalogue: stable codes, HTTP status and a French/English title for each. */
export const PROBLEMS = {
  validation_failed: { status: 400, title: { fr: 'Données invalides', en: 'Invalid input' } },
  malformed_json: { status: 400, title: { fr: 'JSON mal formé', en: 'Malformed JSON' } },
  unauthenticated: { status: 401, title: { fr: 'Authentification requise', en: 'Authentication required' } },
  invalid_credentials: { status: 401, title: { fr: 'Identifiant ou mot de passe incorrect', en: 'Wrong login or password' } },
  totp_required: { status: 401, title: { fr: 'Code de second facteur requis', en: 'Second-factor code required' } },
  totp_invalid: { status: 401, title: { fr: 'Code de second facteur incorrect', en: 'Wrong second-factor code' } },
  totp_enrollment_required: { status: 403, title: { fr: 'Activez le second facteur pour continuer', en: 'Enable the second factor to continue' } },
  csrf_failed: { status: 403, title: { fr: 'Jeton anti-CSRF manquant ou incorrect', en: 'Missing or wrong CSRF token' } },
  forbidden: { status: 403, title: { fr: 'Action non autorisée', en: 'Action not allowed' } },
  not_found: { status: 404, title: { fr: 'Introuvable', en: 'Not found' } },
  conflict: { status: 409, title: { fr: 'Conflit', en: 'Conflict' } },
  version_conflict: { status: 409, title: { fr: 'L’enregistrement a été modifié entre-temps', en: 'The record was changed meanwhile' } },
  id_conflict: { status: 409, title: { fr: 'Cet identifiant existe déjà avec un autre contenu', en: 'This id already exists with other content' } },
  invalid_transition: { status: 409, title: { fr: 'Changement de statut impossible', en: 'Status change not possible' } },
  payload_too_large: { status: 413, title: { fr: 'Requête trop volumineuse', en: 'Request too large' } },
  unsupported_media_type: { status: 415, title: { fr: 'Type de contenu non pris en charge', en: 'Unsupported content type' } },
  location_outside_states: { status: 422, title: { fr: 'Lieu hors des États membres', en: 'Location outside the member states' } },
  location_mismatch: { status: 422, title: { fr: 'Lieu incohérent avec les zones ou l’État déclarant', en: 'Location inconsistent with the areas or the reporting state' } },
  reason_required: { status: 422, title: { fr: 'Motif requis', en: 'Reason required' } },
  rate_limited: { status: 429, title: { fr: 'Trop de requêtes', en: 'Too many requests' } },
  account_locked: { status: 429, title: { fr: 'Trop de tentatives de connexion : compte verrouillé temporairement', en: 'Too many sign-in attempts: account temporarily locked' } },
  password_change_required: { status: 403, title: { fr: 'Choisissez un nouveau mot de passe pour continuer', en: 'Choose a new password to continue' } },
  totp_replayed: { status: 401, title: { fr: 'Ce code de second facteur a déjà servi : attendez le suivant', en: 'This second-factor code was already used: wait for the next one' } },
  internal: { status: 500, title: { fr: 'Erreur interne', en: 'Internal error' } },
  malformed_request: { status: 400, title: { fr: 'Requête mal formée', en: 'Malformed request' } },
} as const;
export type ProblemCode = keyof typeof PROBLEMS;

/** One bad field: a JSON pointer-ish dotted path and a message. */
export interface FieldError {
  field: string;
  message: string;
}

/** The RFC 9457 body Vigie returns. `code` is the stable machine-readable key. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: ProblemCode;
  errors?: FieldError[];
  [extra: string]: unknown;
}
