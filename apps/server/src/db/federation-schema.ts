/** Federation: keys, cursors, held objects, dead letters and what was sent (their row types; instants are ISO 8601 UTC text, see docs/schema-conventions.md). */
export interface FederationTables {
  federation_keys: FederationKeysTable;
  federation_cursors: FederationCursorsTable;
  federation_objects: FederationObjectsTable;
  federation_dead_letters: FederationDeadLettersTable;
  federation_sent: FederationSentTable;
}

/** A node's signing key in the federation's key registry (migration 20261202T1945-federation). */
export interface FederationKeysTable {
  node_id: string;
  key_id: string;
  /** SPKI PEM of the ed25519 public key. */
  public_key: string;
  status: 'active' | 'revoked';
  created_at: string;
  revoked_at: string | null;
}

/** A replication cursor: `out` (last change-log seq published) or `in:<node>` (last origin seq applied from a peer). */
export interface FederationCursorsTable {
  link: string;
  last_seq: number;
  last_at: string | null;
  last_error: string | null;
  last_error_at: string | null;
}

/** An object owned by another node, held read-only: its latest received state (or tombstone) and where it came from. */
export interface FederationObjectsTable {
  entity_type: string;
  entity_id: string;
  origin_node: string;
  version: number | null;
  origin_seq: number;
  deleted: number;
  reason: string | null;
  record: string | null;
  received_at: string;
  /** The copy's classification (0 public … 3 secret) and sharing scope, for who-sees-what in SQL (migration 20261204T0700). */
  classification_level: number;
  sharing_scope: string | null;
}

/** A received message that could not be applied after bounded retries, parked until retried or discarded (migration 20261203T0300). */
export interface FederationDeadLettersTable {
  id: string;
  subject: string;
  origin_node: string | null;
  entity_type: string | null;
  entity_id: string | null;
  /** The message as received (the signed JSON), applied again on a retry. */
  data: string;
  /** The raw error (for administrators); `code` is what the page says, from the catalogue (migration 20261204T0700). */
  error: string;
  code: string;
  attempts: number;
  status: 'parked' | 'applied' | 'discarded';
  parked_at: string;
  resolved_at: string | null;
}

/** One of this node's own objects it has sent over its link (withdrawn from the receivers when it may no longer go). */
export interface FederationSentTable {
  entity_type: string;
  entity_id: string;
  sent_at: string;
}
