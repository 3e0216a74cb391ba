import crypto from 'node:crypto';

const PREFIX = 'enc1:';

/**
 * Encrypts a short secret for storage in the database (AES-256-GCM, random 96-bit nonce). `context` is bound as
 * associated data (e.g. `totp:<user id>`), so a sealed value copied onto another row does not open.
 */
export function seal(key: Buffer, plain: string, context: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

export const isSealed = (stored: string): boolean => stored.startsWith(PREFIX);

/** Opens a sealed value; a value stored before encryption (clear) is returned as it is. Throws on a wrong key or context. */
export function open(key: Buffer, stored: string, context: string): string {
  if (!isSealed(stored)) return stored;
  const raw = Buffer.from(stored.slice(PREFIX.length), 'base64');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}
