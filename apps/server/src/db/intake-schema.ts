import type { Generated } from 'kysely';

/** Field intake: OpenRosa submissions and the files kept as evidence (their row types; instants are ISO 8601 UTC text, see docs/schema-conventions.md). */
export interface IntakeTables {
  openrosa_submissions: OpenRosaSubmissionsTable;
  incident_attachments: IncidentAttachmentsTable;
  attachment_contents: AttachmentContentsTable;
}

/** A submission received over OpenRosa (migration 20261202T1940-openrosa). */
export interface OpenRosaSubmissionsTable {
  instance_id: string;
  incident_id: string;
  xml_hash: string;
  deprecated_id: string | null;
  form_version: string;
  user_id: string | null;
  token_id: string | null;
  device: string | null;
  received_at: string;
}

/** A file kept as evidence of its record (received with a submission, or added on the web page); its bytes in attachment_contents. */
export interface IncidentAttachmentsTable {
  id: string;
  incident_id: string;
  instance_id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  metadata_stripped: number;
  created_by: string | null;
  created_at: string;
  /** pending | clean | held | released (migration 20261203T0400-attachment-cleaning); served only when clean or released. */
  clean_state: Generated<AttachmentCleanState>;
  /** The cleaner version that decided clean_state (CLEANER_VERSION). */
  cleaned_with: string | null;
  cleaned_at: string | null;
  /** Why it is held (a message key), or the administrator's reason for releasing it. */
  clean_note: string | null;
}

export type AttachmentCleanState = 'pending' | 'clean' | 'held' | 'released';

/** The bytes of an attachment, binary (migration 20261203T0300-attachment-contents). */
export interface AttachmentContentsTable {
  attachment_id: string;
  content: Buffer;
}
