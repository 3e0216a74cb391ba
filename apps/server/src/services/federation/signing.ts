/**
 * Node signing keys (ed25519, node:crypto) and signed envelopes: every replicated message is the exact JSON text of its
 * envelope plus the origin node's signature over those bytes, so nothing has to be re-serialised to be verified.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** What a node sends about one object: its current state as the link may see it, or a tombstone. */
export interface Envelope {
  /** Format version. */
  v: 1;
  /** Origin node: the owner of the object (it alone writes it). */
  node: string;
  /** Which of the origin's keys signed. */
  key_id: string;
  /** The origin's change-log seq of this state: only grows, the order of application. */
  seq: number;
  type: string;
  id: string;
  /** The record's version at the origin (null for a tombstone). */
  version: number | null;
  deleted: boolean;
  reason?: string | null;
  record?: unknown;
  sent_at: string;
}

/** On the wire: the envelope's JSON text and its signature (base64). */
export interface SignedMessage {
  body: string;
  sig: string;
}

export interface NodeKey {
  keyId: string;
  privateKey: crypto.KeyObject;
  publicPem: string;
}

/** A key's id: the first 16 hex digits of the SHA-256 of its public key (SPKI DER). */
export function keyIdOf(publicKey: crypto.KeyObject): string {
  return crypto.createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

function nodeKeyOf(privateKey: crypto.KeyObject): NodeKey {
  const pub = crypto.createPublicKey(privateKey);
  return { keyId: keyIdOf(pub), privateKey, publicPem: pub.export({ type: 'spki', format: 'pem' }).toString() };
}

/** A fresh key pair. */
export function generateNodeKey(): NodeKey {
  return nodeKeyOf(crypto.generateKeyPairSync('ed25519').privateKey);
}

/**
 * This node's key from its PEM file, created (mode 0600) on first use. A file others may read is refused: the key is
 * only worth what its permissions are.
 */
export function loadNodeKey(file: string): NodeKey {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const key = generateNodeKey();
    fs.writeFileSync(file, key.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  }
  const mode = fs.statSync(file).mode & 0o077;
  if (mode) throw new Error(`the federation key file ${file} may be read by others (chmod 600 it)`);
  return nodeKeyOf(crypto.createPrivateKey(fs.readFileSync(file)));
}

/** Replaces the key file with a new key (the old one must then be revoked in every peer's registry). */
export function rotateNodeKey(file: string): NodeKey {
  const key = generateNodeKey();
  const tmp = `${file}.new`;
  fs.writeFileSync(tmp, key.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  fs.renameSync(tmp, file);
  return key;
}

/** Signs an envelope (its key_id is set from the key). */
export function signEnvelope(key: NodeKey, envelope: Omit<Envelope, 'key_id'>): SignedMessage {
  const body = JSON.stringify({ ...envelope, key_id: key.keyId });
  return { body, sig: crypto.sign(null, Buffer.from(body), key.privateKey).toString('base64') };
}

/** Parsed public keys by PEM: parsing one costs as much as a verification, and a batch shares a few keys. */
const PUBLIC_KEYS = new Map<string, crypto.KeyObject>();

function publicKeyOf(pem: string): crypto.KeyObject {
  let key = PUBLIC_KEYS.get(pem);
  if (!key) {
    key = crypto.createPublicKey(pem);
    if (PUBLIC_KEYS.size > 1000) PUBLIC_KEYS.clear();
    PUBLIC_KEYS.set(pem, key);
  }
  return key;
}

/** True when `sig` is a valid signature of `body` by the public key (PEM). */
export function verifySignature(publicPem: string, message: SignedMessage): boolean {
  try {
    return crypto.verify(null, Buffer.from(message.body), publicKeyOf(publicPem), Buffer.from(message.sig, 'base64'));
  } catch {
    return false;
  }
}

/** The same check off the main thread (libuv's pool): a batch's signatures are verified in parallel. */
export function verifySignatureAsync(publicPem: string, message: SignedMessage): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      crypto.verify(null, Buffer.from(message.body), publicKeyOf(publicPem), Buffer.from(message.sig, 'base64'), (err, ok) => resolve(!err && ok));
    } catch {
      resolve(false);
    }
  });
}
