// Encrypts small secrets at rest (provider API keys) with AES-256-GCM under a key derived from MNEMO_SECRET_KEY.
// Format: "v1:" + base64(12-byte IV | 16-byte tag | ciphertext); the tag makes tampering and a wrong key fail loudly.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export type SecretBox = { seal(plain: string): string; open(sealed: string): string };

export class SecretBoxError extends Error {}

const VERSION = 'v1:';

export function createSecretBox(secret: string): SecretBox {
  const key = Buffer.from(hkdfSync('sha256', secret, 'mnemo-secret-box', 'provider-keys v1', 32));
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return VERSION + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    open(sealed) {
      if (!sealed.startsWith(VERSION)) throw new SecretBoxError('unknown secret format');
      const raw = Buffer.from(sealed.slice(VERSION.length), 'base64');
      if (raw.length < 28) throw new SecretBoxError('secret too short');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      try {
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretBoxError('cannot decrypt: MNEMO_SECRET_KEY differs from the one the secret was stored with');
      }
    },
  };
}
