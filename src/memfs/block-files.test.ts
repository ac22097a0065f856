import { describe, expect, it } from 'vitest';
import {
  applyFile,
  BlockFileError,
  detachedPath,
  labelToPath,
  parseBlockFile,
  pathToBlock,
  pathToLabel,
  renderBlock,
  type BlockFields,
} from './block-files.js';
import { buildTree, hashObject } from './git-objects.js';

const fields: BlockFields = { value: 'Name: Ada', description: 'About: the user', limit: 500, readOnly: false, metadata: {} };
const parse = (text: string) => parseBlockFile('system/human.md', Buffer.from(text));

describe('block files', () => {
  it('renders frontmatter that parses back to the same block', () => {
    const text = renderBlock('human', fields);
    expect(text).toBe('---\ndescription: "About: the user"\nlimit: 500\n---\nName: Ada');
    expect(applyFile({ ...fields, value: '', description: null }, parse(text))).toEqual(fields);
  });

  it('gives a block without a description a stand-in, since Letta Code needs one to edit the file', () => {
    const text = renderBlock('projects/x', { ...fields, description: null });
    expect(text).toContain('description: The projects/x memory block');
    expect(parseBlockFile('system/projects/x.md', Buffer.from(text)).description).toBeNull();
  });

  it('maps system/<label>.md to labels with / for hierarchy, and nothing else', () => {
    expect(pathToLabel('system/projects/mnemo.md')).toBe('projects/mnemo');
    expect(pathToLabel('notes/todo.md')).toBeUndefined();
    expect(pathToLabel('system/.hidden.md')).toBeUndefined();
    expect(labelToPath('a//b')).toBeUndefined();
    expect(labelToPath('../x')).toBeUndefined();
  });

  it('maps <label>.md outside system/ to detached blocks, except skills/ and hidden paths', () => {
    expect(pathToBlock('system/human.md')).toEqual({ label: 'human', attached: true });
    expect(pathToBlock('reference/api.md')).toEqual({ label: 'reference/api', attached: false });
    expect(pathToBlock('notes.md')).toEqual({ label: 'notes', attached: false });
    expect(pathToBlock('skills/greeting/SKILL.md')).toBeUndefined();
    expect(pathToBlock('.letta/x.md')).toBeUndefined();
    expect(pathToBlock('notes.txt')).toBeUndefined();
    expect(detachedPath('system/x')).toBeUndefined();
    expect(detachedPath('persona')).toBe('persona.md');
  });

  it('accepts a name key only in detached files', () => {
    expect(parseBlockFile('reference/api.md', Buffer.from('---\nname: api\ndescription: d\n---\nv'))).toEqual({
      value: 'v',
      description: 'd',
    });
    expect(() => parseBlockFile('system/api.md', Buffer.from('---\nname: api\n---\nv'))).toThrow("unknown frontmatter key 'name'");
  });

  it('reads a file without frontmatter as a value only', () => {
    expect(parse('just text')).toEqual({ value: 'just text' });
  });

  it.each([
    ['---\ndescription: x\nbody', 'never closed'],
    ['---\ndescription: [x\n---\nbody', 'not valid YAML'],
    ['---\ncolour: blue\n---\n', "unknown frontmatter key 'colour'"],
    ['---\nlimit: -1\n---\n', "'limit' must be a whole number"],
    ['---\nread_only: yes please\n---\n', "'read_only' must be true or false"],
    ['---\n- a\n- b\n---\n', 'must be a mapping'],
    ['---\nmetadata: &a {x: 1}\ndescription: *a\n---\n', 'aliases'],
    ['bad \u0000 byte', 'NUL'],
  ])('refuses %j naming the file', (text, message) => {
    expect(() => parse(text)).toThrow(BlockFileError);
    expect(() => parse(text)).toThrow(`system/human.md: `);
    expect(() => parse(text)).toThrow(message);
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(() => parseBlockFile('system/x.md', Buffer.from([0xff, 0xfe]))).toThrow('system/x.md: not valid UTF-8');
  });
});

describe('git objects', () => {
  it('hashes as git does', () => {
    expect(hashObject('blob', Buffer.from('hello\n'))).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    expect(buildTree(new Map()).root).toBe('4b825dc642cb6eb9a060e54bf8d69288fbee4904');
  });
});
