// Extracted text of an uploaded file, by kind, through maintained libraries (pdfjs-dist, mammoth, html-to-text).
import type { FileKind } from './file-types.js';

/** Pages of a PDF beyond this are not read (bounds work on hostile files). */
const MAX_PDF_PAGES = 2000;

export async function extractText(kind: FileKind, bytes: Buffer): Promise<string> {
  if (kind === 'pdf') return pdfText(bytes);
  // Each parser loads on the first file of its kind, not at start (they hold tens of MB once loaded).
  if (kind === 'docx') return (await (await import('mammoth')).default.extractRawText({ buffer: bytes })).value;
  const text = bytes.toString('utf8');
  if (kind === 'html') return (await import('html-to-text')).convert(text, { wordwrap: false });
  if (kind === 'json') return prettyJson(text);
  return text;
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

async function pdfText(bytes: Buffer): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise;
  try {
    const pages: string[] = [];
    for (let i = 1; i <= Math.min(doc.numPages, MAX_PDF_PAGES); i++) {
      const page = await doc.getPage(i);
      const content = await page.getTextContent();
      let line = '';
      const lines: string[] = [];
      for (const item of content.items) {
        if (!('str' in item)) continue;
        line += item.str;
        if (item.hasEOL) {
          lines.push(line);
          line = '';
        }
      }
      if (line) lines.push(line);
      pages.push(lines.join('\n').trim());
      page.cleanup();
    }
    return pages.filter(Boolean).join('\n\n');
  } finally {
    await doc.destroy();
  }
}
