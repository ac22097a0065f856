// An in-memory ToolContext for tests and dry runs: blocks in a Map, archival passages and recall in arrays.
import type { ArchivalHit, BlockView, RecallHit, ToolContext } from '../tool.js';

export type InMemoryContext = ToolContext & {
  blocks: Map<string, BlockView>;
  passages: ArchivalHit[];
  messages: RecallHit[];
  lastArchivalQuery?: Parameters<ToolContext['archival']['search']>[0];
  lastRecallQuery?: Parameters<ToolContext['recall']['search']>[0];
};

export function createInMemoryContext(opts: {
  blocks?: Array<Partial<BlockView> & { label: string }>;
  passages?: ArchivalHit[];
  messages?: RecallHit[];
  timezone?: string;
  now?: Date;
}): InMemoryContext {
  const blocks = new Map<string, BlockView>();
  for (const b of opts.blocks ?? []) {
    blocks.set(b.label, { id: `block-${b.label}`, value: '', limit: 100_000, description: null, readOnly: false, ...b });
  }
  const now = opts.now ?? new Date('2026-01-15T12:00:00Z');
  const ctx: InMemoryContext = {
    agentId: 'agent-test',
    timezone: opts.timezone ?? 'UTC',
    now: () => now,
    blocks,
    passages: [...(opts.passages ?? [])],
    messages: [...(opts.messages ?? [])],
    memory: {
      labels: () => [...blocks.keys()],
      get: (label) => blocks.get(label),
      set: (label, value) => {
        const b = blocks.get(label);
        if (!b) throw new Error(`no block ${label}`);
        blocks.set(label, { ...b, value });
      },
    },
    structure: {
      async create(b) {
        const view = { id: `block-${b.label}`, limit: 100_000, readOnly: false, ...b };
        blocks.set(b.label, view);
        return view;
      },
      async remove(label) {
        blocks.delete(label);
      },
      async relabel(label, newLabel) {
        const b = blocks.get(label);
        if (!b) throw new Error(`no block ${label}`);
        blocks.delete(label);
        const next = { ...b, label: newLabel };
        blocks.set(newLabel, next);
        return next;
      },
      async describe(label, description) {
        const b = blocks.get(label);
        if (!b) throw new Error(`no block ${label}`);
        const next = { ...b, description };
        blocks.set(label, next);
        return next;
      },
    },
    archival: {
      async insert(text, tags) {
        const id = `passage-${ctx.passages.length + 1}`;
        ctx.passages.push({ id, timestamp: now, content: text, tags: tags ?? [] });
        return { ids: [id] };
      },
      async search(q) {
        ctx.lastArchivalQuery = q;
        const hits = ctx.passages.filter((p) => {
          if (!p.content.toLowerCase().includes(q.query.toLowerCase())) return false;
          if (q.startDatetime && p.timestamp < q.startDatetime) return false;
          if (q.endDatetime && p.timestamp > q.endDatetime) return false;
          if (!q.tags?.length) return true;
          return q.tagMatchMode === 'all' ? q.tags.every((t) => p.tags.includes(t)) : q.tags.some((t) => p.tags.includes(t));
        });
        return hits.slice(0, q.topK ?? 5);
      },
    },
    recall: {
      async search(q) {
        ctx.lastRecallQuery = q;
        return ctx.messages
          .filter((m) => (!q.query || m.text.toLowerCase().includes(q.query.toLowerCase())) && (!q.roles || q.roles.includes(m.role)))
          .slice(0, q.limit ?? 5);
      },
    },
  };
  return ctx;
}
