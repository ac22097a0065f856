// Sleep-time companion: the agent's background memory agent(s) and what they did (their runs and steps).
import { api } from '../api.js';
import { h, mount } from '../dom.js';
import { runsView } from './runs.js';

export async function sleeptimeView(body, agent) {
  const group = agent.multi_agent_group ?? agent.managed_group;
  const companions = group?.manager_type === 'sleeptime' ? (group.agent_ids ?? []).filter((id) => id !== agent.id) : [];
  if (!agent.enable_sleeptime || companions.length === 0) {
    return mount(
      body,
      h(
        'section',
        { class: 'panel' },
        h('h2', {}, 'Sleep-time companion'),
        h('p', { class: 'muted' }, 'This agent has no sleep-time companion (create it with enable_sleeptime).'),
      ),
    );
  }
  mount(body);
  for (const id of companions) {
    const companion = await api('GET', `/v1/agents/${id}`);
    const runs = h('div', {});
    body.append(
      h(
        'section',
        { class: 'panel' },
        h('h2', {}, 'Sleep-time companion'),
        h('p', {}, h('a', { href: `#/agents/${id}` }, companion.name), ` · runs every ${group.sleeptime_agent_frequency ?? 1} turn(s)`),
        runs,
      ),
    );
    await runsView(runs, companion, 'Its runs');
  }
}
