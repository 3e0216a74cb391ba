/** The form label of an incident field (for diff tables), or the field name when it has none. */
export function fieldLabel(t: (k: string) => string, field: string): string {
  const key = `form.${field}`;
  const label = t(key);
  return label === key ? field : label;
}
