// Turns an uploaded agent file and its form fields into a validated AgentFile and ImportOptions.
import { BadRequestError, ValidationError } from '../../errors.js';
import { findHostileText } from '../../text/hostile-text.js';
import { MAX_JSON_DEPTH, jsonNestsDeeperThan } from '../../text/json-depth.js';
import { count, short } from './agent-file.errors.js';
import { AgentFile, type ImportOptions } from './agent-file.schemas.js';

const CORRUPTED = 'Corrupted agent file format.';

/** Parses the file text; tolerates files stored as a JSON string that contains the JSON (double-encoded). */
export function parseAgentFileText(text: string): AgentFile {
  return parseAgentFileData(parseJson(text));
}

/** An already parsed file (a raw JSON request body), or its text when it was double-encoded. */
export function parseAgentFileData(value: unknown): AgentFile {
  let data = value;
  if (typeof data === 'string') data = parseJson(data);
  if (!data || typeof data !== 'object' || Array.isArray(data) || !Array.isArray((data as { agents?: unknown }).agents)) {
    throw new BadRequestError('Legacy agent file format is not supported: expected the multi-entity format with an "agents" list');
  }
  const parsed = AgentFile.safeParse(data);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = short(first?.path.join('.') || '(root)');
    throw new BadRequestError(`Import failed: invalid agent file at ${where}: ${short(first?.message ?? 'invalid', 200)}`);
  }
  checkReferences(parsed.data);
  return parsed.data;
}

/**
 * The uploaded file meets the same bounds as a JSON request body: nesting depth (checked on the text, so no
 * recursive walk can overflow), then storable text. A raw JSON body met them at the HTTP boundary already.
 */
function parseJson(text: string): unknown {
  if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH))
    throw new BadRequestError(`Import failed: the file nests deeper than ${MAX_JSON_DEPTH} levels`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new BadRequestError(CORRUPTED);
  }
  const problem = findHostileText(data, 'file');
  if (problem) throw new ValidationError(`Import failed: ${problem}`);
  return data;
}

/** Every id unique per kind, every reference resolving inside the file: caught before anything is written. */
function checkReferences(file: AgentFile): void {
  const blockIds = uniqueIds(
    'block',
    (file.blocks ?? []).map((b) => b.id),
  );
  const toolIds = uniqueIds(
    'tool',
    (file.tools ?? []).map((t) => t.id),
  );
  const agentIds = uniqueIds(
    'agent',
    file.agents.map((a) => a.id),
  );
  uniqueIds(
    'mcp_server',
    (file.mcp_servers ?? []).map((s) => s.id),
  );
  for (const a of file.agents) {
    const id = short(a.id);
    missing(`agent ${id} tool_ids`, a.tool_ids ?? [], toolIds);
    missing(`agent ${id} block_ids`, a.block_ids ?? [], blockIds);
    const messageIds = uniqueIds(
      'message',
      (a.messages ?? []).map((m) => m.id),
    );
    missing(`agent ${id} in_context_message_ids`, a.in_context_message_ids ?? [], messageIds);
  }
  for (const g of file.groups ?? []) missing(`group ${short(g.id)} agent_ids`, g.agent_ids ?? [], agentIds);
}

function uniqueIds(kind: string, ids: string[]): Set<string> {
  const set = new Set(ids);
  if (set.size !== ids.length) throw new BadRequestError(`Import failed: duplicate ${kind} ids in the agent file`);
  return set;
}

function missing(where: string, refs: string[], known: Set<string>): void {
  const bad = refs.filter((r) => !known.has(r));
  if (!bad.length) return;
  const shown = bad
    .slice(0, 5)
    .map((r) => short(r))
    .join(', ');
  const more = bad.length > 5 ? ` and ${count(bad.length - 5)} more` : '';
  throw new BadRequestError(`Import failed: ${where} reference unknown ids: ${shown}${more}`);
}

export type ImportForm = Record<string, string | undefined>;

const boolField = (v: string | undefined, fallback: boolean, name: string): boolean => {
  if (v === undefined || v === '') return fallback;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new BadRequestError(`${name} must be true or false`);
};

const str = (v: string | undefined) => (v === undefined || v === '' || v === 'null' ? undefined : v);

/** Form fields → options, with Letta's precedence between the current names and their deprecated aliases. */
export function importOptionsFrom(form: ImportForm, headers: { embedding?: string; projectId?: string }): ImportOptions {
  // Multipart fields bypass the JSON boundary check; they get the same one here.
  const problem = findHostileText(form, 'form');
  if (problem) throw new ValidationError(`Import failed: ${problem}`);
  return {
    name: str(form.name) ?? str(form.override_name),
    model: str(form.model) ?? str(form.override_model_handle),
    embedding: str(form.embedding) ?? str(form.override_embedding_handle) ?? str(headers.embedding),
    overrideExistingTools: boolField(form.override_existing_tools, true, 'override_existing_tools'),
    stripMessages: boolField(form.strip_messages, false, 'strip_messages'),
    appendCopySuffix: boolField(form.append_copy_suffix, true, 'append_copy_suffix'),
    secrets: secretsFrom(str(form.secrets) ?? str(form.env_vars_json)),
    projectId: str(headers.projectId) ?? str(form.project_id),
  };
}

function secretsFrom(text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new BadRequestError('secrets must be a JSON object of string values');
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new BadRequestError('secrets must be a JSON object of string values');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== 'string') throw new BadRequestError(`secrets.${k} must be a string`);
    out[k] = v;
  }
  return out;
}
