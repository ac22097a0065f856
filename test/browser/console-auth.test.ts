// The console on a key-protected server: the page loads without a key, the first API call's 401 opens the key
// prompt, a refused key asks again, and the accepted key lives in this tab's sessionStorage only.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgentHarness, type AgentHarness } from '../support/agent-harness.js';
import { call } from '../support/http.js';
import { launchBrowser, openPage } from './support/browser.js';

const KEY = 'console-test-admin-key-0123456789';
let t: AgentHarness;
let browser: Browser;
let page: Page;
let problems: string[];

beforeAll(async () => {
  t = await startAgentHarness({ listen: true, env: { MNEMO_API_KEY: KEY } });
  browser = await launchBrowser();
  ({ page, problems } = await openPage(browser));
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('web console with an API key', () => {
  it('asks for the key, refuses a wrong one, and keeps the right one for the tab only', async () => {
    const made = await call(
      t.app,
      'POST',
      '/v1/agents/',
      { name: 'Guarded agent', model: 'openai/gpt-4o-mini' },
      { authorization: `Bearer ${KEY}` },
    );
    expect(made.status).toBe(200);
    // The page and its files need no key; the API does.
    expect((await fetch(`${t.url}/`)).status).toBe(200);
    expect((await fetch(`${t.url}/v1/agents/`)).status).toBe(401);
    await page.goto(`${t.url}/`);
    const dialog = page.getByRole('dialog', { name: 'API key' });
    await dialog.waitFor();
    await page.getByLabel('Key', { exact: true }).fill('wrong-key');
    await page.getByRole('button', { name: 'Use key' }).click();
    await expect.poll(() => page.locator('#key-error').textContent()).toContain('That key was refused');
    await page.getByLabel('Key', { exact: true }).fill(KEY);
    await page.getByRole('button', { name: 'Use key' }).click();
    await expect.poll(() => page.locator('#agent-list .card-title').allTextContents()).toEqual(['Guarded agent']);
    expect(await dialog.isVisible()).toBe(false);
    expect(await page.evaluate("({ session: sessionStorage.getItem('mnemo.apiKey'), local: localStorage.length })")).toEqual({
      session: KEY,
      local: 0,
    });

    // A reload in the same tab keeps the key; a new tab (page) of a fresh context has none.
    await page.reload();
    await expect.poll(() => page.locator('#agent-list .card-title').allTextContents()).toEqual(['Guarded agent']);
    expect(await dialog.isVisible()).toBe(false);
    const other = await openPage(browser);
    await other.page.goto(`${t.url}/`);
    await other.page.getByRole('dialog', { name: 'API key' }).waitFor();
    await other.page.context().close();
  });

  it('forgets the key on request and asks again', async () => {
    await page.getByRole('button', { name: 'Forget key' }).click();
    expect(await page.evaluate("sessionStorage.getItem('mnemo.apiKey')")).toBeNull();
    await page.getByRole('link', { name: 'Tools' }).click();
    await page.getByRole('dialog', { name: 'API key' }).waitFor();
    await page.getByLabel('Key', { exact: true }).fill(KEY);
    await page.getByRole('button', { name: 'Use key' }).click();
    await page.getByRole('heading', { name: 'Tools' }).waitFor();
  });

  it('raised no script errors or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
