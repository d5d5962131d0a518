import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** AES-256-GCM output: a fresh 96-bit nonce and ciphertext followed by the 128-bit tag, both base64. */
export interface Sealed {
  readonly nonce: string;
  readonly data: string;
}

const TAG_BYTES = 16;

/** Encrypts under `key` with a random nonce; `aad` is authenticated, not encrypted (binds name, version, ...). */
export function seal(key: Buffer, plaintext: Buffer, aad: string): Sealed {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { nonce: nonce.toString('base64'), data: data.toString('base64') };
}

/** Decrypts and authenticates; throws on any change to the key, nonce, ciphertext, tag or `aad`. */
export function open(key: Buffer, sealed: Sealed, aad: string): Buffer {
  const nonce = Buffer.from(sealed.nonce, 'base64');
  const data = Buffer.from(sealed.data, 'base64');
  if (nonce.length !== 12 || data.length < TAG_BYTES) throw new Error('malformed ciphertext');
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]);
}

/** HMAC-SHA256 over the whole file under a key derived from the data key: catches edits GCM cannot see (a deleted secret). */
export function fileMac(dataKey: Buffer, body: string): string {
  const macKey = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'cnmcp-secrets/1 file mac', 32));
  return createHmac('sha256', macKey).update(body, 'utf8').digest('hex');
}
