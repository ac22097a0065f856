// The loop deps a sleep-time companion's turn runs with: the shared deps, except that every model call, every turn
// store statement and every `execute` statement first waits at the primary gate. The agent loop itself stays unaware of sleep-time;
// the companion simply gets slower tools to work with while a primary is busy.
import type { LoopDeps } from '../agent/loop/types.js';
import { createTurnStore } from '../agent/turn-store/turn-store.js';
import type { Db } from '../db/client.js';
import type { ResolvedModel } from '../llm/registry-types.js';
import type { Provider } from '../llm/types.js';
import type { PrimaryGate } from './primary-gate.js';

type Wait = () => Promise<void>;

function gatedProvider(p: Provider, wait: Wait): Provider {
  return {
    ...p,
    chat: async (req) => {
      await wait();
      return p.chat(req);
    },
    async *stream(req) {
      await wait();
      yield* p.stream(req);
    },
  };
}

/** `execute` (raw SQL, as in memory tools) waits; query builders pass through. */
function gatedDb(db: Db, wait: Wait): Db {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'execute') return (q: Parameters<Db['execute']>[0]) => wait().then(() => target.execute(q));
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

export function companionLoopDeps(loop: LoopDeps, gate: PrimaryGate): LoopDeps {
  const wait = () => gate.idle();
  const db = gatedDb(loop.db, wait);
  return {
    ...loop,
    db,
    store: createTurnStore(loop.db, { gate: wait }),
    registry: {
      resolve(handle: string): ResolvedModel {
        const m = loop.registry.resolve(handle);
        return { ...m, provider: gatedProvider(m.provider, wait) };
      },
    },
  };
}
