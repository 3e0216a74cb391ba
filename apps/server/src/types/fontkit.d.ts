/** The small part of fontkit (used by pdfkit, no types of its own) that the PDF font fallback reads. */
declare module 'fontkit' {
  export interface Font {
    hasGlyphForCodePoint(codePoint: number): boolean;
  }
  export function create(buffer: Buffer): Font;
}
