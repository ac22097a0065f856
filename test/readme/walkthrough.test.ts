// The README's walkthrough and SDK example, run as a newcomer would paste them: the bash block through bash (curl and
// jq), the ES module through node, both against a real listening server whose provider is the scripted LLM.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RecordedRequest, type ScriptedLlm, type ScriptedStep, startScriptedLlm } from '../support/scripted-llm.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** The first fenced block of `lang` after the heading `heading` in README.md. */
function readmeBlock(heading: string, lang: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf(`\n${heading}\n`);
  if (at < 0) throw new Error(`README.md has no heading "${heading}"`);
  const open = readme.indexOf(`\n\`\`\`${lang}\n`, at);
  const close = readme.indexOf('\n```\n', open + 1);
  if (open < 0 || close < 0) throw new Error(`no \`\`\`${lang} block after "${heading}"`);
  return readme.slice(open + lang.length + 5, close + 1);
}

/** The model the walkthrough expects: a memory edit, an archival insert, an archival search, each then a reply. */
function walkthroughModel(req: RecordedRequest): ScriptedStep | undefined {
  const messages: { role: string; content?: unknown }[] = req.body?.messages ?? [];
  const last = messages.at(-1);
  if (last?.role === 'tool') {
    const said = JSON.stringify(messages.filter((m) => m.role === 'user').at(-1)?.content ?? '');
    if (said.includes('I am Ada')) return { text: 'Nice to meet you, Ada.' };
    if (said.includes('passport')) return { text: 'Noted.' };
    return { text: 'You prefer window seats.' };
  }
  const text = JSON.stringify(last?.content ?? '');
  if (text.includes('I am Ada'))
    return {
      toolCalls: [
        {
          name: 'memory_replace',
          arguments: { label: 'human', old_string: 'Nothing known yet.', new_string: 'Name: Ada. Prefers short answers.' },
        },
      ],
    };
  if (text.includes('passport'))
    return { toolCalls: [{ name: 'archival_memory_insert', arguments: { content: "Ada's passport number ends in 4711." } }] };
  if (text.includes('travel preferences')) return { toolCalls: [{ name: 'archival_memory_search', arguments: { query: 'window seats' } }] };
  return undefined;
}

describe('README walkthrough', () => {
  let llm: ScriptedLlm;
  let server: TestApp;
  let scratch: string;

  beforeAll(async () => {
    for (const tool of ['bash', 'curl', 'jq']) {
      await run(tool, ['--version']).catch(() => {
        throw new Error(`the README walkthrough needs ${tool} on PATH (Debian: apt-get install ${tool})`);
      });
    }
    llm = await startScriptedLlm();
    llm.setHandler(walkthroughModel);
    server = await createTestApp({ OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: llm.openaiBaseUrl }, { listen: true });
    // Inside the repository so that `@letta-ai/letta-client` resolves as it would in the reader's project.
    scratch = mkdtempSync(join(ROOT, 'test/readme/.scratch-'));
  });
  afterAll(async () => {
    rmSync(scratch, { recursive: true, force: true });
    await server?.close();
    await llm?.close();
  });

  it('the curl + jq block runs as written and shows memory edits and archival memory', async () => {
    const script = join(scratch, 'walkthrough.sh');
    writeFileSync(script, readmeBlock('### A walkthrough with curl and jq', 'bash'));
    const { stdout } = await run('bash', ['-eo', 'pipefail', script], {
      env: { PATH: process.env.PATH, MNEMO: server.url },
      timeout: 60_000,
    });
    expect(stdout).toMatch(/^agent: agent-[0-9a-f-]{36}$/m);
    expect(stdout).toMatch(/^tools: .*archival_memory_insert.*memory_replace/m);
    expect(stdout).toContain('  [tool] memory_replace');
    expect(stdout).toContain('human block: Name: Ada. Prefers short answers.');
    expect(stdout).toContain("archival: Ada's passport number ends in 4711.");
    expect(stdout).toMatch(/^added: passage-/m);
    expect(stdout).toContain('  [tool] archival_memory_search');
    expect(stdout).toContain('  agent: You prefer window seats.');
    expect(stdout).toMatch(/^stream events: [1-9]\d*$/m);
    expect(stdout).toMatch(/^deleted agent-/m);
    // The archival search the agent ran found the passage the walkthrough added by hand.
    const searchReturn = llm.requests
      .flatMap((r) => r.body?.messages ?? [])
      .find((m: any) => m.role === 'tool' && /window seats/.test(m.content));
    expect(searchReturn).toBeDefined();
  });

  it('the SDK example runs as an ES module with node', async () => {
    const file = join(scratch, 'example.mjs');
    writeFileSync(file, readmeBlock('### The Letta SDK', 'js'));
    const { stdout } = await run(process.execPath, [file], { env: { PATH: process.env.PATH, MNEMO: server.url }, timeout: 60_000 });
    expect(stdout).toMatch(/^agent agent-/m);
    expect(stdout).toMatch(/^agent: /m);
    expect(stdout).toMatch(/^event: assistant_message$/m);
    expect(stdout).toMatch(/^listed agent-/m);
  });
});
