import type { Tool } from './tools.schemas.js';
import type { ToolRow } from '../../db/rows.js';

export function toTool(r: ToolRow): Tool {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    tool_type: r.toolType as Tool['tool_type'],
    source_type: r.sourceType,
    source_code: r.sourceCode,
    json_schema: r.jsonSchema ?? null,
    args_json_schema: r.argsJsonSchema ?? null,
    tags: r.tags,
    return_char_limit: r.returnCharLimit,
    pip_requirements: r.pipRequirements ?? null,
    npm_requirements: r.npmRequirements ?? null,
    default_requires_approval: r.defaultRequiresApproval,
    enable_parallel_execution: r.enableParallelExecution,
    created_by_id: null,
    last_updated_by_id: null,
    metadata_: r.metadata ?? {},
    project_id: r.projectId,
  };
}
