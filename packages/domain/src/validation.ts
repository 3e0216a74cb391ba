import { z } from 'zod';
import { translateMessage } from './messages.js';
import type { FieldError } from './problems.js';

/** Turns Zod issues into field errors with messages in the reader's language. */
export function fieldErrors(error: z.ZodError, lang: 'fr' | 'en' = 'fr'): FieldError[] {
  const locale = lang === 'fr' ? z.locales.fr() : z.locales.en();
  return error.issues.flatMap((issue) => {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ field: base ? `${base}.${k}` : k, message: translateMessage('validation.unknown_field', lang) }));
    }
    const custom = issue.code === 'custom' || issue.message.startsWith('validation.');
    const localized = custom ? translateMessage(issue.message, lang) : localeMessage(locale, issue) ?? issue.message;
    return [{ field: base || '(body)', message: localized }];
  });
}

function localeMessage(locale: { localeError: z.core.$ZodErrorMap }, issue: z.core.$ZodIssue): string | undefined {
  const out = locale.localeError(issue as unknown as z.core.$ZodRawIssue);
  if (typeof out === 'string') return out;
  return out?.message;
}
