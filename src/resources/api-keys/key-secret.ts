// API key secrets: generated from the OS's CSPRNG, stored as SHA-256 hashes, compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const KEY_PREFIX = 'mnemo_sk_';
const DISPLAY_CHARS = KEY_PREFIX.length + 4;

export type NewSecret = { key: string; hash: string; prefix: string };

/** 32 random bytes: a hash of the key is as good as a slow KDF, since the key cannot be guessed. */
export function newSecret(): NewSecret {
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { key, hash: hashKey(key), prefix: key.slice(0, DISPLAY_CHARS) };
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Compares two secrets without leaking, through timing, how much of them matched (digests have equal length). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
