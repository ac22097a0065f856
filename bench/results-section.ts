// bench/results.md holds one section per benchmark; each benchmark rewrites only the measured part of its own. Text
// written by hand below that part (findings, A/B runs, earlier rounds) stays where it is.
import { readFileSync, writeFileSync } from 'node:fs';

const BEGIN = '<!-- measured: written by the benchmark, replaced on every run -->';
const END = '<!-- end measured -->';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Puts `body` into the `## <title>` section of `text`: between the section's measured markers when it has them,
 * else it replaces the whole section (text written before markers existed) and adds the markers. A missing section
 * is appended.
 */
export function withResultsSection(text: string, title: string, body: string): string {
  const measured = `${BEGIN}\n${body}\n${END}`;
  const section = new RegExp(`## ${escapeRegExp(title)}\\n[\\s\\S]*?(?=\\n## |$)`);
  const found = section.exec(text);
  if (!found) return `${text.trimEnd()}\n\n## ${title}\n\n${measured}\n`;
  const inner = new RegExp(`${escapeRegExp(BEGIN)}\\n[\\s\\S]*?${escapeRegExp(END)}`);
  const next = inner.test(found[0]) ? found[0].replace(inner, () => measured) : `## ${title}\n\n${measured}\n`;
  return text.slice(0, found.index) + next + text.slice(found.index + found[0].length);
}

/** Rewrites the measured part of the `## <title>` section of bench/results.md (`path` for tests). */
export function writeResultsSection(title: string, body: string, path: string | URL = new URL('./results.md', import.meta.url)): void {
  let text = '# Benchmark results\n';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    /* the first benchmark to write */
  }
  writeFileSync(path, withResultsSection(text, title, body));
}
