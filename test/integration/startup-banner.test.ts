// The start-up banner, captured from the real logger: version, database, providers and whether they answer,
// default models, and the listening, docs and console URLs; no secret in it.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { bannerFacts, bannerLines, describePostgres, logStartupBanner } from '../../src/startup-banner.js';
import { VERSION } from '../../src/version.js';
import { useAgentHarness } from '../support/agent-harness.js';

const t = useAgentHarness({
  listen: true,
  env: {
    OPENAI_API_KEY: 'sk-banner-secret',
    ANTHROPIC_API_KEY: 'sk-ant-banner-secret',
    ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
    MNEMO_DEFAULT_MODEL: 'openai/gpt-4o-mini',
  },
});

function capture() {
  const records: Record<string, unknown>[] = [];
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      records.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { log: createLogger({ level: 'info' }, out), records };
}

describe('start-up banner', () => {
  it('logs one block with the facts an operator needs, warning about an unreachable provider', async () => {
    const { log, records } = capture();
    logStartupBanner(log, await bannerFacts(t.ctx, t.url));
    await new Promise((r) => setImmediate(r));
    expect(records).toHaveLength(1);
    const [rec] = records;
    expect(rec?.level).toBe(40);
    const text = String(rec?.msg);
    expect(text).toContain(`Mnemo ${VERSION}`);
    expect(text).toMatch(/database +(embedded PGlite|PostgreSQL)/);
    expect(text).toContain(`openai at ${t.llm.openaiBaseUrl}: reachable`);
    expect(text).toContain('anthropic at http://127.0.0.1:9: NOT reachable');
    expect(text).toContain('model openai/gpt-4o-mini');
    expect(text).toContain(`listening  ${t.url}`);
    expect(text).toContain(`${t.url}/docs`);
    expect(text).toContain(`console    ${t.url}/`);
    expect(JSON.stringify(rec)).not.toContain('banner-secret');
  });

  it('names a PostgreSQL database without its password and says when no provider is configured', () => {
    expect(describePostgres('postgres://mnemo:hunter2@db.example:5433/agents')).toBe('db.example:5433/agents');
    expect(describePostgres('postgres://mnemo:pw@localhost:5432/mnemo?host=/var/run/postgresql')).toBe(
      'localhost:5432/mnemo (socket /var/run/postgresql)',
    );
    const lines = bannerLines({
      version: '1.0.0',
      database: { kind: 'postgres', url: 'postgres://u:hunter2@db:5432/m' },
      providers: [],
      url: 'http://127.0.0.1:8283',
    });
    expect(lines.join('\n')).not.toContain('hunter2');
    expect(lines.join('\n')).toContain('none configured: set OPENAI_API_KEY');
  });
});
