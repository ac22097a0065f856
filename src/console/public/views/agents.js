// The agents page: search and tag filter, create, import, export, delete.
import { api, request, errorOf } from '../api.js';
import { fmtDate, h, mount, say } from '../dom.js';

export async function showAgents(main) {
  const [agents, tags, models, embeddings] = await Promise.all([
    api('GET', '/v1/agents/?limit=200'),
    api('GET', '/v1/tags/?limit=200').catch(() => []),
    api('GET', '/v1/models/').catch(() => []),
    api('GET', '/v1/models/embedding').catch(() => []),
  ]);
  const list = h('ul', { class: 'cards', id: 'agent-list', 'aria-label': 'Agents' });
  const search = h('input', { type: 'search', id: 'agent-search', placeholder: 'Name contains…' });
  const tag = h(
    'select',
    { id: 'agent-tag' },
    h('option', { value: '' }, 'Any tag'),
    tags.map((t) => h('option', { value: t }, t)),
  );
  const render = () => {
    const q = search.value.trim().toLowerCase();
    const shown = agents.filter((a) => (!q || a.name.toLowerCase().includes(q)) && (!tag.value || a.tags.includes(tag.value)));
    mount(list, shown.length ? shown.map((a) => agentCard(a, () => showAgents(main))) : h('li', { class: 'muted' }, 'No agents yet.'));
  };
  search.addEventListener('input', render);
  tag.addEventListener('change', render);
  mount(
    main,
    h('h1', {}, 'Agents'),
    h(
      'div',
      { class: 'toolbar' },
      h('label', { for: 'agent-search' }, 'Search'),
      search,
      h('label', { for: 'agent-tag' }, 'Tag'),
      tag,
      importButton(() => showAgents(main)),
    ),
    list,
    createForm(models, embeddings),
  );
  render();
}

function agentCard(a, reload) {
  const del = async () => {
    if (!confirm(`Delete agent "${a.name}"? Its memory and messages go with it.`)) return;
    await api('DELETE', `/v1/agents/${a.id}`).then(
      () => say(`Deleted ${a.name}`),
      (e) => say(e.message, 'error'),
    );
    reload();
  };
  return h(
    'li',
    { class: 'card' },
    h('a', { href: `#/agents/${a.id}`, class: 'card-title' }, a.name),
    h('div', { class: 'muted small' }, a.model ?? a.llm_config?.handle ?? '', ' · ', fmtDate(a.created_at)),
    a.description ? h('p', { class: 'small' }, a.description) : null,
    h(
      'div',
      { class: 'tags' },
      a.tags.map((t) => h('span', { class: 'tag' }, t)),
    ),
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'button', onclick: () => exportAgent(a) }, 'Export'),
      h('button', { type: 'button', class: 'danger', onclick: del, 'aria-label': `Delete ${a.name}` }, 'Delete'),
    ),
  );
}

async function exportAgent(a) {
  const res = await request('GET', `/v1/agents/${a.id}/export`);
  if (!res.ok) return say((await errorOf(res)).message, 'error');
  const url = URL.createObjectURL(await res.blob());
  const link = h('a', { href: url, download: `${a.name.replace(/[^\w.-]+/g, '_')}.af` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function importButton(reload) {
  const input = h('input', {
    type: 'file',
    id: 'import-file',
    accept: '.af,.json,application/json',
    hidden: true,
    'aria-label': 'Agent file to import',
  });
  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    if (!file) return;
    const form = new FormData();
    form.append('file', file);
    const res = await request('POST', '/v1/agents/import', { form });
    if (!res.ok) return say((await errorOf(res)).message, 'error');
    const out = await res.json();
    say(`Imported ${out.agent_ids?.length ?? 0} agent(s)`);
    reload();
  });
  // A real button opens the hidden file input, so the control is reachable and visible by keyboard.
  return h('span', {}, h('button', { type: 'button', onclick: () => input.click() }, 'Import agent file…'), input);
}

const field = (id, label, control, hint) =>
  h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('div', { class: 'muted small' }, hint) : null);

function createForm(models, embeddings) {
  const blocks = h('div', { id: 'new-blocks' });
  const addBlock = (label = '', value = '') =>
    blocks.append(
      h(
        'fieldset',
        { class: 'block-row' },
        h('legend', {}, 'Memory block'),
        h('label', {}, 'Label ', h('input', { name: 'block-label', value: label, required: true, maxlength: 100 })),
        h('label', {}, 'Value ', h('textarea', { name: 'block-value', rows: 2, value })),
        h('label', {}, 'Limit ', h('input', { name: 'block-limit', type: 'number', min: 1, value: 5000 })),
      ),
    );
  addBlock('persona', 'I am a helpful assistant.');
  addBlock('human', '');
  const form = h(
    'form',
    { id: 'create-agent', class: 'panel' },
    h('h2', {}, 'Create an agent'),
    field('new-name', 'Name', h('input', { id: 'new-name', name: 'name', required: true, maxlength: 200 })),
    field(
      'new-model',
      'Model',
      h(
        'select',
        { id: 'new-model', name: 'model' },
        models.map((m) => h('option', { value: m.handle }, m.handle)),
      ),
    ),
    field(
      'new-embedding',
      'Embedding',
      h(
        'select',
        { id: 'new-embedding', name: 'embedding' },
        embeddings.map((m) => h('option', { value: m.handle }, m.handle)),
        h('option', { value: '' }, 'none (no archival search)'),
      ),
    ),
    field('new-tags', 'Tags', h('input', { id: 'new-tags', name: 'tags', placeholder: 'comma, separated' })),
    field(
      'new-tools',
      'Extra tools',
      h('input', { id: 'new-tools', name: 'tools', placeholder: 'tool names, comma separated' }),
      'The memory and search tools come with every agent.',
    ),
    blocks,
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'button', onclick: () => addBlock() }, 'Add block'),
      h('button', { type: 'submit', class: 'primary' }, 'Create agent'),
    ),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const fd = new FormData(form);
    const list = (k) =>
      String(fd.get(k) ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    const labels = fd.getAll('block-label');
    const values = fd.getAll('block-value');
    const limits = fd.getAll('block-limit');
    const body = {
      name: fd.get('name'),
      model: fd.get('model') || undefined,
      embedding: fd.get('embedding') || undefined,
      tags: list('tags'),
      tools: list('tools'),
      memory_blocks: labels.map((label, i) => ({ label, value: String(values[i] ?? ''), limit: Number(limits[i]) || undefined })),
    };
    try {
      const agent = await api('POST', '/v1/agents/', body);
      say(`Created ${agent.name}`);
      location.hash = `#/agents/${agent.id}`;
    } catch (err) {
      say(err.message, 'error');
    }
  });
  return form;
}
