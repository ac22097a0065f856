// What the agent loop gets: per-agent archival and recall access, plus message embedding upkeep.
import { createArchivalAccess, type ArchivalScope, type MemoryArchivalAccess } from './archival.js';
import type { MemoryDeps } from './embedding.js';
import { createRecallAccess, embedPendingMessages, type MemoryRecallAccess, type RecallScope } from './recall.js';

export type MemoryAccessFactory = {
  archivalFor(scope: ArchivalScope): MemoryArchivalAccess;
  recallFor(scope: RecallScope): MemoryRecallAccess;
  /** Best effort: never throws (recall still works by full text when embedding fails). */
  embedPendingMessages(scope: RecallScope): Promise<number>;
};

export function createMemoryAccessFactory(deps: MemoryDeps, log?: { warn(obj: object, msg: string): void }): MemoryAccessFactory {
  return {
    archivalFor: (scope) => createArchivalAccess(deps, scope),
    recallFor: (scope) => createRecallAccess(deps, scope),
    async embedPendingMessages(scope) {
      try {
        return await embedPendingMessages(deps, scope);
      } catch (err) {
        log?.warn({ err, agentId: scope.agentId }, 'embedding messages failed');
        return 0;
      }
    },
  };
}
