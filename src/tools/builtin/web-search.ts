import { z } from 'zod';
import { defineTool, ToolInputError } from '../tool.js';
import { webAccessOf } from './web-access-of.js';

export const WEB_SEARCH_NOT_CONFIGURED =
  'Web search is not configured on this server, so no search was made. Answer from what you know, or read a page you know the address of with fetch_webpage.';

export const webSearch = defineTool({
  name: 'web_search',
  description:
    'Search the web and get back a list of results (title, URL and a snippet of each). Read a result in full with fetch_webpage.',
  toolType: 'letta_builtin',
  parallelSafe: true,
  args: z.object({
    query: z.string().min(1).max(1_000).describe('What to search for.'),
    num_results: z.number().int().min(1).max(50).default(10).describe('How many results to return (1-50).'),
    include_domains: z.array(z.string().max(253)).max(20).nullish().describe('Only return results from these domains.'),
    exclude_domains: z.array(z.string().max(253)).max(20).nullish().describe('Leave out results from these domains.'),
    category: z
      .string()
      .max(100)
      .nullish()
      .describe('Kind of content wanted (e.g. "news", "research paper"); a hint, backends may ignore it.'),
    include_text: z.boolean().nullish().describe('Ignored here: use fetch_webpage to read a result in full.'),
    start_published_date: z.string().max(40).nullish().describe('Ignored by most backends.'),
    end_published_date: z.string().max(40).nullish().describe('Ignored by most backends.'),
    user_location: z.string().max(10).nullish().describe('Ignored by most backends.'),
  }),
  async run(args, ctx) {
    const search = webAccessOf(ctx, 'web_search').search;
    if (!search) throw new ToolInputError(WEB_SEARCH_NOT_CONFIGURED);
    try {
      const { hits } = await search({
        query: args.query,
        numResults: args.num_results,
        includeDomains: args.include_domains ?? undefined,
        excludeDomains: args.exclude_domains ?? undefined,
      });
      return JSON.stringify({ query: args.query, results: hits });
    } catch (err) {
      throw new ToolInputError(`Web search failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  },
});
