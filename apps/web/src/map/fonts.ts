/**
 * The label fonts, shipped with the app (Noto Sans, SIL Open Font License, from @fontsource/noto-sans): Vite emits
 * them under /assets/ with a content hash, served from our origin with long caching. Latin-ext carries Fulfulde's
 * ɓ ɗ ŋ ƴ; the engine fetches a file only when a label needs one of its characters.
 */
import latin400 from '@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff2?url';
import latinExt400 from '@fontsource/noto-sans/files/noto-sans-latin-ext-400-normal.woff2?url';
import latin600 from '@fontsource/noto-sans/files/noto-sans-latin-600-normal.woff2?url';
import latinExt600 from '@fontsource/noto-sans/files/noto-sans-latin-ext-600-normal.woff2?url';
import type { FontFiles } from './style';

/** The Unicode ranges of fontsource's "latin" and "latin-ext" subsets. */
const LATIN = ['U+0000-00FF', 'U+0131', 'U+0152-0153', 'U+02BB-02BC', 'U+02C6', 'U+02DA', 'U+02DC', 'U+0304', 'U+0308', 'U+0329', 'U+2000-206F', 'U+20AC', 'U+2122', 'U+2191', 'U+2193', 'U+2212', 'U+2215', 'U+FEFF', 'U+FFFD'];
const LATIN_EXT = ['U+0100-02BA', 'U+02BD-02C5', 'U+02C7-02CC', 'U+02CE-02D7', 'U+02DD-02FF', 'U+1D00-1DBF', 'U+1E00-1E9F', 'U+1EF2-1EFF', 'U+2020', 'U+20A0-20AB', 'U+20AD-20C0', 'U+2113', 'U+2C60-2C7F', 'U+A720-A7FF'];

export const FONT_FILES: FontFiles = {
  regular: [{ url: latin400, ranges: LATIN }, { url: latinExt400, ranges: LATIN_EXT }],
  bold: [{ url: latin600, ranges: LATIN }, { url: latinExt600, ranges: LATIN_EXT }],
};
