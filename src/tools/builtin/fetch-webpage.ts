import { z } from 'zod';
import { OutboundRefusedError } from '../../net/outbound-policy.js';
import { defineTool, ToolInputError } from '../tool.js';
import { PageFetchError } from '../web/fetch-page.js';
import { webAccessOf } from './web-access-of.js';

const MAX_TEXT_CHARS = 40_000;

export const fetchWebpage = defineTool({
  name: 'fetch_webpage',
  description:
    'Download a web page and return its readable text (the main article, with links), for reading documentation, articles or any other public page.',
  toolType: 'letta_builtin',
  parallelSafe: true,
  args: z.object({
    url: z.string().max(4_096).describe('The full http(s) URL of the page to read.'),
  }),
  async run({ url }, ctx) {
    const web = webAccessOf(ctx, 'fetch_webpage');
    try {
      const page = await web.fetchPage(url);
      const cut = page.text.length > MAX_TEXT_CHARS;
      const notes = [
        page.status >= 400 ? `[The server answered HTTP ${page.status}.]` : '',
        page.truncated || cut ? '[The page was long; only its beginning is shown.]' : '',
      ].filter(Boolean);
      const head = page.title ? `# ${page.title}\n\n` : '';
      return `${head}${cut ? page.text.slice(0, MAX_TEXT_CHARS) : page.text}${notes.length ? `\n\n${notes.join('\n')}` : ''}`;
    } catch (err) {
      if (err instanceof OutboundRefusedError || err instanceof PageFetchError) throw new ToolInputError(err.message);
      const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
      throw new ToolInputError(`Could not fetch ${url}${cause || (err instanceof Error ? `: ${err.message}` : '')}`);
    }
  },
});
