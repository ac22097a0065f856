import { describe, expect, it } from 'vitest';
import { runBuiltinTool, type BuiltinTool } from '../tool.js';
import { createInMemoryContext } from './in-memory-context.js';
import { getBuiltinTool } from './registry.js';

const memory = getBuiltinTool('memory') as BuiltinTool;
const ctx = () =>
  createInMemoryContext({
    blocks: [
      { label: 'human', value: 'Name: Bob\nLikes: tea' },
      { label: 'projects/mnemo', value: 'notes' },
    ],
  });

describe('the unified memory tool', () => {
  it('str_replace edits the block named by /memories/<label>', async () => {
    const c = ctx();
    const r = await runBuiltinTool(memory, { command: 'str_replace', path: '/memories/human', old_string: 'tea', new_string: 'coffee' }, c);
    expect(r).toEqual({ status: 'success', value: 'Name: Bob\nLikes: coffee' });
    expect(c.blocks.get('human')?.value).toBe('Name: Bob\nLikes: coffee');
  });

  it('insert adds lines at a position, and a hierarchical label keeps its slash', async () => {
    const c = ctx();
    await runBuiltinTool(memory, { command: 'insert', path: '/memories/human', insert_line: 0, insert_text: 'Age: 40' }, c);
    expect(c.blocks.get('human')?.value).toBe('Age: 40\nName: Bob\nLikes: tea');
    await runBuiltinTool(memory, { command: 'insert', path: '/memories/projects/mnemo', insert_text: 'ship it' }, c);
    expect(c.blocks.get('projects/mnemo')?.value).toBe('notes\nship it');
  });

  it('names a missing parameter and an unknown command like Letta', async () => {
    expect(await runBuiltinTool(memory, { command: 'str_replace', path: '/memories/human', new_string: 'x' }, ctx())).toEqual({
      status: 'error',
      value: 'Error: old_string is required for str_replace command',
    });
    expect(await runBuiltinTool(memory, { command: 'explode' }, ctx())).toEqual({
      status: 'error',
      value: "Error: Unknown command 'explode'. Supported commands: create, str_replace, insert, delete, rename",
    });
  });

  it('create, rename and delete change the blocks; bounds and read-only are enforced', async () => {
    const c = ctx();
    const created = await runBuiltinTool(memory, { command: 'create', path: '/memories/notes/todo', description: 'Open tasks' }, c);
    expect(created.status).toBe('success');
    expect(c.blocks.get('notes/todo')).toMatchObject({ value: '', description: 'Open tasks' });
    await runBuiltinTool(memory, { command: 'rename', old_path: '/memories/notes/todo', new_path: '/memories/tasks' }, c);
    expect([...c.blocks.keys()]).toEqual(['human', 'projects/mnemo', 'tasks']);
    await runBuiltinTool(memory, { command: 'delete', path: '/memories/tasks' }, c);
    expect(c.blocks.has('tasks')).toBe(false);
    const big = await runBuiltinTool(
      memory,
      { command: 'create', path: '/memories/big', description: 'd', file_text: 'x'.repeat(100_001) },
      c,
    );
    expect(big).toMatchObject({ status: 'error', value: expect.stringContaining('at most 100000') });
    const ro = createInMemoryContext({ blocks: [{ label: 'rules', value: 'Be kind.', readOnly: true }] });
    const refused = await runBuiltinTool(memory, { command: 'delete', path: '/memories/rules' }, ro);
    expect(refused).toMatchObject({ status: 'error', value: expect.stringContaining('read-only') });
    expect(ro.blocks.has('rules')).toBe(true);
  });

  it('refuses to create more blocks than an agent may have', async () => {
    const c = createInMemoryContext({ blocks: Array.from({ length: 100 }, (_, i) => ({ label: `b${i}` })) });
    const r = await runBuiltinTool(memory, { command: 'create', path: '/memories/one-more', description: 'd' }, c);
    expect(r).toMatchObject({ status: 'error', value: expect.stringContaining('already have 100 memory blocks') });
  });
});
