/**
 * The one gate every attachment passes before it is stored, whatever brought it (an OpenRosa submission, the web
 * page): size-checked, recognised by its content, and cleaned of its embedded metadata. A file Vigie cannot clean is
 * refused with a message that says why and what is accepted; nothing of it is stored.
 */
import { Problem } from '../../lib/problem.js';
import { CONTENT_TYPES, fileKind, type AcceptedKind } from './file-kind.js';
import { stripJpeg, stripPng, stripWebp } from './strip-images.js';
import { stripPdf, UncleanablePdf } from './strip-pdf.js';

/**
 * The cleaner's version, recorded on every stored file it decided (incident_attachments.cleaned_with). Raise it when
 * a cleaner removes more than before: the background job (clean-stored.ts) then cleans every stored file again.
 */
export const CLEANER_VERSION = 'vigie-clean-1';

/** Largest attachment accepted. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** A file ready to store: its cleaned bytes and the content type of what it really is. */
export interface CleanFile { data: Buffer; contentType: string; kind: AcceptedKind }

/** A refusal naming the field (the part of the request that carried the file) and the file, French first. */
const refused = (field: string, fileName: string, key: string, code: 'validation_failed' | 'payload_too_large' = 'validation_failed') =>
  new Problem(code, `Fichier « ${fileName} » refusé`, [{ field, message: key }], { file: fileName });

/** The refusal of a file over MAX_FILE_BYTES (for a reader that stops reading it at the limit). */
export const fileTooLarge = (field: string, fileName: string) => refused(field, fileName, 'validation.file_too_large', 'payload_too_large');

/** The file's bytes with their metadata removed; throws a Problem naming `field` when it is refused. */
export async function cleanFile(field: string, fileName: string, input: Buffer): Promise<CleanFile> {
  if (input.length > MAX_FILE_BYTES) throw fileTooLarge(field, fileName);
  if (!input.length) throw refused(field, fileName, 'validation.file_empty');
  const kind = fileKind(input);
  try {
    switch (kind) {
      case 'jpeg': return { data: stripJpeg(input), contentType: CONTENT_TYPES.jpeg, kind };
      case 'png': return { data: stripPng(input), contentType: CONTENT_TYPES.png, kind };
      case 'webp': return { data: stripWebp(input), contentType: CONTENT_TYPES.webp, kind };
      case 'pdf': return { data: await stripPdf(input), contentType: CONTENT_TYPES.pdf, kind };
      default: throw refused(field, fileName, `validation.file_${kind}`);
    }
  } catch (e) {
    if (e instanceof Problem) throw e;
    throw refused(field, fileName, e instanceof UncleanablePdf && e.reason === 'encrypted' ? 'validation.file_pdf_encrypted' : 'validation.file_unreadable');
  }
}
