import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useAgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';
import { startMcpHttpServer, type McpHttpServer } from '../support/mcp-servers/http-server.js';
import { stdioServerCommand } from '../support/mcp-servers/stdio-command.js';

// Registered before the harness so that it closes after the app (after-hooks run in reverse).
let http: McpHttpServer;
beforeAll(async () => {
  http = await startMcpHttpServer();
});
afterAll(async () => http?.close());
// Local test servers (stdio command, HTTP on 127.0.0.1) need the operator's switches, off by default.
const t = useAgentHarness({ env: { MNEMO_ALLOW_MCP_STDIO: '1', MNEMO_OUTBOUND_ALLOW: '127.0.0.1' } });

const params = (props: Record<string, string>) => ({
  type: 'object',
  properties: Object.fromEntries(Object.entries(props).map(([k, type]) => [k, { type, description: k }])),
  required: Object.keys(props),
});

const PY_SECRET = `
import os

def lookup_code(item: str) -> str:
    """Looks up the code of an item.

    Args:
        item: The item name.
    """
    return item + ":" + os.environ["CODE_SALT"]
`;
const TS_TWICE = `export function twice(n: number): number { return n * 2; }`;

const toolReturns = (messages: { message_type: string; tool_return?: string; status?: string; name?: string }[]) =>
  messages.filter((m) => m.message_type === 'tool_return_message');

describe('external tools inside the agent loop', () => {
  it('the model calls a user Python tool, a TypeScript tool and MCP tools over stdio and HTTP', async () => {
    const py = (
      await call(t.app, 'POST', '/v1/tools/', {
        source_code: PY_SECRET,
        json_schema: { name: 'lookup_code', description: 'codes', parameters: params({ item: 'string' }) },
      })
    ).body;
    const ts = (
      await call(t.app, 'POST', '/v1/tools/', {
        source_code: TS_TWICE,
        source_type: 'typescript',
        json_schema: { name: 'twice', description: 'doubles', parameters: params({ n: 'number' }) },
      })
    ).body;
    const cmd = await stdioServerCommand();
    const stdio = (
      await call(t.app, 'POST', '/v1/mcp-servers/', { server_name: 'loop-stdio', config: { command: cmd.command, args: cmd.args } })
    ).body;
    const remote = (await call(t.app, 'POST', '/v1/mcp-servers/', { server_name: 'loop-http', config: { server_url: http.url } })).body;
    const stdioTools = (await call(t.app, 'GET', `/v1/mcp-servers/${stdio.id}/tools`)).body;
    const httpTools = (await call(t.app, 'GET', `/v1/mcp-servers/${remote.id}/tools`)).body;
    const add = stdioTools.find((x: { name: string }) => x.name === 'add');
    const echo = httpTools.find((x: { metadata_: { mcp: { tool_name: string } } }) => x.metadata_.mcp.tool_name === 'echo');

    const agent = (
      await call(t.app, 'POST', '/v1/agents/', {
        name: 'tool_user',
        model: 'openai/gpt-4o-mini',
        include_base_tools: false,
        tool_ids: [py.id, ts.id, add.id, echo.id],
        secrets: { CODE_SALT: 'salt42' },
      })
    ).body;
    t.llm.enqueue(
      { toolCalls: [{ name: 'lookup_code', arguments: { item: 'widget' } }] },
      { toolCalls: [{ name: 'twice', arguments: { n: 21 } }] },
      { toolCalls: [{ name: add.name, arguments: { a: 1, b: 2 } }] },
      { toolCalls: [{ name: echo.name, arguments: { text: 'via http' } }] },
      { text: 'All done.' },
    );
    const res = await call(t.app, 'POST', `/v1/agents/${agent.id}/messages`, { input: 'use your tools' });
    expect(res.status).toBe(200);
    expect(res.body.stop_reason.stop_reason).toBe('end_turn');
    const returns = toolReturns(res.body.messages);
    expect(returns.map((m) => m.status)).toEqual(['success', 'success', 'success', 'success']);
    expect(returns[0]!.tool_return).toContain('widget:salt42');
    expect(returns[1]!.tool_return).toContain('42');
    expect(returns[2]!.tool_return).toContain('3');
    expect(returns[3]!.tool_return).toContain('via http');
    // The model saw the results in its next request.
    const last = t.llm.requests
      .at(-1)!
      .body.messages.map((m: { content: unknown }) => JSON.stringify(m.content))
      .join('\n');
    expect(last).toContain('widget:salt42');
    expect(last).toContain('via http');
  });

  it('a failing tool reaches the model as an error result and the turn goes on', async () => {
    const boom = (
      await call(t.app, 'POST', '/v1/tools/', {
        source_code: 'def explode(x: int) -> int:\n    raise RuntimeError("kaboom")\n',
        json_schema: { name: 'explode', description: 'fails', parameters: params({ x: 'integer' }) },
      })
    ).body;
    const agent = (
      await call(t.app, 'POST', '/v1/agents/', {
        name: 'unlucky',
        model: 'openai/gpt-4o-mini',
        include_base_tools: false,
        tool_ids: [boom.id],
      })
    ).body;
    t.llm.enqueue({ toolCalls: [{ name: 'explode', arguments: { x: 1 } }] }, { text: 'That failed.' });
    const res = await call(t.app, 'POST', `/v1/agents/${agent.id}/messages`, { input: 'try it' });
    expect(res.status).toBe(200);
    const [ret] = toolReturns(res.body.messages);
    expect(ret!.status).toBe('error');
    expect(ret!.tool_return).toContain('Error executing function explode: RuntimeError: kaboom');
    expect(res.body.stop_reason.stop_reason).toBe('end_turn');
  });
});
