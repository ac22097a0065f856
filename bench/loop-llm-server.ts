// The loop benchmark's model: the scripted LLM in its own process (as a real model server would be), so its request
// parsing and reply building do not run on the event loop being measured. Prints its base URL, then serves until
// stdin closes. Plain text for ordinary messages; for a message starting with argv[2] a memory_rethink call first,
// then text (a 2-step turn).
import { startScriptedLlm } from '../test/support/scripted-llm.js';

const TOOL_TEXT = process.argv[2] ?? 'please note';

const llm = await startScriptedLlm();
llm.setHandler((r) => {
  llm.requests.length = 0; // the bench never reads them; do not keep every request body
  const msgs = r.body.messages as { role: string; content?: unknown }[];
  const last = msgs.at(-1)!;
  if (last.role === 'tool') return { text: 'noted', usage: { promptTokens: 100, completionTokens: 2 } };
  if (String(last.content).startsWith(TOOL_TEXT)) {
    return { toolCalls: [{ name: 'memory_rethink', arguments: { label: 'scratch', new_memory: `note ${String(last.content).slice(-4)}` } }], usage: { promptTokens: 100, completionTokens: 10 } };
  }
  return { text: 'ok', usage: { promptTokens: 100, completionTokens: 1 } };
});
process.stdout.write(`${JSON.stringify({ openaiBaseUrl: llm.openaiBaseUrl })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void llm.close().then(() => process.exit(0)));
