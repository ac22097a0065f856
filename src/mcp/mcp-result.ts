// Turns an MCP CallToolResult into the plain text a model sees, with a hard size cap.
import type { McpCallResult } from './types.js';

type ContentPart = { type: string; [k: string]: unknown };
export type RawToolResult = { content?: unknown; structuredContent?: unknown; isError?: unknown; toolResult?: unknown };

export function formatToolResult(result: RawToolResult, maxChars: number): McpCallResult {
  const isError = result.isError === true;
  const text = truncateText(resultText(result), maxChars);
  return { status: isError ? 'error' : 'success', text, isError };
}

function resultText(result: RawToolResult): string {
  const parts = Array.isArray(result.content) ? (result.content as ContentPart[]) : [];
  const text = parts
    .map(describePart)
    .filter((s) => s !== '')
    .join('\n');
  if (text !== '') return text;
  // Tools with an outputSchema may answer only in structuredContent; old servers use toolResult.
  const fallback = result.structuredContent ?? result.toolResult;
  if (fallback === undefined) return '';
  return typeof fallback === 'string' ? fallback : JSON.stringify(fallback);
}

/** Text parts verbatim; binary parts as a one-line summary, since the model cannot use raw base64. */
function describePart(part: ContentPart): string {
  switch (part.type) {
    case 'text':
      return String(part.text ?? '');
    case 'image':
    case 'audio':
      return `[${part.type} ${String(part.mimeType ?? 'unknown type')}, ${base64Bytes(part.data)} bytes]`;
    case 'resource': {
      const resource = (part.resource ?? {}) as Record<string, unknown>;
      if (typeof resource.text === 'string') return resource.text;
      return `[resource ${String(resource.uri ?? '')}, ${String(resource.mimeType ?? 'binary')}, ${base64Bytes(resource.blob)} bytes]`;
    }
    case 'resource_link':
      return `[resource link ${String(part.uri ?? '')}${part.name ? ` (${String(part.name)})` : ''}]`;
    default:
      return `[${part.type} content]`;
  }
}

function base64Bytes(data: unknown): number {
  if (typeof data !== 'string') return 0;
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((data.length * 3) / 4) - padding);
}

export function truncateText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  return `${text.slice(0, maxChars)}... [output truncated: ${text.length} characters, limit ${maxChars}]`;
}
