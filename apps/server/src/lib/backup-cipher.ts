import crypto from 'node:crypto';
import fs from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * Passphrase encryption of backup files: scrypt derives an AES-256-GCM key, and the stream is cut into authenticated
 * chunks (STREAM construction: nonce = random prefix ‖ chunk counter ‖ last-chunk flag), so a file can be decrypted as
 * it is read, and any change, reordering or truncation is detected. Only node:crypto; no key is stored in the file.
 *
 * Layout: MAGIC (8) ‖ version (1) ‖ log2 N (1) ‖ r (1) ‖ p (1) ‖ salt (16) ‖ nonce prefix (7), then chunks of
 * [length u32 BE ‖ ciphertext ‖ tag (16)]; the header is bound to every chunk as associated data.
 */
const MAGIC = Buffer.from('VIGIEENC', 'ascii');
const HEADER_LENGTH = MAGIC.length + 4 + 16 + 7;
const CHUNK = 64 * 1024;
const SCRYPT = { logN: 17, r: 8, p: 1 };

/** Thrown when the passphrase is wrong or the file was altered: nothing it guards is used. */
export class BackupDecryptError extends Error {}

/** True when the file starts like an encrypted Vigie backup. */
export function isEncryptedBackup(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(MAGIC.length);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    return n === MAGIC.length && head.equals(MAGIC);
  } finally {
    fs.closeSync(fd);
  }
}

function deriveKey(passphrase: string, salt: Buffer, logN: number, r: number, p: number): Buffer {
  const N = 2 ** logN;
  return crypto.scryptSync(passphrase.normalize('NFC'), salt, 32, { N, r, p, maxmem: 256 * N * r });
}

function nonce(prefix: Buffer, counter: number, last: boolean): Buffer {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0);
  n.writeUInt32BE(counter, 7);
  n[11] = last ? 1 : 0;
  return n;
}

/** A transform that encrypts what passes through it with a key derived from `passphrase`. */
export function encryptStream(passphrase: string): Transform {
  const salt = crypto.randomBytes(16);
  const prefix = crypto.randomBytes(7);
  const header = Buffer.concat([MAGIC, Buffer.from([1, SCRYPT.logN, SCRYPT.r, SCRYPT.p]), salt, prefix]);
  const key = deriveKey(passphrase, salt, SCRYPT.logN, SCRYPT.r, SCRYPT.p);
  let pending = Buffer.alloc(0);
  let counter = 0;
  let headerSent = false;
  const seal = (plain: Buffer, last: boolean): Buffer => {
    const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce(prefix, counter++, last));
    cipher.setAAD(header);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(plain.length);
    return Buffer.concat([...(headerSent ? [] : [header]), len, body, cipher.getAuthTag()]);
  };
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      pending = Buffer.concat([pending, chunk]);
      const out: Buffer[] = [];
      // Keep at least one byte back so that the last chunk is always the one written by flush.
      while (pending.length > CHUNK) {
        out.push(seal(pending.subarray(0, CHUNK), false));
        headerSent = true;
        pending = pending.subarray(CHUNK);
      }
      done(null, out.length ? Buffer.concat(out) : undefined);
    },
    flush(done: TransformCallback) {
      const last = seal(pending, true);
      headerSent = true;
      done(null, last);
    },
  });
}

/** A transform that decrypts an encrypted backup; fails with BackupDecryptError on a wrong passphrase, alteration or truncation. */
export function decryptStream(passphrase: string): Transform {
  let buf = Buffer.alloc(0);
  let header: Buffer | undefined;
  let key: Buffer | undefined;
  let prefix: Buffer | undefined;
  let counter = 0;
  let ended = false;
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      buf = Buffer.concat([buf, chunk]);
      const out: Buffer[] = [];
      try {
        if (!header) {
          if (buf.length < HEADER_LENGTH) return done();
          header = buf.subarray(0, HEADER_LENGTH);
          if (!header.subarray(0, MAGIC.length).equals(MAGIC) || header[8] !== 1) throw new BackupDecryptError('not an encrypted Vigie backup');
          key = deriveKey(passphrase, header.subarray(12, 28), header[9]!, header[10]!, header[11]!);
          prefix = header.subarray(28, 35);
          buf = buf.subarray(HEADER_LENGTH);
        }
        for (;;) {
          if (buf.length < 4) break;
          const len = buf.readUInt32BE(0);
          if (len > CHUNK) throw new BackupDecryptError('damaged encrypted backup');
          if (buf.length < 4 + len + 16) break;
          if (ended) throw new BackupDecryptError('data after the end of the encrypted backup');
          const body = buf.subarray(4, 4 + len);
          const tag = buf.subarray(4 + len, 4 + len + 16);
          buf = buf.subarray(4 + len + 16);
          out.push(open(body, tag));
        }
        done(null, out.length ? Buffer.concat(out) : undefined);
      } catch (e) {
        done(e as Error);
      }
    },
    flush(done: TransformCallback) {
      if (!ended || buf.length) return done(new BackupDecryptError('the encrypted backup is truncated'));
      done();
    },
  });

  function open(body: Buffer, tag: Buffer): Buffer {
    // The chunk's own "last" flag is unknown until it authenticates: a short chunk may be the last.
    for (const last of [false, true]) {
      const d = crypto.createDecipheriv('aes-256-gcm', key!, nonce(prefix!, counter, last));
      d.setAAD(header!);
      d.setAuthTag(tag);
      try {
        const plain = Buffer.concat([d.update(body), d.final()]);
        counter++;
        if (last) ended = true;
        return plain;
      } catch {
        // try the other flag
      }
    }
    throw new BackupDecryptError(counter === 0 ? 'wrong passphrase (or damaged file)' : 'the encrypted backup was altered');
  }
}
