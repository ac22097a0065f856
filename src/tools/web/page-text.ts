// Turns a fetched HTML page into readable text: Readability picks the article (on a linkedom DOM), html-to-text
// renders it with paragraphs and links kept; pages Readability cannot read are rendered whole.
import { Readability } from '@mozilla/readability';
import { convert } from 'html-to-text';
import { parseHTML } from 'linkedom';

const RENDER = {
  wordwrap: false as const,
  selectors: [
    { selector: 'img', format: 'skip' },
    { selector: 'script', format: 'skip' },
    { selector: 'style', format: 'skip' },
    { selector: 'nav', format: 'skip' },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true, ignoreHref: false } },
  ],
};

export type PageText = { title: string | null; text: string };

export function htmlToReadableText(html: string): PageText {
  const { document } = parseHTML(html);
  const fallbackTitle = document.querySelector('title')?.textContent?.trim() || null;
  // linkedom's document is a DOM Readability can walk; its TypeScript type is not the lib.dom one.
  let article: { title?: string | null; content?: string | null } | null = null;
  try {
    article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0]).parse();
  } catch {
    article = null;
  }
  const body = article?.content ? article.content : html;
  const text = convert(body, RENDER)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { title: article?.title?.trim() || fallbackTitle, text };
}
