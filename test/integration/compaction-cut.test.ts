// Which messages a compaction may evict: never a pending approval request, never the current turn.
import { describe, expect, it } from 'vitest';
import { pendingApprovalFrom, pickCut, protectedFrom } from '../../src/agent/compaction/compaction-cut.js';
import { DEFAULT_SETTINGS } from '../../src/agent/compaction/compaction-settings.js';
import type { MessageRow } from '../../src/db/rows.js';

let n = 0;
function row(role: string, text: string, extra: Partial<MessageRow> = {}): MessageRow {
  return {
    id: `message-${++n}`,
    role,
    text,
    content: [{ type: 'text', text }],
    toolCalls: null,
    toolCallId: null,
    toolReturns: null,
    ...extra,
  } as unknown as MessageRow;
}
const call = (id: string) => [{ id, type: 'function', function: { name: 'delete_all', arguments: '{}' } }];
const filler = 'lorem ipsum '.repeat(200);

describe('compaction cut', () => {
  const history = () => [
    row('system', 'sys'),
    ...Array.from({ length: 6 }, (_, i) => [row('user', `u${i} ${filler}`), row('assistant', `a${i} ${filler}`)]).flat(),
  ];

  it('in a turn, the current turn (from its user message) is never evicted, even with mode all', () => {
    const ctx = [
      ...history(),
      row('user', 'current'),
      row('assistant', 'thinking', { toolCalls: call('c1') as never }),
      row('tool', 'ret', { toolCallId: 'c1' }),
    ];
    const limit = protectedFrom(ctx, true);
    expect(ctx[limit]!.text).toBe('current');
    for (const mode of ['all', 'sliding_window'] as const) {
      const cut = pickCut(ctx, { ...DEFAULT_SETTINGS, mode }, 1000, limit);
      expect(cut).toBeGreaterThan(1);
      expect(cut).toBeLessThanOrEqual(limit);
    }
  });

  it('a pending approval request is never evicted, even by a manual compaction', () => {
    const ctx = [...history(), row('approval', 'may I?', { toolCalls: call('c9') as never })];
    expect(pendingApprovalFrom(ctx)).toBe(ctx.length - 1);
    const limit = protectedFrom(ctx, false);
    const cut = pickCut(ctx, { ...DEFAULT_SETTINGS, mode: 'all' }, 1000, limit);
    expect(cut).toBe(ctx.length - 1);
    expect(ctx.slice(1, cut).some((m) => m.role === 'approval')).toBe(false);
  });

  it('a turn answering an approval whose user message is gone keeps the approval request and its answer', () => {
    const ctx = [
      row('system', 'sys'),
      row('user', '{"type":"system_alert","message":"The following is a summary of the previous messages: x"}'),
      row('approval', 'may I?', { toolCalls: call('c8') as never }),
      row('tool', 'done', { toolReturns: [{ tool_call_id: 'c8' }] as never }),
    ];
    expect(protectedFrom(ctx, true)).toBe(2);
    expect(pickCut(ctx, { ...DEFAULT_SETTINGS, mode: 'all' }, 1000, 2)).toBe(0);
  });

  it('an answered approval request may go', () => {
    const ctx = [
      ...history(),
      row('approval', 'may I?', { toolCalls: call('c7') as never }),
      row('tool', 'done', { toolReturns: [{ tool_call_id: 'c7' }] as never }),
      row('assistant', 'fine'),
    ];
    expect(pendingApprovalFrom(ctx)).toBe(ctx.length);
    expect(protectedFrom(ctx, false)).toBe(ctx.length);
  });
});
