import { passwordSchema } from '@vigie/domain';
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { ZodError } from 'zod';

/** zxcvbn's score is 0 (trivial) … 4 (very hard); 3 is "safely unguessable" against an online or slow-hash attack. */
export const MIN_SCORE = 3;

// No translations on purpose: the feedback is then the library's stable keys, which we turn into our own
// French/English messages (its English or French text never reaches an answer). Loaded on first use: the
// dictionaries weigh a few megabytes, and most commands and requests never set a password.
let factory: Promise<ZxcvbnFactory> | undefined;
const zxcvbn = () =>
  (factory ??= (async () => {
    const [{ ZxcvbnFactory: Factory }, common, fr] = await Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common'), import('@zxcvbn-ts/language-fr')]);
    return new Factory({ dictionary: { ...common.dictionary, ...fr.dictionary }, graphs: common.adjacencyGraphs });
  })());

/** Our message key for zxcvbn's warning key (see @zxcvbn-ts/core translationKeys). */
const WARNING_MESSAGES: Record<string, string> = {
  simpleRepeat: 'validation.password_weak.repeat',
  extendedRepeat: 'validation.password_weak.repeat',
  straightRow: 'validation.password_weak.sequence',
  keyPattern: 'validation.password_weak.sequence',
  sequences: 'validation.password_weak.sequence',
  topTen: 'validation.password_weak.common',
  topHundred: 'validation.password_weak.common',
  common: 'validation.password_weak.common',
  similarToCommon: 'validation.password_weak.common',
  wordByItself: 'validation.password_weak.common',
  pwned: 'validation.password_weak.common',
  recentYears: 'validation.password_weak.dates',
  dates: 'validation.password_weak.dates',
  userInputs: 'validation.password_weak.user_inputs',
  namesByThemselves: 'validation.password_weak.names',
  commonNames: 'validation.password_weak.names',
};

/** The message key explaining why a password is refused, or undefined when it is strong enough. */
export async function passwordWeakness(password: string, userInputs: string[] = []): Promise<string | undefined> {
  const inputs = userInputs.flatMap((s) => [s, ...s.split(/[._\-\s]+/)]).filter((s) => s.length >= 3);
  const r = (await zxcvbn()).check(password, inputs);
  if (r.score >= MIN_SCORE) return undefined;
  return WARNING_MESSAGES[r.feedback.warning ?? ''] ?? 'validation.password_weak';
}

/**
 * The one password rule of Vigie, for every place a password is set (account creation, reset, own change, CLI):
 * at least 12 characters and not guessable (zxcvbn score ≥ 3 with the French and common dictionaries, the login and
 * organisation counted as known to an attacker). Throws a validation problem naming `field`, in the reader's language.
 */
export async function assertStrongPassword(password: string, userInputs: string[], field = 'password'): Promise<void> {
  const length = passwordSchema.safeParse(password);
  if (!length.success) throw new ZodError(length.error.issues.map((i) => ({ ...i, path: [field] })));
  const weakness = await passwordWeakness(password, userInputs);
  if (weakness) throw new ZodError([{ code: 'custom', path: [field], message: weakness, input: password }]);
}
