// One agent: a header, tabs, and the tab's view. The chat tab keeps memory and the context bar beside the transcript.
import { api } from '../api.js';
import { h, mount } from '../dom.js';
import { archivalView, recallView } from './archival.js';
import { chatView } from './chat.js';
import { contextBar } from './context.js';
import { memoryView } from './memory.js';
import { runsView } from './runs.js';
import { sleeptimeView } from './sleeptime.js';
import { agentToolsView } from './tools.js';

const TABS = [
  ['chat', 'Chat & memory'],
  ['archival', 'Archival'],
  ['recall', 'Recall'],
  ['runs', 'Runs & steps'],
  ['tools', 'Tools & files'],
  ['sleeptime', 'Sleep-time'],
];
/** How often the memory and context panes re-read the agent while the page is visible (catches edits from elsewhere). */
const POLL_MS = 3000;

export async function showAgent(main, id, tab) {
  const agent = await api('GET', `/v1/agents/${id}`);
  const body = h('div', { id: 'tab-body' });
  mount(
    main,
    h(
      'div',
      { class: 'agent-head' },
      h('h1', {}, agent.name),
      h('span', { class: 'muted small' }, agent.model ?? agent.llm_config?.handle, ' · ', h('code', {}, agent.id)),
    ),
    h(
      'nav',
      { class: 'tabs', 'aria-label': 'Agent sections' },
      TABS.map(([key, label]) => h('a', { href: `#/agents/${id}/${key}`, 'aria-current': key === tab ? 'page' : null }, label)),
    ),
    body,
  );
  if (tab === 'archival') return void (await archivalView(body, agent));
  if (tab === 'recall') return void recallView(body, agent);
  if (tab === 'runs') return void (await runsView(body, agent));
  if (tab === 'tools') return void (await agentToolsView(body, agent));
  if (tab === 'sleeptime') return void (await sleeptimeView(body, agent));
  return chatTab(body, agent);
}

async function chatTab(body, agent) {
  const memory = memoryView(agent);
  const context = contextBar(agent);
  const refresh = () => Promise.all([memory.refresh(), context.refresh()]).catch(() => {});
  const chat = await chatView(agent, { onActivity: refresh });
  mount(
    body,
    h('div', { class: 'split' }, chat.el, h('aside', { class: 'side', 'aria-label': 'Memory and context' }, context.el, memory.el)),
  );
  await refresh();
  const timer = setInterval(() => document.visibilityState === 'visible' && refresh(), POLL_MS);
  return () => {
    clearInterval(timer);
    chat.leave();
  };
}
