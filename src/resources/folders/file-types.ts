// Which uploads we accept: the kind of a file from its name and MIME type, checked against its first bytes.

export type FileKind = 'text' | 'markdown' | 'code' | 'json' | 'csv' | 'html' | 'pdf' | 'docx';

const BY_EXT: Record<string, FileKind> = {
  txt: 'text',
  text: 'text',
  log: 'text',
  rst: 'text',
  md: 'markdown',
  markdown: 'markdown',
  mdx: 'markdown',
  json: 'json',
  jsonl: 'json',
  csv: 'csv',
  tsv: 'csv',
  html: 'html',
  htm: 'html',
  pdf: 'pdf',
  docx: 'docx',
};
const CODE_EXTS = [
  'py',
  'js',
  'mjs',
  'cjs',
  'ts',
  'tsx',
  'jsx',
  'java',
  'kt',
  'c',
  'h',
  'cc',
  'cpp',
  'hpp',
  'cs',
  'go',
  'rs',
  'rb',
  'php',
  'swift',
  'scala',
  'sh',
  'bash',
  'zsh',
  'sql',
  'r',
  'lua',
  'pl',
  'yaml',
  'yml',
  'toml',
  'ini',
  'cfg',
  'xml',
  'css',
  'scss',
];
for (const e of CODE_EXTS) BY_EXT[e] = 'code';

const BY_MIME: Record<string, FileKind> = {
  'text/plain': 'text',
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'application/json': 'json',
  'text/csv': 'csv',
  'text/html': 'html',
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
};

export const MIME_OF: Record<FileKind, string> = {
  text: 'text/plain',
  markdown: 'text/markdown',
  code: 'text/plain',
  json: 'application/json',
  csv: 'text/csv',
  html: 'text/html',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** The kind by extension first (browsers and SDKs often send octet-stream), then by MIME type; null = unsupported. */
export function kindOf(fileName: string, mime: string | undefined): FileKind | null {
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName)?.[1]?.toLowerCase();
  if (ext && BY_EXT[ext]) return BY_EXT[ext];
  const m = (mime ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return BY_MIME[m] ?? null;
}

/** Whether the first bytes fit the kind: PDF and DOCX by magic number, text kinds must not hold NUL bytes. */
export function bytesFit(kind: FileKind, head: Buffer): boolean {
  if (kind === 'pdf') return head.subarray(0, 5).toString('latin1') === '%PDF-';
  if (kind === 'docx') return head[0] === 0x50 && head[1] === 0x4b;
  return !head.includes(0);
}
