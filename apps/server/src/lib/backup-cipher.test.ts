import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { BackupDecryptError, decryptStream, encryptStream } from './backup-cipher.js';

const encrypt = (data: Buffer, passphrase: string) => buffer(Readable.from([data]).pipe(encryptStream(passphrase)));
const decrypt = (data: Buffer, passphrase: string) => buffer(Readable.from([data]).compose(decryptStream(passphrase)));

describe('backup encryption', () => {
  const plain = crypto.randomBytes(200_000); // several 64 KiB chunks
  const passphrase = 'phrase de passe de test assez longue';

  it('round-trips a multi-chunk stream and hides its content', async () => {
    const sealed = await encrypt(plain, passphrase);
    expect(sealed.includes(plain.subarray(0, 32))).toBe(false);
    expect((await decrypt(sealed, passphrase)).equals(plain)).toBe(true);
  });

  // Five scrypt derivations (128 MiB each): seconds on a loaded machine.
  it('detects a wrong passphrase, a truncated file and reordered chunks', { timeout: 180_000 }, async () => {
    const sealed = await encrypt(plain, passphrase);
    await expect(decrypt(sealed, 'une autre phrase de passe')).rejects.toBeInstanceOf(BackupDecryptError);
    // Cut at a chunk boundary: every remaining chunk authenticates, but the last one is missing.
    const chunk = 4 + 64 * 1024 + 16;
    const header = 35;
    await expect(decrypt(sealed.subarray(0, header + 2 * chunk), passphrase)).rejects.toThrow(/truncated/);
    const at = (i: number) => sealed.subarray(header + i * chunk, header + (i + 1) * chunk);
    const swapped = Buffer.concat([sealed.subarray(0, header), at(0), at(2), at(1), sealed.subarray(header + 3 * chunk)]);
    await expect(decrypt(swapped, passphrase)).rejects.toThrow(/altered/);
  });
});
