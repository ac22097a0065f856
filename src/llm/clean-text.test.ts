import { describe, expect, it } from 'vitest';
import { cleanChatResponse, cleanJsonText, cleanStreamEvent, cleanText, cleanValue } from './clean-text.js';

describe('cleanText', () => {
  it('leaves ordinary text, emoji and other astral characters alone (same string)', () => {
    const s = 'héllo 👋 𝄞 漢字 \t\n';
    expect(cleanText(s)).toBe(s);
  });

  it('drops NUL and replaces lone surrogates (high, low, at either end) with U+FFFD', () => {
    expect(cleanText('a\u0000b\u0000')).toBe('ab');
    expect(cleanText('x\uD83Dy')).toBe('x\uFFFDy');
    expect(cleanText('\uDE00x')).toBe('\uFFFDx');
    expect(cleanText('x\uD83D')).toBe('x\uFFFD');
    expect(cleanText('\uDE00\uD83D')).toBe('\uFFFD\uFFFD');
    expect(cleanText('ok 👋\u0000\uD83D')).toBe('ok 👋\uFFFD');
  });

  it('gives text PostgreSQL jsonb accepts: JSON.stringify of the result has no \\u0000 or lone-surrogate escape', () => {
    const out = JSON.stringify(cleanText('\u0000\uD800\uDC00\uDFFF\uD800'));
    expect(out).not.toMatch(/\\u0000|\\ud[89a-f]/i);
  });
});

describe('cleanValue', () => {
  it('cleans every string of a nested value, keys included, and keeps other values', () => {
    expect(cleanValue({ 'k\u0000': ['a\u0000', 1, null, { b: '\uD800' }], n: 2, t: true })).toEqual({
      k: ['a', 1, null, { b: '\uFFFD' }],
      n: 2,
      t: true,
    });
  });
});

describe('cleanJsonText (tool-call arguments)', () => {
  it('keeps well-formed arguments byte for byte', () => {
    const s = '{ "query": "cats 👋", "n": 3 }';
    expect(cleanJsonText(s)).toBe(s);
  });

  it('cleans escapes that would decode to NUL or a lone surrogate, and raw characters', () => {
    expect(JSON.parse(cleanJsonText('{"content":"a\\u0000b","x":"\\ud83d"}'))).toEqual({ content: 'ab', x: '\uFFFD' });
    expect(JSON.parse(cleanJsonText('{"content":"a\u0000b"}'))).toEqual({ content: 'ab' });
    // A surrogate pair written as escapes is a real character and stays.
    expect(JSON.parse(cleanJsonText('{"e":"\\ud83d\\udc4b","z":"\\u0000"}'))).toEqual({ e: '👋', z: '' });
  });

  it('keeps an escaped backslash followed by "u0000" (literal text, not NUL)', () => {
    expect(JSON.parse(cleanJsonText('{"path":"C:\\\\u0000","z":"\\u0000"}'))).toEqual({ path: 'C:\\u0000', z: '' });
  });

  it('cleans text that is not JSON too', () => {
    expect(cleanJsonText('{"a":"x\\u0000y" oops')).toBe('{"a":"xy" oops');
    expect(cleanJsonText('\u0000{')).toBe('{');
  });
});

describe('responses and stream events', () => {
  it('cleans text, reasoning and tool calls of a response', () => {
    const r = cleanChatResponse({
      text: 'hi\u0000',
      reasoning: [{ text: 'think\uD800', signature: 'sig' }],
      toolCalls: [{ id: 'c1', name: 'send_message', arguments: '{"message":"x\\u0000"}' }],
      usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 },
      finishReason: 'tool_calls',
      model: 'm',
    });
    expect(r.text).toBe('hi');
    expect(r.reasoning).toEqual([{ text: 'think\uFFFD', signature: 'sig' }]);
    expect(JSON.parse(r.toolCalls[0]!.arguments)).toEqual({ message: 'x' });
  });

  it('cleans deltas as characters', () => {
    expect(cleanStreamEvent({ type: 'text_delta', text: 'a\u0000' })).toEqual({ type: 'text_delta', text: 'a' });
    expect(cleanStreamEvent({ type: 'reasoning_delta', text: '\uDC00' })).toEqual({ type: 'reasoning_delta', text: '\uFFFD' });
    expect(cleanStreamEvent({ type: 'tool_call_delta', index: 0, argumentsDelta: '"\u0000' })).toEqual({
      type: 'tool_call_delta',
      index: 0,
      argumentsDelta: '"',
    });
  });
});

describe('cleanJsonFragment (argument deltas)', () => {
  it('drops NUL escapes, replaces lone surrogate escapes, keeps pairs and escaped backslashes', async () => {
    const { cleanJsonFragment } = await import('./clean-text.js');
    expect(cleanJsonFragment('"plu\\u0000ms')).toBe('"plums');
    expect(cleanJsonFragment('x \\ud83d"}')).toBe('x \\ufffd"}');
    expect(cleanJsonFragment('x \\udc4b"}')).toBe('x \\ufffd"}');
    expect(cleanJsonFragment('\\ud83d\\udc4b')).toBe('\\ud83d\\udc4b');
    expect(cleanJsonFragment('C:\\\\u0000')).toBe('C:\\\\u0000');
    expect(cleanJsonFragment('C:\\\\\\u0000')).toBe('C:\\\\');
  });
});
