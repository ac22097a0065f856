// Tools, MCP servers and folders: the server-wide lists, and the agent's own tools (with approval gates) and folders.
import { api, optional } from '../api.js';
import { h, mount, reported, say } from '../dom.js';

const toolRow = (t, extra) =>
  h(
    'li',
    { class: 'card' },
    h('div', { class: 'row' }, h('code', { class: 'card-title' }, t.name), h('span', { class: 'tag' }, t.tool_type ?? '')),
    t.description ? h('p', { class: 'small' }, t.description.split('\n')[0]) : null,
    extra ?? null,
  );

export async function showTools(main) {
  const tools = await api('GET', '/v1/tools/?limit=200');
  mount(
    main,
    h('h1', {}, 'Tools'),
    h(
      'ul',
      { class: 'cards', 'aria-label': 'Tools' },
      tools.map((t) => toolRow(t)),
    ),
  );
}

export async function showMcpServers(main) {
  const servers = await api('GET', '/v1/mcp-servers/');
  const item = (s) => {
    const tools = h('ul', { class: 'small' });
    const details = h('details', {}, h('summary', {}, 'Tools'), tools);
    details.addEventListener('toggle', async () => {
      if (!details.open || tools.childElementCount) return;
      const list = await api('GET', `/v1/mcp-servers/${s.id}/tools`).catch(reported([]));
      mount(
        tools,
        list.map((t) => h('li', {}, h('code', {}, t.name), ' ', t.description ?? '')),
      );
    });
    return h(
      'li',
      { class: 'card' },
      h('div', { class: 'card-title' }, s.server_name),
      h('div', { class: 'muted small' }, s.mcp_server_type ?? s.server_type ?? '', ' ', s.server_url ?? s.command ?? ''),
      details,
    );
  };
  mount(
    main,
    h('h1', {}, 'MCP servers'),
    servers.length
      ? h('ul', { class: 'cards', 'aria-label': 'MCP servers' }, servers.map(item))
      : h('p', { class: 'muted' }, 'No MCP servers registered.'),
  );
}

export async function showFolders(main) {
  const folders = await optional('/v1/folders/?limit=100');
  if (folders === undefined) return mount(main, h('h1', {}, 'Folders'), h('p', { class: 'muted' }, 'This server has no folders API.'));
  const item = (f) => {
    const files = h('ul', { class: 'small' });
    const details = h('details', {}, h('summary', {}, 'Files'), files);
    details.addEventListener('toggle', async () => {
      if (!details.open || files.childElementCount) return;
      const list = (await optional(`/v1/folders/${f.id}/files?limit=100`).catch(() => [])) ?? [];
      mount(
        files,
        list.length
          ? list.map((x) =>
              h('li', {}, x.file_name ?? x.original_file_name ?? x.id, x.processing_status ? ` (${x.processing_status})` : ''),
            )
          : h('li', { class: 'muted' }, 'No files.'),
      );
    });
    return h(
      'li',
      { class: 'card' },
      h('div', { class: 'card-title' }, f.name),
      f.description ? h('p', { class: 'small' }, f.description) : null,
      details,
    );
  };
  mount(
    main,
    h('h1', {}, 'Folders'),
    folders.length
      ? h('ul', { class: 'cards', 'aria-label': 'Folders' }, folders.map(item))
      : h('p', { class: 'muted' }, 'No folders yet.'),
  );
}

export async function agentToolsView(body, agent) {
  const tools = await api('GET', `/v1/agents/${agent.id}/tools`);
  const gated = new Set((agent.tool_rules ?? []).filter((r) => r.type === 'requires_approval').map((r) => r.tool_name));
  const gate = (t) => {
    const box = h('input', { type: 'checkbox', id: `gate-${t.name}`, checked: gated.has(t.name) });
    box.addEventListener('change', async () => {
      const ok = await api('PATCH', `/v1/agents/${agent.id}/tools/approval/${encodeURIComponent(t.name)}`, {
        requires_approval: box.checked,
      }).then(() => true, reported(false));
      if (ok) say(`${t.name}: ${box.checked ? 'needs approval' : 'runs freely'}`);
      else box.checked = !box.checked;
    });
    return h('div', { class: 'row' }, box, h('label', { for: `gate-${t.name}` }, 'Needs a person’s approval'));
  };
  const sections = [
    h(
      'section',
      { class: 'panel', 'aria-label': 'Agent tools' },
      h('h2', {}, 'Tools'),
      h(
        'ul',
        { class: 'cards', id: 'agent-tools' },
        tools.map((t) => toolRow(t, gate(t))),
      ),
    ),
  ];
  const folders = await optional(`/v1/agents/${agent.id}/folders`).catch(() => undefined);
  if (folders !== undefined) {
    sections.push(
      h(
        'section',
        { class: 'panel', 'aria-label': 'Agent folders' },
        h('h2', {}, 'Folders'),
        folders.length
          ? h(
              'ul',
              {},
              folders.map((f) => h('li', {}, f.name)),
            )
          : h('p', { class: 'muted' }, 'No folders attached.'),
      ),
    );
  }
  mount(body, sections);
}
