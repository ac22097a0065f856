import { describe, expect, it } from 'vitest';
import { LINE_NUMBER_WARNING } from './memory-helpers.js';
import { runBuiltinTool, type BuiltinTool } from '../tool.js';
import { createInMemoryContext } from './in-memory-context.js';
import { getBuiltinTool } from './registry.js';

const tool = (name: string) => getBuiltinTool(name) as BuiltinTool;
const ctxWith = (value: string, extra: { limit?: number; readOnly?: boolean } = {}) =>
  createInMemoryContext({
    blocks: [
      { label: 'human', value, ...extra },
      { label: 'persona', value: 'I am Ada.' },
    ],
  });

async function run(name: string, args: Record<string, unknown>, ctx = ctxWith('Name: Bob')) {
  const result = await runBuiltinTool(tool(name), args, ctx);
  return { ...result, value: ctx.blocks.get('human')?.value, ctx };
}

describe('shared memory guards', () => {
  it.each([
    ['core_memory_append', { label: 'nope', content: 'x' }],
    ['core_memory_replace', { label: 'nope', old_content: 'a', new_content: 'b' }],
    ['memory_replace', { label: 'nope', old_string: 'a', new_string: 'b' }],
    ['memory_insert', { label: 'nope', new_string: 'x' }],
    ['memory_rethink', { label: 'nope', new_memory: 'x' }],
  ])('%s names the valid labels for an unknown label', async (name, args) => {
    const r = await runBuiltinTool(tool(name), args, ctxWith('x'));
    expect(r).toEqual({ status: 'error', value: 'Block field nope does not exist (available sections = human, persona)' });
  });

  it.each([
    ['core_memory_append', { label: 'human', content: 'x' }],
    ['memory_rethink', { label: 'human', new_memory: 'x' }],
    ['memory_insert', { label: 'human', new_string: 'x' }],
  ])('%s refuses to edit a read-only block', async (name, args) => {
    const ctx = ctxWith('locked', { readOnly: true });
    const r = await runBuiltinTool(tool(name), args, ctx);
    expect(r).toEqual({ status: 'error', value: 'Error This block is read-only and cannot be edited.' });
    expect(ctx.blocks.get('human')?.value).toBe('locked');
  });

  it('rejects an edit that would exceed the block limit, naming the limit and the new length', async () => {
    const r = await run('core_memory_append', { label: 'human', content: 'Likes tea' }, ctxWith('Name: Bob', { limit: 12 }));
    expect(r.status).toBe('error');
    expect(r).toMatchObject({ value: 'Name: Bob', status: 'error' });
    const again = await runBuiltinTool(
      tool('core_memory_append'),
      { label: 'human', content: 'Likes tea' },
      ctxWith('Name: Bob', { limit: 12 }),
    );
    expect(again.value).toBe('Edit failed: Exceeds 12 character limit (requested 19)');
  });

  it('reports bad argument types as a failed result', async () => {
    const r = await runBuiltinTool(tool('memory_insert'), { label: 'human', new_string: 'x', insert_line: 'two' }, ctxWith(''));
    expect(r.status).toBe('error');
    expect(r.value).toMatch(/^Invalid arguments for memory_insert: insert_line: /);
  });
});

describe('core_memory_append', () => {
  it('appends on a new line and returns the new value', async () => {
    const r = await run('core_memory_append', { label: 'human', content: 'Likes tea' });
    expect(r).toMatchObject({ status: 'success', value: 'Name: Bob\nLikes tea' });
    expect(r.ctx.blocks.get('human')?.value).toBe('Name: Bob\nLikes tea');
  });
  it('does not start an empty block with a blank line', async () => {
    expect((await run('core_memory_append', { label: 'human', content: 'A' }, ctxWith(''))).value).toBe('A');
  });
});

describe('core_memory_replace', () => {
  it('replaces every occurrence', async () => {
    const r = await run('core_memory_replace', { label: 'human', old_content: 'a', new_content: 'o' }, ctxWith('banana'));
    expect(r).toMatchObject({ status: 'success', value: 'bonono' });
  });
  it('deletes with an empty new_content', async () => {
    expect((await run('core_memory_replace', { label: 'human', old_content: ' Bob', new_content: '' })).value).toBe('Name:');
  });
  it('fails when the old content is missing', async () => {
    const r = await runBuiltinTool(
      tool('core_memory_replace'),
      { label: 'human', old_content: 'Alice', new_content: 'x' },
      ctxWith('Name: Bob'),
    );
    expect(r).toEqual({ status: 'error', value: "Old content 'Alice' not found in memory block 'human'" });
  });
  it('refuses an empty old_content', async () => {
    const r = await runBuiltinTool(tool('core_memory_replace'), { label: 'human', old_content: '', new_content: 'x' }, ctxWith('a'));
    expect(r).toEqual({ status: 'error', value: 'old_content must not be empty.' });
  });
});

describe('memory_replace', () => {
  it('replaces a unique occurrence and returns the new value', async () => {
    const r = await run('memory_replace', { label: 'human', old_string: 'Bob', new_string: 'Robert' });
    expect(r).toMatchObject({ status: 'success', value: 'Name: Robert' });
  });
  it('expands tabs in the block and the arguments before matching', async () => {
    const r = await run('memory_replace', { label: 'human', old_string: 'a\tb', new_string: 'c\td' }, ctxWith('a\tb'));
    expect(r.value).toBe('c       d');
  });
  it('fails when the text is absent', async () => {
    const r = await runBuiltinTool(tool('memory_replace'), { label: 'human', old_string: 'Zed', new_string: 'x' }, ctxWith('Name: Bob'));
    expect(r.value).toBe('No replacement was performed, old_string `Zed` did not appear verbatim in memory block with label `human`.');
  });
  it('fails when the text occurs more than once, listing the lines', async () => {
    const r = await runBuiltinTool(
      tool('memory_replace'),
      { label: 'human', old_string: 'tea', new_string: 'x' },
      ctxWith('tea\ncoffee\ngreen tea'),
    );
    expect(r.value).toBe(
      'No replacement was performed. Multiple occurrences of old_string `tea` in lines [1, 3]. Please ensure it is unique.',
    );
  });
  it('rejects line-number prefixes in old_string and new_string', async () => {
    const ctx = ctxWith('Name: Bob');
    const a = await runBuiltinTool(tool('memory_replace'), { label: 'human', old_string: '1→ Name: Bob', new_string: 'x' }, ctx);
    expect(a.value).toBe(
      'old_string contains a line number prefix, which is not allowed. Do not include line numbers when calling memory tools (line numbers are for display purposes only).',
    );
    const b = await runBuiltinTool(tool('memory_replace'), { label: 'human', old_string: 'Bob', new_string: 'x\n 2→ y' }, ctx);
    expect(b.value).toMatch(/^new_string contains a line number prefix/);
  });
  it('rejects the rendered line-number warning', async () => {
    const r = await runBuiltinTool(
      tool('memory_replace'),
      { label: 'human', old_string: LINE_NUMBER_WARNING, new_string: '' },
      ctxWith('x'),
    );
    expect(r.value).toBe(
      'old_string contains a line number warning, which is not allowed. Do not include line number information when calling memory tools (line numbers are for display purposes only).',
    );
  });
  it('does not treat $ patterns in new_string specially', async () => {
    expect((await run('memory_replace', { label: 'human', old_string: 'Bob', new_string: '$&$&' })).value).toBe('Name: $&$&');
  });
});

describe('memory_insert', () => {
  const block = 'one\ntwo\nthree';
  it('appends at the end by default (-1)', async () => {
    expect((await run('memory_insert', { label: 'human', new_string: 'four' }, ctxWith(block))).value).toBe('one\ntwo\nthree\nfour');
  });
  it('inserts at the top with 0', async () => {
    expect((await run('memory_insert', { label: 'human', new_string: 'zero', insert_line: 0 }, ctxWith(block))).value).toBe(
      'zero\none\ntwo\nthree',
    );
  });
  it('inserts multi-line text after the given line', async () => {
    const r = await run('memory_insert', { label: 'human', new_string: 'a\nb', insert_line: 2 }, ctxWith(block));
    expect(r).toMatchObject({ status: 'success', value: 'one\ntwo\na\nb\nthree' });
  });
  it('fills an empty block without a stray blank line', async () => {
    expect((await run('memory_insert', { label: 'human', new_string: 'first' }, ctxWith(''))).value).toBe('first');
  });
  it('rejects an out-of-range line', async () => {
    const r = await runBuiltinTool(tool('memory_insert'), { label: 'human', new_string: 'x', insert_line: 4 }, ctxWith(block));
    expect(r.value).toBe(
      'Invalid `insert_line` parameter: 4. It should be within the range of lines of the memory block: [0, 3], or -1 to append to the end of the memory block.',
    );
  });
  it('rejects line-number prefixes', async () => {
    const r = await runBuiltinTool(tool('memory_insert'), { label: 'human', new_string: '4→ four' }, ctxWith(block));
    expect(r.value).toMatch(/^new_string contains a line number prefix/);
  });
});

describe('memory_rethink and memory_finish_edits', () => {
  it('memory_rethink replaces the whole value', async () => {
    expect(await run('memory_rethink', { label: 'human', new_memory: 'Robert, 41' })).toMatchObject({
      status: 'success',
      value: 'Robert, 41',
    });
  });
  it('memory_rethink refuses line numbers and the size limit', async () => {
    const a = await runBuiltinTool(tool('memory_rethink'), { label: 'human', new_memory: '1→ x' }, ctxWith(''));
    expect(a.value).toMatch(/^new_memory contains a line number prefix/);
    const b = await runBuiltinTool(tool('memory_rethink'), { label: 'human', new_memory: 'x'.repeat(6) }, ctxWith('', { limit: 5 }));
    expect(b.value).toBe('Edit failed: Exceeds 5 character limit (requested 6)');
  });
  it('memory_finish_edits returns nothing', async () => {
    expect(await runBuiltinTool(tool('memory_finish_edits'), {}, ctxWith(''))).toEqual({ status: 'success', value: null });
  });
});
