// Local token estimates for budgeting and the /context overview.
//
// Encoding: o200k_base, the tokenizer of every current OpenAI chat model (gpt-4o, 4.1, o-series, gpt-5). cl100k
// only matches retired models; for Anthropic/Gemini neither is exact, and o200k is the closer modern estimate.
// The encoder module loads its rank table once at import and is reused for every call.
//
// Bounded work: the BPE merge of one pre-token costs about the square of its length (160,000 characters without
// whitespace took ~30 s on the event loop), so no pre-token longer than MAX_RUN bytes reaches it: a longer run
// without whitespace is counted in pieces (a cut may add a token; this is a count, not an encoding). Texts longer
// than EXACT_COUNT_MAX_CHARS are estimated from their head and tail (SAMPLE_CHARS each), at no fewer tokens than one
// per ESTIMATE_CHARS_PER_TOKEN characters, so one count stays within a few ms whatever the text.
import { countTokens as countO200k, setMergeCacheSize } from 'gpt-tokenizer/encoding/o200k_base';
import type { RenderedTool } from './types.js';

/** Per-message framing the chat format adds (role markers, separators), and the reply primer. */
export const TOKENS_PER_MESSAGE = 3;
export const TOKENS_REPLY_PRIMER = 3;
/** Fixed cost of the tool-list wrapper, on top of the JSON of the schemas. */
const TOKENS_TOOLS_OVERHEAD = 12;

/** Texts up to this length are counted with the tokenizer; longer ones are estimated. */
const EXACT_COUNT_MAX_CHARS = 16_000;
/** Characters counted at each end of a longer text to estimate its tokens per character. */
const SAMPLE_CHARS = 4_000;
/** Floor of the estimate, in characters per token: the usual rule of thumb for English prose. */
const ESTIMATE_CHARS_PER_TOKEN = 4;
/** Longest run without whitespace handed to the tokenizer as one piece, in UTF-8-ish bytes (non-ASCII counts 3). */
const MAX_RUN = 128;

// The tokenizer's merge cache is process-wide; bounded (10,000 pieces of at most MAX_RUN bytes), not its default 100,000.
const TOKENIZER_MERGE_CACHE_MAX = 10_000;
setMergeCacheSize(TOKENIZER_MERGE_CACHE_MAX);

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200a);

/** Exact count, except that runs without whitespace are cut every MAX_RUN bytes. Linear in the text's length. */
function countBounded(text: string): number {
  let total = 0;
  let from = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) run = 0;
    else {
      run += c < 0x80 ? 1 : 3;
      if (run < MAX_RUN) continue;
      total += countO200k(text.slice(from, i + 1));
      from = i + 1;
      run = 0;
    }
  }
  return from === 0 ? countO200k(text) : total + (from < text.length ? countO200k(text.slice(from)) : 0);
}

export function countTokens(text: string): number {
  if (!text) return 0;
  if (text.length <= EXACT_COUNT_MAX_CHARS) return countBounded(text);
  const sampled = countBounded(text.slice(0, SAMPLE_CHARS)) + countBounded(text.slice(-SAMPLE_CHARS));
  const perChar = Math.max(sampled / (2 * SAMPLE_CHARS), 1 / ESTIMATE_CHARS_PER_TOKEN);
  return Math.ceil(text.length * perChar);
}

export type CountableMessage = {
  role: string;
  content?: unknown;
  name?: string | null;
  tool_calls?: unknown;
  tool_call_id?: string | null;
};

function contentText(content: unknown): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (part && typeof part === 'object' && 'text' in part ? String(part.text) : JSON.stringify(part)))
      .join('\n');
  }
  return JSON.stringify(content);
}

export function countMessageTokens(messages: readonly CountableMessage[]): number {
  if (messages.length === 0) return 0;
  let total = TOKENS_REPLY_PRIMER;
  for (const m of messages) {
    total += TOKENS_PER_MESSAGE + countTokens(m.role) + countTokens(contentText(m.content));
    if (m.name) total += 1 + countTokens(m.name);
    if (m.tool_calls) total += countTokens(JSON.stringify(m.tool_calls));
    if (m.tool_call_id) total += countTokens(m.tool_call_id);
  }
  return total;
}

export function countToolTokens(toolSchemas: readonly RenderedTool[]): number {
  if (toolSchemas.length === 0) return 0;
  return TOKENS_TOOLS_OVERHEAD + countTokens(JSON.stringify(toolSchemas));
}

/**
 * Text of `<tag>…</tag>` (tags included), or '' when absent. Only an opening tag on its own line counts, and
 * sections other than base_instructions are looked for after it, so prose that mentions a tag is not mistaken
 * for the section.
 */
function extractSection(text: string, tag: string): string {
  const baseEnd = tag === 'base_instructions' ? 0 : text.indexOf('</base_instructions>');
  const opening = new RegExp(`(^|\\n)<${tag}>\\n`, 'g');
  opening.lastIndex = Math.max(0, baseEnd);
  const match = opening.exec(text);
  if (!match) return '';
  const start = match.index + (match[1] ?? '').length;
  const close = `\n</${tag}>`;
  const end = text.indexOf(close, start);
  return end < 0 ? '' : text.slice(start, end + close.length);
}

const SECTION_TAGS = ['memory_blocks', 'tool_usage_rules', 'directories', 'memory_metadata'];

/** The base prompt: `<base_instructions>` when present, else everything before the first known section. */
export function extractBasePrompt(systemText: string): string {
  const base = extractSection(systemText, 'base_instructions');
  if (base) return base;
  const cut = Math.min(
    ...SECTION_TAGS.map((t) => extractSection(systemText, t))
      .filter((section) => section !== '')
      .map((section) => systemText.indexOf(section)),
    systemText.length,
  );
  return systemText.slice(0, cut).trimEnd();
}

export type ContextBreakdownInput = {
  systemMessage: string;
  tools: readonly RenderedTool[];
  /** In-context messages after the system message; a leading summary message is passed separately. */
  messages: readonly CountableMessage[];
  summary?: string | null;
};

export type ContextBreakdown = {
  systemPrompt: { text: string; tokens: number };
  coreMemory: { text: string; tokens: number };
  toolUsageRules: { text: string; tokens: number };
  directories: { text: string; tokens: number };
  memoryMetadata: { text: string; tokens: number };
  summary: { text: string; tokens: number };
  functionDefinitions: { tokens: number };
  messages: { count: number; tokens: number };
  total: number;
};

const measured = (text: string) => ({ text, tokens: countTokens(text) });

/** Token counts per part of the context window, in the shape the /context endpoint reports. */
export function contextBreakdown(input: ContextBreakdownInput): ContextBreakdown {
  const parts = {
    systemPrompt: measured(extractBasePrompt(input.systemMessage)),
    coreMemory: measured(extractSection(input.systemMessage, 'memory_blocks')),
    toolUsageRules: measured(extractSection(input.systemMessage, 'tool_usage_rules')),
    directories: measured(extractSection(input.systemMessage, 'directories')),
    memoryMetadata: measured(extractSection(input.systemMessage, 'memory_metadata')),
    summary: measured(input.summary ?? ''),
    functionDefinitions: { tokens: countToolTokens(input.tools) },
    messages: { count: input.messages.length, tokens: countMessageTokens(input.messages) },
  };
  const total =
    parts.systemPrompt.tokens +
    parts.coreMemory.tokens +
    parts.toolUsageRules.tokens +
    parts.directories.tokens +
    parts.memoryMetadata.tokens +
    parts.summary.tokens +
    parts.functionDefinitions.tokens +
    parts.messages.tokens;
  return { ...parts, total };
}
