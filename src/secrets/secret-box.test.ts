import { describe, expect, it } from 'vitest';
import { createSecretBox, SecretBoxError } from './secret-box.js';

const secret = 'x'.repeat(40);

describe('secret box', () => {
  it('round-trips, never stores the plain text, and uses a fresh IV each time', () => {
    const box = createSecretBox(secret);
    const a = box.seal('sk-live-123');
    expect(a).not.toContain('sk-live-123');
    expect(a).not.toBe(box.seal('sk-live-123'));
    expect(box.open(a)).toBe('sk-live-123');
  });

  it('refuses a wrong key and a tampered ciphertext', () => {
    const sealed = createSecretBox(secret).seal('sk-live-123');
    expect(() => createSecretBox('y'.repeat(40)).open(sealed)).toThrow(SecretBoxError);
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[raw.length - 1] = raw[raw.length - 1]! ^ 1;
    expect(() => createSecretBox(secret).open(`v1:${raw.toString('base64')}`)).toThrow(SecretBoxError);
  });
});
