// The web console in a real browser against a listening server and the scripted LLM: create an agent, chat with token
// streaming, watch an agent's memory edit and the context bar change without reloading, approve a gated tool call,
// and open a run's step.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentHarness, type AgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';
import { launchBrowser, openPage } from './support/browser.js';

let t: AgentHarness;
let browser: Browser;
let page: Page;
let problems: string[];

beforeAll(async () => {
  t = await startAgentHarness({ listen: true });
  browser = await launchBrowser();
  ({ page, problems } = await openPage(browser));
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const agentIdFromUrl = () => new URL(page.url()).hash.split('/')[2]!;

describe('web console', () => {
  let agentId: string;

  it('creates an agent from the agents page', async () => {
    await page.goto(`${t.url}/`);
    await page.getByRole('heading', { name: 'Agents' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Plum keeper');
    await page.getByLabel('Model').selectOption('openai/gpt-4o-mini');
    await page.getByLabel('Embedding').selectOption('openai/text-embedding-3-small');
    await page.getByLabel('Tags').fill('fruit, demo');
    await page.getByRole('button', { name: 'Create agent' }).click();
    await page.locator('#transcript').waitFor();
    agentId = agentIdFromUrl();
    const agent = (await call(t.app, 'GET', `/v1/agents/${agentId}`)).body;
    expect(agent.name).toBe('Plum keeper');
    expect([...agent.tags].sort()).toEqual(['demo', 'fruit']);
    expect(agent.memory.blocks.map((b: any) => b.label).sort()).toEqual(['human', 'persona']);
  });

  it("streams a reply, and shows the agent's memory edit and the context growth without a reload", async () => {
    await page.locator('#context-bar[data-current]').waitFor();
    const before = Number(await page.locator('#context-bar').getAttribute('data-current'));
    t.llm.enqueue(
      {
        reasoning: 'The person told me a preference.',
        toolCalls: [{ name: 'memory_insert', arguments: { label: 'human', new_string: 'Likes plums' } }],
      },
      { text: 'Noted: you like plums.', streamDelayMs: 30 },
    );
    await page.getByLabel('Message', { exact: true }).fill('I like plums');
    await page.keyboard.press('Enter');
    const reply = page.locator('.assistant_message .bubble').last();
    await expect.poll(() => reply.textContent(), { timeout: 10_000 }).toBe('Noted: you like plums.');
    await expect.poll(() => page.locator('.reasoning').first().textContent()).toContain('The person told me a preference.');
    await expect.poll(() => page.locator('.tool_call_message code').first().textContent()).toBe('memory_insert');
    await expect.poll(() => page.locator('.stop_reason').last().textContent()).toContain('end_turn');
    await expect
      .poll(() => page.locator('pre.block-value[data-label="human"]').textContent(), { timeout: 10_000 })
      .toContain('Likes plums');
    await expect
      .poll(async () => Number(await page.locator('#context-bar').getAttribute('data-current')), { timeout: 10_000 })
      .toBeGreaterThan(before);
    // Token streaming: the scripted model sent the reply in several chunks, the transcript showed it growing.
    const streamed = t.llm.requests.at(-1)!.body;
    expect(streamed.stream).toBe(true);
  });

  it("shows a block edited elsewhere and saves a person's in-place edit", async () => {
    await call(t.app, 'PATCH', `/v1/agents/${agentId}/core-memory/blocks/persona`, { value: 'I keep track of fruit.' });
    await expect
      .poll(() => page.locator('pre.block-value[data-label="persona"]').textContent(), { timeout: 10_000 })
      .toBe('I keep track of fruit.');
    await page.getByRole('button', { name: 'Edit persona' }).click();
    await page.getByLabel('New value of persona').fill('I keep track of fruit and vegetables.');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(async () => (await call(t.app, 'GET', `/v1/agents/${agentId}/core-memory/blocks/persona`)).body.value)
      .toBe('I keep track of fruit and vegetables.');
    // The server may store the edit before the page has drawn its answer: wait for the page, not just the server.
    await expect.poll(() => page.locator('article.block[data-label="persona"] span.small').textContent()).toBe('37 / 5,000 chars');
  });

  it('gates a tool from the tools tab and approves the call from the chat', async () => {
    await page.getByRole('link', { name: 'Tools & files' }).click();
    await page.getByRole('checkbox', { name: 'Needs a person’s approval' }).first().waitFor();
    const gate = page.locator('#gate-conversation_search');
    await gate.check();
    await expect
      .poll(async () =>
        (await call(t.app, 'GET', `/v1/agents/${agentId}`)).body.tool_rules.some(
          (r: any) => r.type === 'requires_approval' && r.tool_name === 'conversation_search',
        ),
      )
      .toBe(true);

    await page.getByRole('link', { name: 'Chat & memory' }).click();
    t.llm.enqueue(
      { toolCalls: [{ id: 'call-ok', name: 'conversation_search', arguments: { query: 'plums' } }] },
      { text: 'I found our talk about plums.' },
    );
    await page.getByLabel('Message', { exact: true }).fill('What did I say about plums?');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('button', { name: 'Approve' }).click();
    await expect
      .poll(() => page.locator('.assistant_message .bubble').last().textContent(), { timeout: 10_000 })
      .toBe('I found our talk about plums.');
    await expect.poll(() => page.locator('.tool_return_message .badge').last().textContent()).toBe('success');
    const history = (await call(t.app, 'GET', `/v1/agents/${agentId}/messages?order=asc`)).body;
    expect(history.find((m: any) => m.message_type === 'tool_return_message' && m.tool_call_id === 'call-ok')).toMatchObject({
      status: 'success',
    });
  });

  it('denies a gated call with a reason', async () => {
    t.llm.enqueue(
      { toolCalls: [{ id: 'call-no', name: 'conversation_search', arguments: { query: 'secrets' } }] },
      { text: 'Understood, I will not search.' },
    );
    await page.getByLabel('Message', { exact: true }).fill('Look for secrets');
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByLabel('Reason for denying conversation_search').fill('not today');
    await page.getByRole('button', { name: 'Deny' }).click();
    await expect
      .poll(() => page.locator('.assistant_message .bubble').last().textContent(), { timeout: 10_000 })
      .toBe('Understood, I will not search.');
    const history = (await call(t.app, 'GET', `/v1/agents/${agentId}/messages?order=asc`)).body;
    expect(history.find((m: any) => m.message_type === 'tool_return_message' && m.tool_call_id === 'call-no')).toMatchObject({
      status: 'error',
    });
  });

  it('offers an approval left pending by another client after a reload', async () => {
    t.llm.enqueue(
      { toolCalls: [{ id: 'call-later', name: 'conversation_search', arguments: { query: 'pears' } }] },
      { text: 'No pears so far.' },
    );
    const asked = await t.send(agentId, { messages: [{ role: 'user', content: 'Any pears?' }] });
    expect(asked.body.stop_reason.stop_reason).toBe('requires_approval');
    await page.reload();
    await page.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => page.locator('.assistant_message .bubble').last().textContent(), { timeout: 10_000 }).toBe('No pears so far.');
  });

  it('shows an error from the model in the transcript', async () => {
    t.llm.enqueue({ error: { status: 400, message: 'scripted refusal' } });
    await page.getByLabel('Message', { exact: true }).fill('Break please');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.locator('.error_message').last().textContent(), { timeout: 10_000 }).toMatch(/Error/);
  });

  it('stops a turn the model is slow to answer', async () => {
    t.llm.enqueue({ hang: true });
    await page.getByLabel('Message', { exact: true }).fill('Take your time');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Stop' }).isEnabled()).toBe(true);
    await expect.poll(() => t.llm.requests.length).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => page.locator('.stop_reason').last().textContent()).toBe('Stopped by you');
    await expect
      .poll(async () => (await call(t.app, 'GET', `/v1/runs/?agent_id=${agentId}&limit=1`)).body[0].status, { timeout: 10_000 })
      .toBe('cancelled');
    expect(await page.getByRole('button', { name: 'Send' }).isEnabled()).toBe(true);
  });

  it('fits a phone-width screen: no sideways scrolling, memory below the chat', async () => {
    const phone = await openPage(browser, { width: 390, height: 844 });
    await phone.page.goto(`${t.url}/#/agents/${agentId}`);
    await phone.page.locator('pre.block-value[data-label="human"]').waitFor();
    expect(await phone.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    const chat = await phone.page.locator('#transcript').boundingBox();
    const memory = await phone.page.locator('#blocks').boundingBox();
    expect(memory!.y).toBeGreaterThan(chat!.y + chat!.height);
    expect(phone.problems).toEqual([]);
    await phone.page.context().close();
  });

  it('opens a run and a step with its model call, tokens, duration and tool call', async () => {
    await page.getByRole('link', { name: 'Runs & steps' }).click();
    const runs = page.locator('#runs details.run');
    await expect.poll(() => runs.count()).toBeGreaterThanOrEqual(5);
    // The first run (oldest, last in the list) is the memory edit.
    await runs.last().locator('summary').first().click();
    const step = runs.last().locator('details.step').first();
    await step.locator('summary').click();
    await expect.poll(() => step.locator('.facts').textContent()).toMatch(/Duration[\d.]+ (ms|s)Model call[\d.]+ (ms|s)/);
    expect(await step.locator('summary').textContent()).toContain('openai/gpt-4o-mini');
    expect(await step.locator('.step-messages').textContent()).toContain('memory_insert');
  });

  it('searches and inserts archival memory, and searches recall', async () => {
    await page.getByRole('link', { name: 'Archival' }).click();
    await page.getByLabel('Text').fill('Plums ripen in late summer.');
    await page.getByRole('button', { name: 'Insert' }).click();
    await expect.poll(() => page.locator('#passages').textContent()).toContain('Plums ripen in late summer.');
    await page.getByLabel('Search', { exact: true }).fill('plums summer');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => page.locator('#passages .card').count()).toBe(1);
    await page.locator('#passages').getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.locator('#passages').textContent()).toContain('Nothing found.');

    await page.getByRole('link', { name: 'Recall' }).click();
    await page.getByLabel('Search messages').fill('plums');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.locator('#recall-results').textContent()).toContain('I like plums');
  });

  it("shows a sleep-time companion's memory edit live and its runs", async () => {
    const primary = await t.createAgent({
      name: 'Dreamer',
      enable_sleeptime: true,
      memory_blocks: [{ label: 'human', value: 'Name: unknown' }],
    });
    const companionId = primary.managed_group.agent_ids[0];
    const isCompanion = (r: any) => String(r.body.messages[0].content).includes('background memory agent');
    t.llm.setHandler((r) => {
      if (!isCompanion(r)) return { text: 'Hello Ada.' };
      if (r.body.messages.at(-1).role === 'tool') return { toolCalls: [{ name: 'memory_finish_edits', arguments: {} }] };
      return { toolCalls: [{ name: 'memory_rethink', arguments: { label: 'human', new_memory: 'Name: Ada (from the companion)' } }] };
    });
    await page.goto(`${t.url}/#/agents/${primary.id}`);
    await page.getByLabel('Message', { exact: true }).fill('I am Ada');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('pre.block-value[data-label="human"]').textContent(), { timeout: 15_000 })
      .toBe('Name: Ada (from the companion)');
    await page.getByRole('link', { name: 'Sleep-time' }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Dreamer-sleeptime' }).getAttribute('href')).toBe(`#/agents/${companionId}`);
    await page.locator('#runs details.run summary').first().click();
    await expect.poll(() => page.locator('#runs details.step summary').first().textContent()).toContain('openai/gpt-4o-mini');
    t.llm.setHandler(undefined);
    await call(t.app, 'DELETE', `/v1/agents/${primary.id}`);
  });

  it('exports an agent file and imports it back', async () => {
    await page.goto(`${t.url}/#/`);
    const card = page.locator('#agent-list .card', { hasText: 'Plum keeper' });
    const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: 'Export' }).click()]);
    expect(download.suggestedFilename()).toBe('Plum_keeper.af');
    const file = await download.path();
    await page.locator('#import-file').setInputFiles(file);
    await expect.poll(() => page.locator('#agent-list .card-title', { hasText: 'Plum keeper' }).count()).toBe(2);
    // A clashing name gets a suffix on import.
    const imported = (await call(t.app, 'GET', '/v1/agents/')).body.find((a: any) => a.name === 'Plum keeper_copy');
    expect((await call(t.app, 'GET', `/v1/agents/${imported.id}/core-memory/blocks/human`)).body.value).toContain('Likes plums');
    await call(t.app, 'DELETE', `/v1/agents/${imported.id}`);
  });

  it('lists tools and MCP servers, and hides folders on a server without them', async () => {
    await page.getByRole('link', { name: 'Tools', exact: true }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Tools' }).textContent()).toContain('conversation_search');
    await page.getByRole('link', { name: 'MCP servers' }).click();
    await page.getByText('No MCP servers registered.').waitFor();
    const folders = await call(t.app, 'GET', '/v1/folders/');
    expect(await page.locator('#nav-folders').isHidden()).toBe(folders.status === 404);
  });

  it('filters agents by search and tag, and deletes one', async () => {
    await t.createAgent({ name: 'Other agent', tags: ['misc'] });
    await page.goto(`${t.url}/#/`);
    await page.getByLabel('Search').fill('plum');
    await expect.poll(() => page.locator('#agent-list .card-title').allTextContents()).toEqual(['Plum keeper']);
    await page.getByLabel('Search').fill('');
    await page.getByLabel('Tag', { exact: true }).selectOption('misc');
    await expect.poll(() => page.locator('#agent-list .card-title').allTextContents()).toEqual(['Other agent']);
    page.once('dialog', (d) => d.accept());
    await page.getByRole('button', { name: 'Delete Other agent' }).click();
    await expect.poll(async () => (await call(t.app, 'GET', '/v1/agents/')).body.map((a: any) => a.name)).toEqual(['Plum keeper']);
  });

  it('raised no script errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
