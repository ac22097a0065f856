import { describe, expect, it } from 'vitest';
import { formatToolResult, truncateText } from './mcp-result.js';

describe('formatToolResult', () => {
  it('joins text parts and marks isError results as errors', () => {
    const result = formatToolResult(
      {
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
        isError: true,
      },
      100,
    );
    expect(result).toEqual({ status: 'error', text: 'a\nb', isError: true });
  });

  it('summarises binary parts and uses embedded resource text', () => {
    const content = [
      { type: 'audio', mimeType: 'audio/wav', data: 'AAAA' },
      { type: 'resource', resource: { uri: 'file:///a.txt', text: 'inside' } },
      { type: 'resource', resource: { uri: 'file:///b.bin', mimeType: 'application/zip', blob: 'AAA=' } },
      { type: 'resource_link', uri: 'file:///c', name: 'c' },
    ];
    expect(formatToolResult({ content }, 1000).text).toBe(
      '[audio audio/wav, 3 bytes]\ninside\n[resource file:///b.bin, application/zip, 2 bytes]\n[resource link file:///c (c)]',
    );
  });

  it('falls back to structured content when there is no content', () => {
    expect(formatToolResult({ content: [], structuredContent: { n: 1 } }, 100)).toEqual({
      status: 'success',
      text: '{"n":1}',
      isError: false,
    });
  });

  it('leaves text at the limit alone and cuts longer text with a note', () => {
    expect(truncateText('abc', 3)).toBe('abc');
    expect(truncateText('abcd', 3)).toBe('abc... [output truncated: 4 characters, limit 3]');
  });
});
