// web_search and fetch_webpage through the agent loop: the scripted model calls the tool, the tool reaches a fake
// web on 127.0.0.1 (SearXNG, Tavily, pages), and the result is what the model reads next.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useAgentHarness, type AgentHarness } from '../support/agent-harness.js';
import { startFakeWeb, type FakeWeb } from '../support/fake-web.js';
import { WEB_SEARCH_NOT_CONFIGURED } from '../../src/tools/builtin/web-search.js';

let web: FakeWeb;
// Filled before the harnesses start (their beforeAll hooks run after this one).
const searxEnv: Record<string, string> = {};
const tavilyEnv: Record<string, string> = {};
beforeAll(async () => {
  web = await startFakeWeb();
  Object.assign(searxEnv, { MNEMO_SEARXNG_URL: `${web.url}/searxng`, MNEMO_OUTBOUND_ALLOW: '127.0.0.1' });
  Object.assign(tavilyEnv, { MNEMO_TAVILY_API_KEY: 'tvly-test', MNEMO_TAVILY_BASE_URL: `${web.url}/tavily` });
});
afterAll(async () => web?.close());

type Msg = { message_type: string; tool_return?: string; status?: string; name?: string };

/** One turn where the model calls `tool` with `args` then answers; returns the tool's packaged result. */
async function callThroughLoop(t: AgentHarness, tool: string, args: Record<string, unknown>) {
  const agent = await t.createAgent({ include_base_tools: false, tools: [tool] });
  t.llm.enqueue({ toolCalls: [{ name: tool, arguments: args }] }, { text: 'done' });
  const res = await t.send(agent.id, { messages: [{ role: 'user', content: 'go' }] });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const ret = (res.body.messages as Msg[]).find((m) => m.message_type === 'tool_return_message');
  expect(ret).toBeDefined();
  const packaged = JSON.parse(ret!.tool_return!) as { status: string; message: string };
  // The model's next request carries exactly this result.
  const seen = (t.llm.requests.at(-1)?.body.messages as { role: string; content: string }[] | undefined)?.find((m) => m.role === 'tool');
  expect(seen?.content).toBe(ret!.tool_return);
  return { status: ret!.status, message: packaged.message };
}

describe('web_search with a SearXNG backend', () => {
  const t = useAgentHarness({ env: searxEnv });

  it('returns the backend results to the model', async () => {
    const r = await callThroughLoop(t, 'web_search', { query: 'otters', num_results: 1, include_domains: ['example.org'] });
    expect(r.status).toBe('success');
    const body = JSON.parse(r.message) as { results: { title: string; url: string }[] };
    expect(body.results).toEqual([
      { title: 'SearXNG first for otters site:example.org', url: 'https://example.org/a', content: 'first snippet' },
    ]);
    const req = web.requests.find((q) => q.path.startsWith('/searxng/search'));
    expect(req?.path).toContain('format=json');
  });

  it('fetch_webpage returns the readable text of a page on an allowed local server', async () => {
    const r = await callThroughLoop(t, 'fetch_webpage', { url: `${web.url}/article` });
    expect(r.status).toBe('success');
    expect(r.message).toMatch(/^# Otter facts/);
    expect(r.message).toContain('Sea otters hold hands while they sleep');
    expect(r.message).toContain('https://example.org/otters');
    expect(r.message).not.toContain('tracking');
  });
});

describe('web_search with a Tavily backend', () => {
  const t = useAgentHarness({ env: tavilyEnv });

  it('posts the query with the key and returns the results', async () => {
    const r = await callThroughLoop(t, 'web_search', { query: 'kelp' });
    expect(r.status).toBe('success');
    expect(JSON.parse(r.message)).toEqual({
      query: 'kelp',
      results: [{ title: 'Tavily hit for kelp', url: 'https://example.com/t', content: 'tavily snippet' }],
    });
    const req = web.requests.find((q) => q.path === '/tavily/search');
    expect(JSON.parse(req!.body)).toMatchObject({ query: 'kelp', max_results: 10 });
  });

  it('fetch_webpage refuses a loopback address when the operator has not allowed it', async () => {
    const r = await callThroughLoop(t, 'fetch_webpage', { url: `${web.url}/article` });
    expect(r.status).toBe('error');
    expect(r.message).toContain('refused by the outbound URL policy');
    expect(r.message).toContain('loopback');
  });
});

describe('web_search without a backend', () => {
  const t = useAgentHarness();

  it('tells the model plainly that search is not configured', async () => {
    const r = await callThroughLoop(t, 'web_search', { query: 'anything' });
    expect(r.status).toBe('error');
    expect(r.message).toBe(WEB_SEARCH_NOT_CONFIGURED);
  });
});
