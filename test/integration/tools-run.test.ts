import { describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';

const t = useAgentHarness({ offline: true });

const params = (props: Record<string, string>) => ({
  type: 'object',
  properties: Object.fromEntries(Object.entries(props).map(([k, type]) => [k, { type, description: k }])),
  required: Object.keys(props),
});

const PY_GREET = `
import os

def greet(name: str) -> str:
    """Greets someone with the configured greeting.

    Args:
        name: Who to greet.
    """
    print("greeting", name)
    return os.environ.get("GREETING", "hello") + ", " + name + " from " + os.environ.get("LETTA_AGENT_ID", "nobody")
`;

const TS_ADD = `
/**
 * Adds two numbers.
 * @param a first number
 * @param b second number
 */
export function add_numbers(a: number, b: number): number {
  console.log('adding', a, b);
  return a + b;
}
`;

const PY_BOOM = `
def boom(x: int) -> int:
    """Always fails.

    Args:
        x: ignored.
    """
    raise ValueError("bad value " + str(x))
`;

describe('running tools', () => {
  it('runs Python source from /v1/tools/run with env_vars as its environment', async () => {
    const res = await call(t.app, 'POST', '/v1/tools/run', {
      source_code: PY_GREET,
      args: { name: 'Ada' },
      env_vars: { GREETING: 'hi' },
      json_schema: { name: 'greet', description: 'greets', parameters: params({ name: 'string' }) },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'success', func_return: 'hi, Ada from nobody', agent_state: null });
    expect(res.body.stdout.join('')).toContain('greeting Ada');
  });

  it('runs TypeScript source and reports a Python exception as a failed result', async () => {
    const ts = await call(t.app, 'POST', '/v1/tools/run', {
      source_code: TS_ADD,
      source_type: 'typescript',
      args: { a: 2, b: 3 },
      json_schema: { name: 'add_numbers', parameters: params({ a: 'number', b: 'number' }) },
    });
    expect(ts.body).toMatchObject({ status: 'success', func_return: 5 });
    expect(ts.body.stdout.join('')).toContain('adding 2 3');
    const py = await call(t.app, 'POST', '/v1/tools/run', {
      source_code: PY_BOOM,
      args: { x: 7 },
      json_schema: { name: 'boom', parameters: params({ x: 'integer' }) },
    });
    expect(py.status).toBe(200);
    expect(py.body.status).toBe('error');
    expect(py.body.func_return).toBe('Error executing function boom: ValueError: bad value 7');
  });

  it("runs an agent's stored Python and TypeScript tools by name with the agent secrets as environment", async () => {
    const pyTool = await call(t.app, 'POST', '/v1/tools/', {
      source_code: PY_GREET,
      json_schema: { name: 'greet', description: 'greets', parameters: params({ name: 'string' }) },
    });
    const tsTool = await call(t.app, 'POST', '/v1/tools/', {
      source_code: TS_ADD,
      source_type: 'typescript',
      json_schema: { name: 'add_numbers', parameters: params({ a: 'number', b: 'number' }) },
    });
    expect(pyTool.body.source_type).toBe('python');
    const agent = (
      await call(t.app, 'POST', '/v1/agents/', {
        name: 'runner',
        model: 'openai/gpt-4o-mini',
        include_base_tools: false,
        tool_ids: [pyTool.body.id, tsTool.body.id],
        secrets: { GREETING: 'howdy' },
      })
    ).body;
    const py = await call(t.app, 'POST', `/v1/agents/${agent.id}/tools/greet/run`, { args: { name: 'Grace' } });
    expect(py.status).toBe(200);
    expect(py.body).toMatchObject({ status: 'success', func_return: `howdy, Grace from ${agent.id}`, agent_state: null });
    const ts = await call(t.app, 'POST', `/v1/agents/${agent.id}/tools/add_numbers/run`, { args: { a: 40, b: 2 } });
    expect(ts.body).toMatchObject({ status: 'success', func_return: 42 });
    expect((await call(t.app, 'POST', `/v1/agents/${agent.id}/tools/nope/run`, { args: {} })).status).toBe(404);
    expect((await call(t.app, 'POST', '/v1/agents/agent-00000000-0000-4000-8000-000000000000/tools/greet/run', { args: {} })).status).toBe(
      404,
    );
  });

  it('rejects a run without source_code', async () => {
    expect((await call(t.app, 'POST', '/v1/tools/run', { args: {} })).status).toBe(422);
  });

  it("derives a Python tool's name and schema from its signature and docstring", async () => {
    const created = await call(t.app, 'POST', '/v1/tools/', { source_code: PY_GREET });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ name: 'greet', source_type: 'python', description: expect.stringContaining('Greets someone') });
    expect(created.body.json_schema).toMatchObject({
      name: 'greet',
      parameters: { type: 'object', properties: { name: { type: 'string', description: 'Who to greet.' } }, required: ['name'] },
    });
    const patched = await call(t.app, 'PATCH', `/v1/tools/${created.body.id}`, {
      source_code: PY_GREET.replace('name: str', 'name: str, times: int = 1').replace(
        'Who to greet.',
        'Who to greet.\n        times: How often.',
      ),
    });
    expect(patched.status).toBe(200);
    expect(patched.body.json_schema.parameters.properties.times).toMatchObject({ type: 'integer' });
    expect(patched.body.json_schema.parameters.required).toEqual(['name']);
    const ran = await call(t.app, 'POST', '/v1/tools/run', { source_code: PY_GREET, args: { name: 'Bo' } });
    expect(ran.body).toMatchObject({ status: 'success', func_return: 'hello, Bo from nobody' });
  });

  it('answers 400 naming the problem when the schema cannot be derived', async () => {
    const noDoc = await call(t.app, 'POST', '/v1/tools/', { source_code: 'def bare(x: int) -> int:\n    return x\n' });
    expect(noDoc.status).toBe(400);
    expect(noDoc.body.detail).toContain('docstring');
    const noDef = await call(t.app, 'POST', '/v1/tools/', { source_code: 'x = 1' });
    expect(noDef.status).toBe(400);
    expect(noDef.body.detail).toMatch(/function/i);
  });

  it("derives a TypeScript tool's schema from its exported function and JSDoc, and runs it unsaved", async () => {
    const created = await call(t.app, 'POST', '/v1/tools/', { source_code: TS_ADD, source_type: 'typescript' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ name: 'add_numbers', source_type: 'typescript' });
    expect(created.body.json_schema.parameters).toMatchObject({
      properties: { a: { type: 'number' }, b: { type: 'number' } },
      required: ['a', 'b'],
    });
    const ran = await call(t.app, 'POST', '/v1/tools/run', { source_code: TS_ADD, source_type: 'typescript', args: { a: 1, b: 1 } });
    expect(ran.body).toMatchObject({ status: 'success', func_return: 2 });
    const bad = await call(t.app, 'POST', '/v1/tools/', { source_code: 'const x = 1;', source_type: 'typescript' });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toContain('typescript');
  });
});
