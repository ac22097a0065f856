// The footprint bench's workloads over HTTP against a running server: agents, turns (sequential and parallel),
// archival inserts and hybrid archival search.
import { cpuMs } from './footprint-proc.js';

export type Api = <T = unknown>(method: string, path: string, body?: unknown) => Promise<T>;

export function apiFor(base: string): Api {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

export async function createAgent(api: Api, name: string): Promise<string> {
  const agent = await api<{ id: string }>('POST', '/v1/agents/', {
    name,
    model: 'openai/gpt-4o-mini',
    embedding: 'openai/text-embedding-3-small',
    memory_blocks: [{ label: 'human', value: 'The user.' }],
  });
  return agent.id;
}

export async function turn(api: Api, agentId: string, text = 'hello'): Promise<void> {
  await api('POST', `/v1/agents/${agentId}/messages`, { messages: [{ role: 'user', content: text }] });
}

export const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
};

export async function resetMessages(api: Api, agentId: string): Promise<void> {
  await api('PATCH', `/v1/agents/${agentId}/reset-messages`, {});
}

export type Sequential = { p50: number; turns: number; serverCpuMs: number; modelCpuMs: number };

/**
 * Sequential turns of one agent: `warm` unmeasured, then up to `n` measured or until `limitMs`. With `resetEvery`, the
 * in-context window is cut back to the system message after that many turns (unmeasured, compaction's job in
 * production), so it holds at most 2 × resetEvery + 1 messages; without it the window grows by 2 messages a turn.
 * CPU time of the server and of the model process per measured turn, from /proc, says whose time it is.
 */
export async function sequentialTurns(
  api: Api,
  agentId: string,
  o: { warm: number; n: number; limitMs: number; resetEvery?: number; serverPid: number; modelPid: number },
): Promise<Sequential> {
  let since = 0;
  const next = async (measure: (ms: number) => void) => {
    if (o.resetEvery && since++ === o.resetEvery) {
      await resetMessages(api, agentId);
      since = 1;
    }
    const t0 = performance.now();
    await turn(api, agentId);
    measure(performance.now() - t0);
  };
  for (let i = 0; i < o.warm; i++) await next(() => {});
  const lat: number[] = [];
  const end = performance.now() + o.limitMs;
  const [server0, model0] = [cpuMs(o.serverPid), cpuMs(o.modelPid)];
  while (lat.length < o.n && performance.now() < end) await next((ms) => lat.push(ms));
  const perTurn = (ms: number) => ms / Math.max(1, lat.length);
  return {
    p50: pct(lat, 0.5),
    turns: lat.length,
    serverCpuMs: perTurn(cpuMs(o.serverPid) - server0),
    modelCpuMs: perTurn(cpuMs(o.modelPid) - model0),
  };
}

/** Unmeasured turns until the agent's in-context window holds at least `size` messages (bounded by `limitMs`). */
export async function growWindow(api: Api, agentId: string, size: number, limitMs: number): Promise<number> {
  const end = performance.now() + limitMs;
  let held = 0;
  while (performance.now() < end) {
    held = (await api<{ message_ids?: string[] }>('GET', `/v1/agents/${agentId}`)).message_ids?.length ?? 0;
    if (held >= size) break;
    for (let i = 0; i < 50; i++) await turn(api, agentId);
  }
  return held;
}

/** Each agent sends turns back to back; counts turns finished in the measured window after a warm-up. */
export async function parallelTurnsPerSecond(api: Api, agents: string[], warmMs: number, measureMs: number, sample: () => void) {
  const t0 = performance.now();
  const from = t0 + warmMs;
  const until = from + measureMs;
  let done = 0;
  const timer = setInterval(sample, 100);
  await Promise.all(
    agents.map(async (id) => {
      while (performance.now() < until) {
        await turn(api, id);
        const now = performance.now();
        if (now >= from && now < until) done++;
      }
    }),
  );
  clearInterval(timer);
  return done / (measureMs / 1000);
}

/** Batches of `batch` passages into one archive until `rows` or `limitMs`; rows/s over the time spent inserting. */
export async function insertPassages(api: Api, archiveId: string, rows: number, batch: number, limitMs: number) {
  let inserted = 0;
  let spent = 0;
  while (inserted < rows && spent < limitMs) {
    const passages = Array.from({ length: Math.min(batch, rows - inserted) }, (_, j) => ({ text: passageText(inserted + j) }));
    const t0 = performance.now();
    await api('POST', `/v1/archives/${archiveId}/passages/batch`, { passages });
    spent += performance.now() - t0;
    inserted += passages.length;
  }
  return { inserted, rowsPerSecond: inserted / (spent / 1000) };
}

const WORDS = ['river', 'mountain', 'invoice', 'garden', 'python', 'contract', 'holiday', 'recipe', 'meeting', 'budget'];
const passageText = (i: number) =>
  `note ${i}: ${WORDS[i % 10]} ${WORDS[(i * 7) % 10]} ${WORDS[(i * 3 + 1) % 10]} topic t${i % 200} kind k${i % 7}`;

/** Hybrid (vector + full text) search of the agent's archival memory, p50 in ms after `warm` unmeasured queries. */
export async function searchP50(api: Api, agentId: string, warm: number, n: number): Promise<number> {
  const q = (i: number) => `/v1/agents/${agentId}/archival-memory/search?query=${encodeURIComponent(`${WORDS[i % 10]} topic t${i % 200}`)}`;
  for (let i = 0; i < warm; i++) await api('GET', q(i));
  const lat: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await api('GET', q(i + warm));
    lat.push(performance.now() - t0);
  }
  return pct(lat, 0.5);
}
