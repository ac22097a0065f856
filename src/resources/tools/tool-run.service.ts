// Running tools outside a turn (from source, or an agent's tool by name) and the per-agent approval switch.
import type { Actor } from '../../actor.js';
import type { Db } from '../../db/client.js';
import { BadRequestError, NotFoundError } from '../../errors.js';
import type { ToolExecutor } from '../../tools/executor.js';
import * as agentsRepo from '../agents/agents.repo.js';
import type { AgentsService } from '../agents/agents.service.js';
import type { AgentState } from '../agents/agents.schemas.js';
import { deriveToolSchema } from './tool-derive.js';
import { listAgentToolRows } from './tools.repo.js';
import type { RunToolFromSource, ToolExecutionResult } from './tools.schemas.js';
import type { ToolRow } from '../../db/rows.js';

type Deps = { db: Db; executor: ToolExecutor; agents: Pick<AgentsService, 'get'> };

const toWire = (r: { status: 'success' | 'error'; funcReturn: unknown; stdout: string[]; stderr: string[] }): ToolExecutionResult => ({
  status: r.status,
  func_return: r.funcReturn,
  stdout: r.stdout,
  stderr: r.stderr,
  agent_state: null,
  sandbox_config_fingerprint: null,
});

export function createToolRunService(deps: Deps) {
  const { db, executor } = deps;

  async function agentTool(actor: Actor, agentId: string, toolName: string): Promise<ToolRow> {
    await agentsRepo.assertAgentExists(db, actor.orgId, agentId);
    const tool = (await listAgentToolRows(db, actor.orgId, agentId)).find((t) => t.name === toolName);
    if (!tool) throw new NotFoundError(`Agent ${agentId} has no tool named '${toolName}'`);
    return tool;
  }

  /** Runs a tool that is not stored, e.g. while writing it; env_vars play the part of agent secrets. */
  async function runFromSource(actor: Actor, body: RunToolFromSource): Promise<ToolExecutionResult> {
    const sourceType = body.source_type ?? 'python';
    const d = await deriveToolSchema({
      sourceCode: body.source_code,
      sourceType,
      jsonSchema: body.json_schema,
      argsJsonSchema: body.args_json_schema,
      name: body.name,
    });
    const row = {
      id: 'tool-unsaved',
      organizationId: actor.orgId,
      name: d.name,
      toolType: 'custom',
      sourceType,
      sourceCode: body.source_code,
      jsonSchema: d.jsonSchema,
      pipRequirements: body.pip_requirements ?? null,
      npmRequirements: body.npm_requirements ?? null,
    } as ToolRow;
    return toWire(await executor.executeExternalTool(row, body.args ?? {}, { secrets: body.env_vars ?? {} }));
  }

  async function runForAgent(actor: Actor, agentId: string, toolName: string, args: Record<string, unknown>): Promise<ToolExecutionResult> {
    const tool = await agentTool(actor, agentId, toolName);
    if (tool.toolType.startsWith('letta_')) throw new BadRequestError(`Tool '${toolName}' is built in and only runs inside an agent step`);
    const agent = (await agentsRepo.findAgent(db, actor.orgId, agentId))!;
    const secrets = Object.fromEntries(agent.secrets.map((s) => [s.key, s.value]));
    return toWire(await executor.executeExternalTool(tool, args, { agentId, secrets }));
  }

  /** Adds or removes the agent's requires_approval rule for one of its tools. */
  async function setApproval(actor: Actor, agentId: string, toolName: string, requires: boolean): Promise<AgentState> {
    await agentTool(actor, agentId, toolName);
    const agent = (await agentsRepo.findAgent(db, actor.orgId, agentId))!;
    const rules = agent.toolRules.filter((r) => !(r.type === 'requires_approval' && r.tool_name === toolName));
    if (requires) rules.push({ type: 'requires_approval', tool_name: toolName });
    await agentsRepo.updateAgentRow(db, actor.orgId, agentId, { toolRules: rules });
    return deps.agents.get(actor, agentId);
  }

  return { runFromSource, runForAgent, setApproval };
}

export type ToolRunService = ReturnType<typeof createToolRunService>;
