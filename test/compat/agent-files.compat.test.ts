// Every agent file Letta exported in ../shared/fixtures/agent-files imports, answers a message, exports, and
// re-imports to an equivalent agent.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { normalizeAgentFile } from '../support/agent-file-factory.js';
import { call } from '../support/http.js';
import { startScriptedLlm, type RecordedRequest, type ScriptedLlm, type ScriptedStep } from '../support/scripted-llm.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixturesDir = path.resolve(repoRoot, '../shared/fixtures/agent-files');
const fixtures = readdirSync(fixturesDir)
  .filter((f) => f.endsWith('.af'))
  .sort();

let llm: ScriptedLlm;
let t: TestApp;
beforeAll(async () => {
  llm = await startScriptedLlm();
  t = await createTestApp(
    { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: llm.openaiBaseUrl, ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: llm.anthropicBaseUrl },
    { listen: true },
  );
});
afterAll(async () => {
  await t?.close();
  await llm?.close();
});
beforeEach(() => llm.reset());

function readFixture(name: string): any {
  const data = JSON.parse(readFileSync(path.join(fixturesDir, name), 'utf8'));
  return typeof data === 'string' ? JSON.parse(data) : data;
}

async function importText(text: string, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.append('file', new Blob([text], { type: 'application/json' }), 'agent.af');
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const res = await fetch(`${t.url}/v1/agents/import`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as any };
}

async function exportAgent(id: string): Promise<any> {
  const res = await fetch(`${t.url}/v1/agents/${id}/export`);
  expect(res.status).toBe(200);
  return res.json();
}

const toolNames = (req: RecordedRequest): string[] => (req.body.tools ?? []).map((x: any) => x.function?.name ?? x.name).filter(Boolean);

/** What the scripted model does per fixture: exercise a Python tool from the file where there is a simple one. */
const SCRIPTS: Record<string, { steps: ScriptedStep[]; expectReturn?: RegExp; finish?: (req: RecordedRequest) => ScriptedStep }> = {
  'customer_service.af': {
    steps: [
      { toolCalls: [{ name: 'check_order_status', arguments: { order_number: 42 } }] },
      { text: 'Your order 42 is being processed.' },
    ],
    expectReturn: /Order 42 is currently processing/,
  },
  'outreach_workflow_agent.af': {
    steps: [
      { toolCalls: [{ name: 'retrieve_candidate', arguments: { candidate_name: 'Grace' } }] },
      { toolCalls: [{ name: 'evaluate_candidate', arguments: {} }] },
    ],
    expectReturn: /software engineer working at Letta/,
    finish: (req) =>
      toolNames(req).includes('send_email')
        ? {
            toolCalls: [
              { name: 'send_email', arguments: { candidate_name: 'Grace', email_subject: 'Hello', email_content: 'Let us talk.' } },
            ],
          }
        : { toolCalls: [{ name: 'reject', arguments: { candidate_name: 'Grace' } }] },
  },
};

/** The parts of an exported file that must survive import unchanged from the fixture. */
function essentials(file: any) {
  const n = normalizeAgentFile(file) as any;
  return {
    blocks: n.blocks.map((b: any) => ({
      label: b.label,
      value: b.value,
      limit: b.limit,
      read_only: b.read_only,
      description: b.description,
    })),
    // Built-in tools map to our own rows (our wording of their schemas); custom tools travel verbatim.
    tools: n.tools.map((x: any) =>
      String(x.tool_type).startsWith('letta_')
        ? { name: x.name }
        : { name: x.name, source_code: x.source_code, json_schema: x.json_schema },
    ),
    agents: n.agents.map((a: any) => ({
      system: a.system,
      agent_type: a.agent_type,
      tool_rules: a.tool_rules,
      tool_ids: a.tool_ids,
      block_ids: a.block_ids,
      model: a.llm_config.model,
      context_window: a.llm_config.context_window,
      timezone: a.timezone,
      description: a.description,
      message_buffer_autoclear: a.message_buffer_autoclear,
    })),
  };
}

describe.each(fixtures)('Letta agent file %s', (name) => {
  it('imports, answers a message, exports the same agent, and re-imports to an equivalent one', async () => {
    const text = readFileSync(path.join(fixturesDir, name), 'utf8');
    const fixture = readFixture(name);
    const imported = await importText(text, { append_copy_suffix: 'false' });
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    const agentId = imported.body.agent_ids[0];
    const first = await exportAgent(agentId);
    expect(essentials(first)).toEqual(essentials(fixture));

    const script = SCRIPTS[name] ?? { steps: [{ text: 'Hello! Happy to help.' }] };
    llm.enqueue(...script.steps);
    if (script.finish) llm.setHandler(script.finish);
    const res = await call(t.app, 'POST', `/v1/agents/${agentId}/messages`, {
      messages: [{ role: 'user', content: 'Hello, can you help me?' }],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(['end_turn', 'tool_rule']).toContain(res.body.stop_reason.stop_reason);
    if (script.expectReturn) {
      const returns = res.body.messages.filter((m: any) => m.message_type === 'tool_return_message');
      expect(returns[0]?.status, JSON.stringify(returns[0])).toBe('success');
      expect(returns[0].tool_return).toMatch(script.expectReturn);
    }
    const systemText = JSON.stringify(llm.requests[0]!.body);
    // The imported memory reaches the model (values are rendered line by line, so check each block's first line).
    for (const b of fixture.blocks) {
      const firstLine = String(b.value)
        .split('\n')
        .map((l: string) => l.trim())
        .find(Boolean);
      if (firstLine) expect(systemText).toContain(JSON.stringify(firstLine.slice(0, 40)).slice(1, -1));
    }

    const afterTurn = await exportAgent(agentId);
    expect(afterTurn.agents[0].messages.length).toBeGreaterThan(first.agents[0].messages.length);
    const again = await importText(JSON.stringify(afterTurn), { append_copy_suffix: 'false' });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    const second = await exportAgent(again.body.agent_ids[0]);
    expect(normalizeAgentFile(second)).toEqual(normalizeAgentFile(afterTurn));
  });
});
