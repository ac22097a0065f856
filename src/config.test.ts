import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect([c.port, c.host, c.workers, c.strictCommits, c.databaseUrl]).toEqual([8283, '127.0.0.1', 4, false, undefined]);
  });

  it('reads MNEMO_STRICT_COMMITS', () => {
    expect(loadConfig({ MNEMO_STRICT_COMMITS: '1' }).strictCommits).toBe(true);
    expect(loadConfig({ MNEMO_STRICT_COMMITS: 'true' }).strictCommits).toBe(true);
    expect(loadConfig({ MNEMO_STRICT_COMMITS: 'false' }).strictCommits).toBe(false);
  });

  it('names every bad variable', () => {
    let err: unknown;
    try {
      loadConfig({ MNEMO_STRICT_COMMITS: 'yes', PORT: 'x', DATABASE_URL: 'not a url' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    for (const name of ['MNEMO_STRICT_COMMITS', 'PORT', 'DATABASE_URL']) expect((err as Error).message).toContain(name);
  });
});
