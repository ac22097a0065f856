// bench/results.md holds one section per benchmark; each benchmark rewrites only its own.
import { readFileSync, writeFileSync } from 'node:fs';

/** Replaces the `## <title>` section of bench/results.md with `body` (appends it when missing). */
export function writeResultsSection(title: string, body: string): void {
  const path = new URL('./results.md', import.meta.url);
  let text = '# Benchmark results\n';
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    /* the first benchmark to write */
  }
  const section = `## ${title}\n\n${body}\n`;
  const re = new RegExp(`## ${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n[\\s\\S]*?(?=\\n## |$)`);
  text = re.test(text) ? text.replace(re, () => section) : `${text.trimEnd()}\n\n${section}`;
  writeFileSync(path, text);
}
