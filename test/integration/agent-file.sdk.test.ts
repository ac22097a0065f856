import Letta, { toFile } from '@letta-ai/letta-client';
import { describe, expect, it } from 'vitest';
import { makeAgentFile } from '../support/agent-file-factory.js';
import { useAgentHarness } from '../support/agent-harness.js';

const t = useAgentHarness({ offline: true, sdk: true });

describe('agent files through the SDK', () => {
  it('importFile then exportFile resolves to the parsed agent file', async () => {
    const json = JSON.stringify(makeAgentFile({ name: 'sdk_fern' }));
    const imported = await t.client.agents.importFile({
      file: await toFile(Buffer.from(json), 'a.af'),
      append_copy_suffix: false,
      secrets: '{"GREENHOUSE_KEY":"k"}',
    });
    expect(imported.agent_ids).toHaveLength(1);
    const agent = await t.client.agents.retrieve(imported.agent_ids[0]!);
    expect(agent.name).toBe('sdk_fern');
    expect(agent.secrets?.map((s) => [s.key, s.value])).toEqual([['GREENHOUSE_KEY', 'k']]);
    const exported = (await t.client.agents.exportFile(agent.id)) as unknown as Record<string, any>;
    expect(typeof exported).toBe('object');
    expect(exported.agents[0]).toMatchObject({
      id: 'agent-0',
      name: 'sdk_fern',
      in_context_message_ids: ['message-0', 'message-1', 'message-2', 'message-3', 'message-4'],
    });
    expect(exported.tools.map((x: any) => x.name).sort()).toEqual(['conversation_search', 'greet_visitor', 'memory_replace']);
    const scrubbed = (await t.client.agents.exportFile(agent.id, { scrub_messages: true })) as unknown as Record<string, any>;
    expect(scrubbed.agents[0].messages).toEqual([]);
  });

  it('surfaces a corrupt file as a 400 BadRequestError', async () => {
    const err = await t.client.agents.importFile({ file: await toFile(Buffer.from('{nope'), 'a.af') }).catch((e) => e);
    expect(err).toBeInstanceOf(Letta.BadRequestError);
    expect(err.status).toBe(400);
  });
});
