// The context window bar: what the next model request holds (GET /v1/agents/{id}/context) against the model's window.
import { api } from '../api.js';
import { fmtNumber, h, mount } from '../dom.js';

const PARTS = [
  ['num_tokens_system', 'System', 'c-system'],
  ['num_tokens_core_memory', 'Core memory', 'c-core'],
  ['num_tokens_external_memory_summary', 'Memory metadata', 'c-meta'],
  ['num_tokens_summary_memory', 'Summary', 'c-summary'],
  ['num_tokens_messages', 'Messages', 'c-messages'],
  ['num_tokens_functions_definitions', 'Tool schemas', 'c-tools'],
  ['num_tokens_tool_usage_rules', 'Tool rules', 'c-rules'],
  ['num_tokens_memory_filesystem', 'Files', 'c-files'],
  ['num_tokens_directories', 'Directories', 'c-dirs'],
];

export function contextBar(agent) {
  const el = h(
    'section',
    { class: 'panel', id: 'context', 'aria-labelledby': 'context-title' },
    h('h2', { id: 'context-title' }, 'Context window'),
  );
  const bar = h('div', { class: 'ctx-bar', id: 'context-bar' });
  const legend = h('ul', { class: 'ctx-legend' });
  const total = h('p', { id: 'context-total', class: 'small' });
  el.append(total, bar, legend);
  let last = '';
  async function refresh() {
    const c = await api('GET', `/v1/agents/${agent.id}/context`);
    const key = JSON.stringify(PARTS.map(([k]) => c[k]));
    if (key === last) return;
    last = key;
    const max = c.context_window_size_max || 1;
    const pct = (n) => Math.min(100, (100 * n) / max);
    total.textContent = `${fmtNumber(c.context_window_size_current)} of ${fmtNumber(c.context_window_size_max)} tokens (${pct(c.context_window_size_current).toFixed(1)}%)`;
    bar.dataset.current = String(c.context_window_size_current);
    bar.setAttribute('role', 'img');
    bar.setAttribute('aria-label', `Context window ${total.textContent}`);
    const shown = PARTS.filter(([k]) => c[k] > 0);
    // Each part at least 0.5% wide, so a small part is still visible beside a 128k window.
    mount(
      bar,
      shown.map(([k, label, cls]) =>
        h('span', { class: `ctx-part ${cls}`, title: `${label}: ${fmtNumber(c[k])}`, 'data-width': Math.max(0.5, pct(c[k])) }),
      ),
    );
    for (const part of bar.children) part.style.width = `${part.dataset.width}%`;
    mount(
      legend,
      shown.map(([k, label, cls]) =>
        h('li', {}, h('span', { class: `swatch ${cls}`, 'aria-hidden': 'true' }), `${label} `, h('strong', {}, fmtNumber(c[k]))),
      ),
    );
  }
  return { el, refresh };
}
