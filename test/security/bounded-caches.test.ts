// Memory stays bounded: every process-wide cache has a size bound, and the maps of work in progress drain when the
// work ends. Sizes come from ctx.cacheSizes() (src/cache-sizes.ts), never over HTTP.
import { describe, expect, it } from 'vitest';
import { createRunRegistry } from '../../src/turns/run-registry.js';
import { FORMATTER_CACHE_MAX, formatterCacheSize, safeTimezone } from '../../src/tools/builtin/time-format.js';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';

const t = useAgentHarness();
// 500 by default (about 2 minutes on a busy 2-core machine); BOUNDED_CACHE_AGENTS=2000 for the full burst.
const AGENTS = Number(process.env.BOUNDED_CACHE_AGENTS ?? 500);
const PARALLEL = 8;

function assertWithinBounds(sizes: Record<string, { size: number; max: number }>) {
  for (const [name, { size, max }] of Object.entries(sizes)) {
    if (max > 0) expect(size, name).toBeLessThanOrEqual(max);
    else expect(size, `${name} (work in progress) after every turn ended`).toBe(0);
  }
}

describe('process-wide caches', () => {
  it(`stay within their bounds while ${AGENTS} agents are created and each takes one turn`, async () => {
    t.llm.setHandler(() => ({ text: 'hello back' }));
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < AGENTS; i = next++) {
        const created = await call(t.app, 'POST', '/v1/agents/', {
          name: `burst-${i}`,
          model: 'openai/gpt-4o-mini',
          embedding: 'openai/text-embedding-3-small',
        });
        expect(created.status).toBe(200);
        const turn = await t.send(created.body.id, { input: `hi ${i}` });
        expect(turn.status).toBe(200);
        if (i % 100 === 0) {
          const sizes = t.ctx.cacheSizes();
          for (const [name, { size, max }] of Object.entries(sizes)) if (max > 0) expect(size, name).toBeLessThanOrEqual(max);
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    const sizes = t.ctx.cacheSizes();
    expect(Object.keys(sizes)).toEqual(
      expect.arrayContaining(['runControllers', 'runWaiters', 'turnWakers', 'mcpSessions', 'embeddingClients', 'timezoneFormatters']),
    );
    assertWithinBounds(sizes);
  }, 1_200_000);

  it('keep at most FORMATTER_CACHE_MAX timezone formatters, however many spellings agents use', () => {
    const zone = 'america/new_york';
    for (let i = 0; i < 1_000; i++) {
      const spelled = [...zone].map((c, j) => ((i >> j) & 1 ? c.toUpperCase() : c)).join('');
      expect(safeTimezone(spelled)).toBe(spelled);
    }
    expect(formatterCacheSize()).toBeLessThanOrEqual(FORMATTER_CACHE_MAX);
  });

  it('drop a run’s waiters when their waits time out, not only when the run is notified', async () => {
    const runs = createRunRegistry();
    await Promise.all(Array.from({ length: 200 }, (_, i) => runs.wait(`run-${i}`, 5)));
    expect(runs.sizes()).toEqual({ controllers: 0, waiters: 0 });
    runs.register('run-x');
    runs.unregister('run-x');
    expect(runs.sizes().controllers).toBe(0);
  });
});
