import { z } from 'zod';
import { defineTool } from '../tool.js';
import { DEFAULT_SEARCH_LIMIT, searchBound } from './search-dates.js';
import { formatIsoInZone } from './time-format.js';

export const archivalMemorySearch = defineTool({
  name: 'archival_memory_search',
  description:
    'Search archival memory by meaning. Returns the closest passages with their ids, timestamps and tags. Filter by tags and by a date range when that narrows things down.',
  toolType: 'letta_core',
  parallelSafe: true,
  args: z.object({
    query: z.string().describe('What to look for, in natural language.'),
    tags: z.array(z.string()).optional().describe('Only return passages carrying these tags.'),
    tag_match_mode: z
      .enum(['any', 'all'])
      .default('any')
      .describe('"any": a passage needs at least one of the tags; "all": it needs every tag.'),
    top_k: z.number().int().min(1).optional().describe(`Maximum number of results (default ${DEFAULT_SEARCH_LIMIT}).`),
    start_datetime: z
      .string()
      .optional()
      .describe('Only passages created at or after this time: YYYY-MM-DD or YYYY-MM-DDTHH:MM, in your timezone.'),
    end_datetime: z
      .string()
      .optional()
      .describe('Only passages created at or before this time: YYYY-MM-DD (whole day) or YYYY-MM-DDTHH:MM.'),
  }),
  async run(args, ctx) {
    const startDatetime = searchBound('start_datetime', args.start_datetime, ctx.timezone, 'start');
    const endDatetime = searchBound('end_datetime', args.end_datetime, ctx.timezone, 'end');
    if (args.query.trim() === '') return [];
    const hits = await ctx.archival.search({
      query: args.query,
      tags: args.tags,
      tagMatchMode: args.tag_match_mode,
      topK: args.top_k ?? DEFAULT_SEARCH_LIMIT,
      startDatetime,
      endDatetime,
    });
    return hits.map((h) => ({
      id: h.id,
      timestamp: formatIsoInZone(h.timestamp, ctx.timezone),
      content: h.content,
      tags: h.tags,
    }));
  },
});
