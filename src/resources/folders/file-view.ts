// Pure rendering of an agent's file window: numbered visible lines with Letta's header, the per-file character cap,
// the window limits by context size, and the `<directories>` section of the system message.

const TRUNCATION_NOTE = '...[TRUNCATED]\n# NOTE: This block is truncated, use functions to view the full content.';

/** Letta's defaults for (max_files_open, per_file_view_window_char_limit) by the model's context window. */
export function fileWindowDefaults(contextWindow: number | null | undefined): { maxFilesOpen: number; perFileChars: number } {
  if (!contextWindow) return { maxFilesOpen: 5, perFileChars: 50_000 };
  if (contextWindow <= 8_000) return { maxFilesOpen: 3, perFileChars: 5_000 };
  if (contextWindow <= 32_000) return { maxFilesOpen: 5, perFileChars: 15_000 };
  if (contextWindow <= 128_000) return { maxFilesOpen: 10, perFileChars: 25_000 };
  if (contextWindow <= 200_000) return { maxFilesOpen: 10, perFileChars: 40_000 };
  return { maxFilesOpen: 15, perFileChars: 40_000 };
}

/** The lines an agent sees: code keeps its indentation and blank lines; other text keeps non-empty lines, trimmed. */
export function fileLines(content: string, fileType: string | null, fileName: string): string[] {
  const raw = content.split(/\r?\n/);
  const code = fileType === 'text/plain' && !/\.(txt|text|log|rst)$/i.test(fileName);
  return code ? raw.map((l) => l.trimEnd()) : raw.map((l) => l.trim()).filter((l) => l !== '');
}

export type ViewRange = { start: number; end: number; total: number };

/** Visible lines (1-based numbers) with the header; `lineCount` null means from `start` to the end. */
export function visibleContent(
  lines: string[],
  start: number | null,
  lineCount: number | null,
  charLimit: number,
): { text: string; range: ViewRange } {
  const total = lines.length;
  const from = Math.min(Math.max(0, start ?? 0), total);
  const to = lineCount == null ? total : Math.min(total, from + Math.max(0, lineCount));
  const header =
    start == null && lineCount == null
      ? `[Viewing file start (out of ${total} lines)]`
      : `[Viewing lines ${from + 1} to ${to} (out of ${total} lines)]`;
  const body: string[] = [header];
  let size = header.length;
  for (let i = from; i < to && size <= charLimit; i++) {
    const line = `${i + 1}: ${lines[i]}`;
    body.push(line);
    size += line.length + 1;
  }
  let text = body.join('\n');
  if (text.length > charLimit) text = `${text.slice(0, Math.max(0, charLimit - TRUNCATION_NOTE.length))}\n${TRUNCATION_NOTE}`;
  return { text, range: { start: from + 1, end: to, total } };
}

type DirFile = { name: string; isOpen: boolean; value: string; limit: number };
export type DirFolder = { name: string; description: string | null; instructions: string | null; files: DirFile[] };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function renderDirectories(folders: DirFolder[], maxFilesOpen: number): string {
  if (folders.length === 0) return '';
  const open = folders.reduce((n, f) => n + f.files.filter((x) => x.isOpen).length, 0);
  const out = ['<directories>', '<file_limits>', `- current_files_open=${open}`, `- max_files_open=${maxFilesOpen}`, '</file_limits>'];
  for (const folder of folders) {
    out.push(`<directory name="${esc(folder.name)}">`);
    if (folder.description) out.push(`<description>${folder.description}</description>`);
    if (folder.instructions) out.push(`<instructions>${folder.instructions}</instructions>`);
    for (const f of folder.files) {
      out.push(
        `<file status="${f.isOpen ? 'open' : 'closed'}" name="${esc(f.name)}">`,
        '<metadata>',
        '- read_only=true',
        `- chars_current=${f.isOpen ? f.value.length : 0}`,
        `- chars_limit=${f.limit}`,
        '</metadata>',
      );
      if (f.isOpen) out.push('<value>', f.value, '</value>');
      out.push('</file>');
    }
    out.push('</directory>');
  }
  out.push('</directories>');
  return out.join('\n');
}
