import { describe, expect, it } from 'vitest';
import { hashKey, KEY_PREFIX, newSecret, sameSecret } from './key-secret.js';

describe('API key secrets', () => {
  it('are 32 random bytes, base64url, with a short display prefix and a SHA-256 hash', () => {
    const a = newSecret();
    const b = newSecret();
    expect(a.key).toMatch(new RegExp(`^${KEY_PREFIX}[A-Za-z0-9_-]{43}$`));
    expect(a.key).not.toBe(b.key);
    expect(a.prefix).toBe(a.key.slice(0, KEY_PREFIX.length + 4));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hash).toBe(hashKey(a.key));
    expect(a.hash).not.toContain(a.key.slice(KEY_PREFIX.length));
  });

  it('compares secrets of any length without throwing (digests are compared, in constant time)', () => {
    expect(sameSecret('admin-key', 'admin-key')).toBe(true);
    expect(sameSecret('admin-kez', 'admin-key')).toBe(false);
    expect(sameSecret('a', 'admin-key')).toBe(false);
    expect(sameSecret('admin-key-and-more', 'admin-key')).toBe(false);
    expect(sameSecret('', 'admin-key')).toBe(false);
  });
});
