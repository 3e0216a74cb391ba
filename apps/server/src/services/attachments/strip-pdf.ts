/**
 * Removes a PDF's metadata before it is stored: the document information dictionary (author, title, creator
 * application, dates), every XMP metadata stream and application private data (PieceInfo), and every object the
 * document no longer reaches (earlier revisions left by incremental saves keep old metadata). The document is
 * rewritten by pdf-lib; its pages, fonts and images are kept as they are.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, PDFStream, type PDFObject } from 'pdf-lib';

const METADATA_KEYS = [PDFName.of('Metadata'), PDFName.of('PieceInfo')];
const TYPE = PDFName.of('Type');
const XMP_TYPE = PDFName.of('Metadata');

/** Thrown when a PDF cannot be cleaned (encrypted, or not readable as a PDF). */
export class UncleanablePdf extends Error {
  constructor(readonly reason: 'encrypted' | 'unreadable', cause?: unknown) {
    super(reason, { cause });
  }
}

const dictOf = (o: PDFObject | undefined): PDFDict | undefined => (o instanceof PDFDict ? o : o instanceof PDFStream ? o.dict : undefined);

/** The PDF without its metadata. */
export async function stripPdf(input: Buffer): Promise<Buffer> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(input, { updateMetadata: false, throwOnInvalidObject: true });
  } catch (e) {
    throw new UncleanablePdf(/encrypt/i.test(String(e)) ? 'encrypted' : 'unreadable', e);
  }
  if (doc.isEncrypted) throw new UncleanablePdf('encrypted');
  const ctx = doc.context;
  ctx.trailerInfo.Info = undefined;
  for (const [, obj] of ctx.enumerateIndirectObjects()) {
    const dict = dictOf(obj);
    if (!dict) continue;
    for (const key of METADATA_KEYS) dict.delete(key);
  }
  // Keep only what the catalogue reaches: unreferenced metadata (old Info dictionaries, XMP streams) goes.
  const reached = new Set<string>();
  const walk = (o: PDFObject | undefined): void => {
    if (o instanceof PDFRef) {
      if (reached.has(o.tag)) return;
      reached.add(o.tag);
      walk(ctx.lookup(o));
    } else if (o instanceof PDFArray) {
      for (const x of o.asArray()) walk(x);
    } else {
      const dict = dictOf(o);
      if (dict) for (const [, v] of dict.entries()) walk(v);
    }
  };
  walk(ctx.trailerInfo.Root);
  for (const [ref, obj] of ctx.enumerateIndirectObjects()) {
    if (!reached.has(ref.tag) || dictOf(obj)?.get(TYPE) === XMP_TYPE) ctx.delete(ref);
  }
  return Buffer.from(await doc.save({ useObjectStreams: false, updateFieldAppearances: false }));
}
