import { z } from 'zod';
import { ROLES } from './classification.js';

/**
 * The one form of a login used to find an account and to count its failed sign-ins: trimmed and lower-cased
 * (logins are stored lower-case), so ` rep0`, `rep0 ` and `REP0` are one account to the lookup and to the limits.
 */
export const canonicalLogin = (login: string): string => login.trim().toLowerCase();

export const loginSchema = z.strictObject({
  login: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(1000),
  totp: z.string().regex(/^\d{6}$/, 'validation.totp_format').optional(),
});

export const userSchema = z.object({
  id: z.string(),
  login: z.string(),
  display_name: z.string().nullable(),
  organisation: z.string(),
  role: z.enum(ROLES),
  clearance: z.number().int().min(0).max(3),
  totp_enabled: z.boolean(),
  disabled: z.boolean(),
  locale: z.enum(['fr', 'en']),
  created_at: z.string(),
  last_login_at: z.string().nullable(),
  /** Set while the account is locked after repeated failed sign-ins (until then, or until an administrator unlocks it). */
  locked_until: z.string().nullable().optional(),
});
export type User = z.infer<typeof userSchema>;

export const loginName = z.string().trim().regex(/^[a-z0-9._-]{2,64}$/, 'validation.login_format');
export const passwordSchema = z.string().min(12, 'validation.password_length').max(1000);

export const userCreateSchema = z.strictObject({
  login: loginName,
  display_name: z.string().trim().max(200).optional(),
  organisation: z.string().regex(/^[A-Z]{3,4}$/),
  role: z.enum(ROLES),
  clearance: z.number().int().min(0).max(3),
  password: passwordSchema.optional().describe('Generated and returned once when omitted'),
  locale: z.enum(['fr', 'en']).default('fr'),
});
export type UserCreate = z.input<typeof userCreateSchema>;

export const userUpdateSchema = z.strictObject({
  display_name: z.string().trim().max(200).optional(),
  role: z.enum(ROLES).optional(),
  clearance: z.number().int().min(0).max(3).optional(),
  disabled: z.boolean().optional(),
  locale: z.enum(['fr', 'en']).optional(),
});

export const sessionInfoSchema = z.object({
  user: userSchema,
  csrf_token: z.string(),
  permissions: z.array(z.string()),
  expires_at: z.string(),
  totp_enrollment_required: z.boolean(),
  /** The password was set by someone else (the one-time first-start password): every other call is refused until it is changed. */
  password_change_required: z.boolean(),
  /** Failed sign-ins on this account between the previous successful sign-in and this session's. */
  failed_attempts_since_last_login: z.number().int().min(0),
  /** This server's part in a federation (docs/federation.md): a national node, the confederation's, or none (a single node). */
  federation_role: z.enum(['national', 'confederation']).nullable().optional(),
});

/** A user changes their own password: the current one proves it is them. */
export const passwordChangeSchema = z.strictObject({
  current_password: z.string().min(1).max(1000),
  new_password: passwordSchema,
});
