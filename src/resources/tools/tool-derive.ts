// Name and JSON schema of a custom tool: from json_schema when given, else derived from the source code.
import { BadRequestError } from '../../errors.js';
import { deriveSchemaFromPython } from '../../tools/schema-from-python.js';
import { deriveSchemaFromTypeScript } from '../../tools/schema-from-typescript.js';

type Json = Record<string, unknown>;
export type DerivedSchema = { name: string; description: string | undefined; jsonSchema: Json };

export type DeriveInput = {
  sourceCode: string;
  sourceType: string;
  jsonSchema?: Json | null;
  argsJsonSchema?: Json | null;
  /** Fallback name when a given json_schema has none (POST /v1/tools/run). */
  name?: string | null;
};

const NAME_RE = /^[A-Za-z_$][\w$]*$/;

function fromSource(input: DeriveInput): Json {
  const t = input.sourceType;
  try {
    if (t === 'python') return deriveSchemaFromPython(input.sourceCode) as Json;
    if (t === 'typescript' || t === 'javascript') return deriveSchemaFromTypeScript(input.sourceCode) as Json;
  } catch (error) {
    const msg = error instanceof Error ? error.message : String(error);
    throw new BadRequestError(`Could not derive a JSON schema from the ${t} source_code: ${msg}`);
  }
  throw new BadRequestError(`source_type '${t}' needs an explicit json_schema (supported for derivation: python, javascript, typescript)`);
}

export async function deriveToolSchema(input: DeriveInput): Promise<DerivedSchema> {
  let schema: Json = input.jsonSchema ?? fromSource(input);
  if (input.argsJsonSchema && !input.jsonSchema) schema = { ...schema, parameters: input.argsJsonSchema };
  const name = typeof schema.name === 'string' ? schema.name : input.name;
  if (!name) throw new BadRequestError('json_schema.name is required: it names the tool');
  if (!NAME_RE.test(name)) throw new BadRequestError(`json_schema.name '${name}' must be a function identifier (letters, digits, _)`);
  if (schema.parameters !== undefined && (typeof schema.parameters !== 'object' || schema.parameters === null)) {
    throw new BadRequestError('json_schema.parameters must be a JSON object schema');
  }
  const description = typeof schema.description === 'string' ? schema.description : undefined;
  return { name, description, jsonSchema: { ...schema, name } };
}
