import { describe, expect, it } from 'vitest';
import { forgetRows, knownVersions, recallRow, rememberRow, setKnownVersions } from './row-versions.js';

describe('row versions kept by the loop', () => {
  it('keeps at most 20 000 rows, evicting the least recently used; a recall counts as a use', () => {
    forgetRows();
    rememberRow('hot', { id: 'hot' });
    rememberRow('cold', { id: 'cold' });
    for (let i = 0; i < 19_998; i++) rememberRow(`m${i}`, { id: i });
    expect(recallRow('hot')).toEqual({ id: 'hot' }); // now the most recently used
    rememberRow('one-more', { id: 'x' });
    expect(recallRow('cold')).toBeUndefined();
    expect(recallRow('hot')).toEqual({ id: 'hot' });
    expect(recallRow('m0')).toEqual({ id: 0 });
    forgetRows();
    expect(recallRow('hot')).toBeUndefined();
  });

  it('hands out the same frozen object on every recall', () => {
    const row = rememberRow('r', { id: 'r', value: 'v' });
    expect(recallRow('r')).toBe(row);
    expect(Object.isFrozen(recallRow('r'))).toBe(true);
  });

  it('remembers what each thread last loaded', () => {
    expect(knownVersions('thread-a')).toEqual([]);
    setKnownVersions('thread-a', ['k1', 'k2']);
    expect(knownVersions('thread-a')).toEqual(['k1', 'k2']);
  });
});
