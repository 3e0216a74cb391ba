/**
 * Why a received federation message was not applied, as a stable code (docs/federation.md): the refusals a receiver
 * decides itself, and the failures classified where they happen (the database's answer, a payload this node's schema
 * cannot take). A dead letter carries its code; pages, API and CLI say it from this catalogue, French first.
 */
export const FEDERATION_REFUSALS = ['malformed', 'subject_mismatch', 'unknown_key', 'revoked_key', 'bad_signature', 'not_owner', 'replay'] as const;
export const FEDERATION_FAILURES = ['constraint_violation', 'schema_mismatch', 'database_unavailable', 'unclassified'] as const;
export const FEDERATION_ERROR_CODES = [...FEDERATION_REFUSALS, ...FEDERATION_FAILURES] as const;
export type FederationRefusal = (typeof FEDERATION_REFUSALS)[number];
export type FederationErrorCode = (typeof FEDERATION_ERROR_CODES)[number];

/** What each code means for a node's administrator, in French and English. */
export const FEDERATION_ERROR_TEXT: Record<'fr' | 'en', Record<FederationErrorCode, string>> = {
  fr: {
    malformed: 'Message illisible : ce n’est pas une enveloppe signée valide.',
    subject_mismatch: 'Sujet incohérent : le message ne porte pas sur un objet de son nœud d’origine.',
    unknown_key: 'Clé inconnue : la clé de signature n’est pas enregistrée pour ce nœud (vigie federation key add).',
    revoked_key: 'Clé révoquée : le message est signé par une clé retirée.',
    bad_signature: 'Signature invalide : le message a été altéré ou mal signé.',
    not_owner: 'Écriture étrangère refusée : ce nœud n’est pas propriétaire de l’objet.',
    replay: 'Rejeu : une version aussi récente de l’objet est déjà appliquée.',
    constraint_violation: 'Contrainte de la base non respectée : les données de ce nœud empêchent d’appliquer l’objet (champ manquant, référence absente).',
    schema_mismatch: 'Contenu inattendu : l’objet ne correspond pas au schéma de ce nœud (versions de Vigie différentes ?).',
    database_unavailable: 'Base de données indisponible : réessayez une fois la base rétablie.',
    unclassified: 'Erreur non classée : voir le détail technique.',
  },
  en: {
    malformed: 'Unreadable message: not a valid signed envelope.',
    subject_mismatch: 'Subject mismatch: the message is not about an object of its origin node.',
    unknown_key: 'Unknown key: the signing key is not registered for this node (vigie federation key add).',
    revoked_key: 'Revoked key: the message is signed with a withdrawn key.',
    bad_signature: 'Invalid signature: the message was altered or badly signed.',
    not_owner: 'Foreign write refused: that node does not own the object.',
    replay: 'Replay: an equally recent version of the object is already applied.',
    constraint_violation: 'Database constraint broken: this node’s data prevents applying the object (missing field, missing reference).',
    schema_mismatch: 'Unexpected content: the object does not fit this node’s schema (different Vigie versions?).',
    database_unavailable: 'Database unavailable: retry once the database is back.',
    unclassified: 'Unclassified error: see the technical detail.',
  },
};

/** An error raised where a federation message fails, already classified. */
export class FederationFailure extends Error {
  constructor(readonly code: FederationErrorCode, message: string) {
    super(message);
  }
}
