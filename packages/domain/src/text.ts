/** Lower-cases and strips diacritics so "Tillabéri" and "TILLABERI" match. Used for search on every engine. */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[’'`\-_]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
