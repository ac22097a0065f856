// Derives a tool's OpenAI function schema from Python source, statically (the code is never run), following
// Letta: the LAST top-level def, Google-style docstring (summary → description, Args → parameter descriptions),
// type hints → JSON types, parameters with defaults or Optional[...] are not required.
import { BadRequestError } from '../errors.js';
import { cleandoc, listPythonFunctions, type PyFunction } from '../sandbox/python-source-scan.js';

export class SchemaDerivationError extends BadRequestError {}

export type JsonSchema = { [key: string]: unknown };
export type FunctionSchema = {
  name: string;
  description: string;
  parameters: { type: 'object'; properties: Record<string, JsonSchema>; required: string[] };
};

/** Injected at run time by Letta, never part of the schema. */
const RESERVED = new Set(['self', 'agent_state']);

export function deriveSchemaFromPython(source: string): FunctionSchema {
  const fn = listPythonFunctions(source).pop();
  if (!fn) throw new SchemaDerivationError('No function definition (def) found in the tool source code');
  if (fn.docstring === undefined || cleandoc(fn.docstring) === '') {
    throw new SchemaDerivationError(`Function '${fn.name}' has no docstring; a Google-style docstring is required`);
  }
  const doc = parseDocstring(cleandoc(fn.docstring));
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const p of fn.params) {
    if (RESERVED.has(p.name) || p.star) continue;
    if (!p.annotation) throw new SchemaDerivationError(`Parameter '${p.name}' in function '${fn.name}' lacks a type annotation`);
    const description = doc.args.get(p.name);
    if (!description) {
      throw new SchemaDerivationError(`Parameter '${p.name}' in function '${fn.name}' lacks a description in the docstring`);
    }
    const { schema, optional } = annotationToSchema(p.annotation, fn);
    properties[p.name] = { ...schema, description };
    if (!p.hasDefault && !optional) required.push(p.name);
  }
  return { name: fn.name, description: doc.description, parameters: { type: 'object', properties, required } };
}

const SECTION = /^(Args|Arguments|Parameters|Params|Keyword Args|Returns?|Yields?|Raises|Examples?|Notes?|Attributes|Todo):\s*$/;

function parseDocstring(doc: string): { description: string; args: Map<string, string> } {
  const sections = new Map<string, string[]>();
  let current = 'summary';
  sections.set(current, []);
  for (const line of doc.split('\n')) {
    const section = SECTION.exec(line.trim())?.[1];
    if (section && line.length - line.trimStart().length === 0) {
      current = section;
      sections.set(current, []);
    } else sections.get(current)!.push(line);
  }
  const summary = sections.get('summary')!.join('\n').trim();
  const [short = '', ...rest] = summary.split(/\n\s*\n/);
  let description = [short.replace(/\s*\n\s*/g, ' '), rest.join('\n\n').trim()].filter(Boolean).join('\n\n');
  const examples = sections.get('Examples') ?? sections.get('Example');
  if (examples && !description.includes(examples.join('\n').trim())) description += `\n\nExamples:\n${examples.join('\n').trim()}`;
  const argLines = ['Args', 'Arguments', 'Parameters', 'Params', 'Keyword Args'].flatMap((s) => sections.get(s) ?? []);
  return { description, args: parseArgs(argLines) };
}

function parseArgs(lines: string[]): Map<string, string> {
  const args = new Map<string, string>();
  const base = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  let last: string | undefined;
  for (const line of lines) {
    if (!line.trim()) continue;
    const indent = line.length - line.trimStart().length;
    const [, name, text = ''] = /^\*{0,2}([A-Za-z_]\w*)\s*(?:\([^)]*\))?\s*:\s*(.*)$/.exec(line.trim()) ?? [];
    if (indent === base && name) {
      last = name;
      args.set(last, text.trim());
    } else if (last) args.set(last, `${args.get(last)} ${line.trim()}`.trim());
  }
  return args;
}

// ---- type hints ----

type TypeNode = { name: string; args: TypeNode[] } | { literal: string | number | boolean | null };

function annotationToSchema(annotation: string, fn: PyFunction): { schema: JsonSchema; optional: boolean } {
  let node: TypeNode;
  try {
    node = parseType(annotation);
  } catch {
    throw new SchemaDerivationError(`Cannot parse the type annotation '${annotation}' in function '${fn.name}'`);
  }
  const fail = (why: string) => new SchemaDerivationError(`Unsupported type annotation '${annotation}' in function '${fn.name}': ${why}`);
  const members = 'name' in node && node.name === 'Union' ? node.args : [node];
  const nonNull = members.filter((m) => !('name' in m && m.name === 'None') && !('literal' in m && m.literal === null));
  let optional = nonNull.length < members.length;
  let inner = nonNull;
  const [only] = nonNull;
  if (nonNull.length === 1 && only && 'name' in only && only.name === 'Optional') {
    optional = true;
    inner = only.args;
  }
  const [single] = inner;
  if (inner.length !== 1 || !single) throw fail('unions other than Optional[...] are not supported');
  return { schema: toSchema(single, fail), optional };
}

const SCALARS: Record<string, string> = { str: 'string', int: 'integer', float: 'number', bool: 'boolean' };

function toSchema(node: TypeNode, fail: (why: string) => Error): JsonSchema {
  if ('literal' in node) throw fail('bare literal');
  const name = node.name.replace(/^(typing|builtins)\./, '');
  if (SCALARS[name]) return { type: SCALARS[name] };
  if (name === 'list' || name === 'List' || name === 'Sequence') {
    return { type: 'array', items: node.args[0] ? toSchema(node.args[0], fail) : { type: 'string' } };
  }
  if ((name === 'dict' || name === 'Dict') && node.args.length === 0) return { type: 'object' };
  if (name === 'Literal') return literalSchema(node.args, fail);
  if (name === 'tuple' || name === 'Tuple') {
    if (node.args.length === 0 || node.args.some((a) => 'name' in a && a.name === '...'))
      throw fail('variable-length tuples are not supported');
    const prefixItems = node.args.map((a) => toSchema(a, fail));
    return { type: 'array', prefixItems, minItems: prefixItems.length, maxItems: prefixItems.length };
  }
  if (name === 'Optional' || name === 'Union') throw fail('nested unions are not supported');
  throw fail(`'${node.name}${node.args.length ? '[...]' : ''}' has no JSON schema mapping`);
}

function literalSchema(args: TypeNode[], fail: (why: string) => Error): JsonSchema {
  const values = args.map((a) => ('literal' in a ? a.literal : undefined));
  if (values.some((v) => v === undefined)) throw fail('Literal[...] must list constants');
  const kinds = new Set(values.map((v) => typeof v));
  if (kinds.size !== 1) throw fail('Literal[...] values must share one type');
  const kind = [...kinds][0];
  const type = kind === 'string' ? 'string' : kind === 'boolean' ? 'boolean' : values.every(Number.isInteger) ? 'integer' : 'number';
  return { type, enum: values };
}

/** Recursive-descent parser for annotations such as `Optional[List[str]]`, `int | None`, `Literal['a', 1]`. */
function parseType(text: string): TypeNode {
  const tokens = text.match(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|\.\.\.|[A-Za-z_][\w.]*|[[\],|]/g) ?? [];
  let pos = 0;
  const union = (): TypeNode => {
    const first = atom();
    const parts = [first];
    while (tokens[pos] === '|') {
      pos++;
      parts.push(atom());
    }
    return parts.length === 1 ? first : { name: 'Union', args: parts };
  };
  const atom = (): TypeNode => {
    const t = tokens[pos++];
    if (t === undefined) throw new Error('unexpected end');
    if (/^['"]/.test(t)) return { literal: t.slice(1, -1) };
    if (/^-?\d/.test(t)) return { literal: Number(t) };
    if (t === 'True' || t === 'False') return { literal: t === 'True' };
    if (!/^[A-Za-z_.]/.test(t)) throw new Error(`unexpected ${t}`);
    const args: TypeNode[] = [];
    if (tokens[pos] === '[') {
      pos++;
      while (tokens[pos] !== ']') {
        args.push(union());
        if (tokens[pos] === ',') pos++;
        else if (tokens[pos] !== ']') throw new Error('expected ]');
      }
      pos++;
    }
    return { name: t, args };
  };
  const node = union();
  if (pos !== tokens.length) throw new Error('trailing tokens');
  return node;
}
