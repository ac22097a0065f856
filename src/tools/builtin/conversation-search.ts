import { z } from 'zod';
import { defineTool, type RecallHit } from '../tool.js';
import { DEFAULT_SEARCH_LIMIT, searchBound, timeAgo } from './search-dates.js';
import { formatIsoInZone } from './time-format.js';

export const conversationSearch = defineTool({
  name: 'conversation_search',
  description:
    'Search your past conversation, including messages that no longer fit in your context. Filter by role and date range; leave the query empty to list recent messages in the range.',
  toolType: 'letta_core',
  parallelSafe: true,
  args: z.object({
    query: z.string().optional().describe('Words or a description of what was said.'),
    roles: z
      .array(z.enum(['assistant', 'user', 'tool']))
      .optional()
      .describe('Only messages from these roles.'),
    limit: z.number().int().min(1).optional().describe(`Maximum number of results (default ${DEFAULT_SEARCH_LIMIT}).`),
    start_date: z.string().optional().describe('Earliest date, YYYY-MM-DD or YYYY-MM-DDTHH:MM, in your timezone.'),
    end_date: z.string().optional().describe('Latest date, YYYY-MM-DD (whole day) or YYYY-MM-DDTHH:MM.'),
  }),
  async run(args, ctx) {
    const startDate = searchBound('start_date', args.start_date, ctx.timezone, 'start');
    const endDate = searchBound('end_date', args.end_date, ctx.timezone, 'end');
    const hits = await ctx.recall.search({
      query: args.query?.trim() || undefined,
      roles: args.roles,
      limit: args.limit ?? DEFAULT_SEARCH_LIMIT,
      startDate,
      endDate,
    });
    // Tool outputs are never useful search hits (Letta drops them too).
    const shown = hits.filter((h) => h.role !== 'tool');
    if (shown.length === 0) return { message: 'No results found.', results: [] };
    const now = ctx.now();
    return {
      message: `Showing ${shown.length} results:`,
      results: shown.map((h) => ({
        timestamp: formatIsoInZone(h.date, ctx.timezone),
        time_ago: timeAgo(h.date, now),
        role: h.role,
        ...messageFields(h),
      })),
    };
  },
});

/** Stored user/system texts are often JSON envelopes ({"type":"user_message","message":…}); unpack those. */
function messageFields(hit: RecallHit): Record<string, unknown> {
  const text = hit.text.trim();
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      /* plain text */
    }
  }
  return { content: hit.text };
}
