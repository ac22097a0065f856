// Sizes of the process-wide caches and registries next to their bounds, for tests and diagnostics (not served over
// HTTP). `max` is the cache's bound; 0 means the map holds only work in progress and drains to empty when idle.
import { wakerCount } from './agent/turn-store/lease.js';
import { MAX_MCP_SESSIONS } from './mcp/manager.js';
import { EMBEDDER_CACHE_MAX } from './memory/embedding.js';
import { FORMATTER_CACHE_MAX, formatterCacheSize } from './tools/builtin/time-format.js';

export type CacheSize = { size: number; max: number };

export type CacheSources = {
  runs: { sizes(): { controllers: number; waiters: number } };
  mcpSessions: () => number;
  embedders?: () => number;
};

export function cacheSizes(s: CacheSources): Record<string, CacheSize> {
  const runs = s.runs.sizes();
  return {
    timezoneFormatters: { size: formatterCacheSize(), max: FORMATTER_CACHE_MAX },
    embeddingClients: { size: s.embedders?.() ?? 0, max: EMBEDDER_CACHE_MAX },
    mcpSessions: { size: s.mcpSessions(), max: MAX_MCP_SESSIONS },
    runControllers: { size: runs.controllers, max: 0 },
    runWaiters: { size: runs.waiters, max: 0 },
    turnWakers: { size: wakerCount(), max: 0 },
  };
}
