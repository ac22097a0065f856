// Derives an OpenAI function schema from JavaScript/TypeScript tool source without running it: the exported
// function (else the last top-level one), its JSDoc (description, @param {type} name text) and TS parameter types.
import { parse as parseJsDoc } from 'comment-parser';
import { listFunctions, type JsFunction, type JsParam } from '../sandbox/js-signature.js';
import { maskSource, splitTopLevel } from '../sandbox/js-source-scan.js';
import { SchemaDerivationError, type FunctionSchema, type JsonSchema } from './schema-from-python.js';

type Doc = { description: string; params: Map<string, { type?: string; description: string }> };

export function deriveSchemaFromTypeScript(source: string): FunctionSchema {
  const all = listFunctions(source);
  const fn = all.find((f) => f.exported) ?? all[all.length - 1];
  if (!fn) throw new SchemaDerivationError('No function found in the tool source code');
  const doc = readDoc(fn);
  const name = fn.name === 'default' ? undefined : fn.name;
  if (!name) throw new SchemaDerivationError('The exported function needs a name (export default function myTool(...))');
  const [only] = fn.params;
  const destructured = fn.params.length === 1 && only?.name === null && only.destructuredKeys;
  const parameters = destructured ? fromObjectParam(only, doc, name) : fromPositional(fn, doc);
  return { name, description: doc.description, parameters };
}

function readDoc(fn: JsFunction): Doc {
  const params: Doc['params'] = new Map();
  const block = fn.jsdoc ? parseJsDoc(fn.jsdoc)[0] : undefined;
  for (const tag of block?.tags ?? []) {
    if (tag.tag !== 'param' && tag.tag !== 'arg' && tag.tag !== 'argument') continue;
    const key = tag.name.replace(/^[^.]+\./, ''); // `@param args.city` documents a destructured field
    params.set(key, { type: tag.type || undefined, description: tag.description.replace(/^-\s*/, '').trim() });
  }
  return { description: block?.description.trim() ?? '', params };
}

function fromPositional(fn: JsFunction, doc: Doc): FunctionSchema['parameters'] {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const p of fn.params) {
    if (p.rest || !p.name) throw new SchemaDerivationError(`Function '${fn.name}': rest and destructured parameters need a json_schema`);
    const d = doc.params.get(p.name);
    const typeText = p.typeText ?? d?.type;
    if (!typeText)
      throw new SchemaDerivationError(`Parameter '${p.name}' in function '${fn.name}' has no type (TS annotation or @param {type})`);
    const { schema, optional } = typeToSchema(typeText, `${fn.name}.${p.name}`);
    properties[p.name] = d?.description ? { ...schema, description: d.description } : schema;
    if (!p.optional && !optional) required.push(p.name);
  }
  return { type: 'object', properties, required };
}

function fromObjectParam(p: JsParam, doc: Doc, fnName: string): FunctionSchema['parameters'] {
  if (!p.typeText) throw new SchemaDerivationError(`The destructured parameter of '${fnName}' needs an object type annotation`);
  const { schema } = typeToSchema(p.typeText, fnName);
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const [key, value] of Object.entries(props)) {
    const d = doc.params.get(key)?.description;
    if (d) props[key] = { ...value, description: d };
  }
  return { type: 'object', properties: props, required: (schema.required as string[]) ?? [] };
}

const SCALARS: Record<string, string> = { string: 'string', number: 'number', boolean: 'boolean', integer: 'integer' };

/** Simple TS types: scalars, T[] / Array<T>, object literals, unions of literals; `| undefined | null` → optional. */
function typeToSchema(text: string, where: string): { schema: JsonSchema; optional: boolean } {
  const t = text
    .trim()
    .replace(/^\((.*)\)$/s, '$1')
    .trim();
  const masked = maskSource(t).text;
  const parts = splitTopLevel(masked, 0, t.length, '|')
    .map(([s, e]) => t.slice(s, e).trim())
    .filter(Boolean);
  const kept = parts.filter((x) => x !== 'undefined' && x !== 'null');
  const optional = kept.length < parts.length;
  if (kept.length > 1) {
    const literals = kept.map((x) => /^(['"])(.*)\1$/.exec(x)?.[2]);
    if (literals.every((l) => l !== undefined)) return { schema: { type: 'string', enum: literals }, optional };
    throw new SchemaDerivationError(`Type '${text}' of ${where}: only unions of string literals are supported`);
  }
  return { schema: single(kept[0] ?? '', where), optional };
}

function single(t: string, where: string): JsonSchema {
  if (SCALARS[t.toLowerCase()]) return { type: SCALARS[t.toLowerCase()] };
  const literal = /^(['"])(.*)\1$/.exec(t);
  if (literal) return { type: 'string', enum: [literal[2] ?? ''] };
  if (t.endsWith('[]')) return { type: 'array', items: typeToSchema(t.slice(0, -2), where).schema };
  const [, container, element = ''] = /^(Array|ReadonlyArray|Record)<(.*)>$/s.exec(t) ?? [];
  if (container === 'Record') return { type: 'object' };
  if (container) return { type: 'array', items: typeToSchema(element, where).schema };
  if (t === 'object' || t === 'Object') return { type: 'object' };
  if (t.startsWith('{') && t.endsWith('}')) return objectLiteral(t, where);
  throw new SchemaDerivationError(`Type '${t}' of ${where} has no JSON schema mapping; provide json_schema explicitly`);
}

function objectLiteral(t: string, where: string): JsonSchema {
  const body = t.slice(1, -1);
  const masked = maskSource(body).text.replace(/;/g, ',');
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [s, e] of splitTopLevel(masked, 0, body.length)) {
    const m = /^\s*(?:readonly\s+)?([A-Za-z_$][\w$]*)\s*(\?)?\s*:\s*([\s\S]*?)\s*$/.exec(body.slice(s, e).replace(/;\s*$/, ''));
    const [, key, question, type = ''] = m ?? [];
    if (!key) continue;
    const { schema, optional } = typeToSchema(type, `${where}.${key}`);
    properties[key] = schema;
    if (!question && !optional) required.push(key);
  }
  return { type: 'object', properties, required };
}
