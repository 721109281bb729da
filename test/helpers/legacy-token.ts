import { createCipheriv, randomBytes } from 'node:crypto';

/**
 * A `v1` FieldCipher token as the code before row binding wrote them (AAD: the header `v1:<keyId>` only),
 * for tests of the migration that rebinds them. Production code can no longer write one.
 */
export function legacyV1Token(key: Buffer, keyId: string, plaintext: string): string {
  const header = `v1:${keyId}`;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(header, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [header, iv, ciphertext, cipher.getAuthTag()]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join(':');
}
