import { z } from 'zod';
import { ROLES } from './classification.js';

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
});
