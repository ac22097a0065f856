// Archival memory (search, insert, delete) and recall search over the agent's messages.
import { api } from '../api.js';
import { fmtDate, h, mount, reported, say } from '../dom.js';

export async function archivalView(body, agent) {
  const results = h('ul', { class: 'cards', id: 'passages', 'aria-label': 'Passages' });
  const query = h('input', { type: 'search', id: 'archival-query', placeholder: 'Search archival memory' });
  const text = h('textarea', { id: 'archival-text', rows: 3, required: true });
  const tags = h('input', { id: 'archival-tags', placeholder: 'comma, separated' });

  const show = (items) => mount(results, items.length ? items.map((p) => passage(p)) : h('li', { class: 'muted' }, 'Nothing found.'));
  const passage = (p) =>
    h(
      'li',
      { class: 'card' },
      h('p', {}, p.text ?? p.content),
      h(
        'div',
        { class: 'muted small' },
        fmtDate(p.created_at ?? p.timestamp),
        ' ',
        (p.tags ?? []).map((t) => h('span', { class: 'tag' }, t)),
      ),
      h('button', { type: 'button', class: 'danger', onclick: () => remove(p.id) }, 'Delete'),
    );
  const list = async () => show(await api('GET', `/v1/agents/${agent.id}/archival-memory?limit=50`));
  async function remove(id) {
    await api('DELETE', `/v1/agents/${agent.id}/archival-memory/${id}`).then(
      () => say('Passage deleted'),
      (e) => say(e.message, 'error'),
    );
    await list();
  }
  const searchForm = h(
    'form',
    { class: 'toolbar', role: 'search' },
    h('label', { for: 'archival-query' }, 'Search'),
    query,
    h('button', { type: 'submit' }, 'Search'),
  );
  searchForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!query.value.trim()) return list();
    const out = await api('GET', `/v1/agents/${agent.id}/archival-memory/search?query=${encodeURIComponent(query.value)}&top_k=20`).catch(
      reported({ results: [] }),
    );
    show(out.results);
  });
  const insertForm = h(
    'form',
    { class: 'panel' },
    h('h3', {}, 'Insert a passage'),
    h('label', { for: 'archival-text' }, 'Text'),
    text,
    h('label', { for: 'archival-tags' }, 'Tags'),
    tags,
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, 'Insert')),
  );
  insertForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const tagList = tags.value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const body = { text: text.value, ...(tagList.length ? { tags: tagList } : {}) };
    const made = await api('POST', `/v1/agents/${agent.id}/archival-memory`, body).then(() => true, reported(false));
    if (made) {
      say('Passage inserted');
      text.value = '';
    }
    await list();
  });
  mount(
    body,
    h('section', { class: 'panel', 'aria-label': 'Archival memory' }, h('h2', {}, 'Archival memory'), searchForm, results),
    insertForm,
  );
  await list();
}

export function recallView(body, agent) {
  const query = h('input', { type: 'search', id: 'recall-query', placeholder: 'Words said earlier', required: true });
  const results = h('ul', { class: 'cards', id: 'recall-results', 'aria-label': 'Messages found' });
  const form = h(
    'form',
    { class: 'toolbar', role: 'search' },
    h('label', { for: 'recall-query' }, 'Search messages'),
    query,
    h('button', { type: 'submit' }, 'Search'),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const items = await api('POST', '/v1/messages/search', { query: query.value, agent_id: agent.id, limit: 50 }).catch(reported([]));
    mount(
      results,
      items.length
        ? items.map((m) =>
            h(
              'li',
              { class: 'card' },
              h('div', { class: 'muted small' }, m.message_type, ' · ', fmtDate(m.created_at)),
              h('p', {}, m.content),
            ),
          )
        : h('li', { class: 'muted' }, 'Nothing found.'),
    );
  });
  mount(body, h('section', { class: 'panel', 'aria-label': 'Recall memory' }, h('h2', {}, 'Recall memory'), form, results));
}
