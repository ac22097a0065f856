// The console's entry point: a hash router (#/, #/agents/<id>/<tab>, #/tools, #/mcp, #/folders) over the views.
import { forgetKey, getKey, optional } from './api.js';
import { byId, h, mount, say } from './dom.js';
import { showAgent } from './views/agent.js';
import { showAgents } from './views/agents.js';
import { showFolders, showMcpServers, showTools } from './views/tools.js';

let leave = () => {};

async function route() {
  leave();
  leave = () => {};
  const main = byId('main');
  const [, first, id, tab] = location.hash.replace(/^#/, '').split('/');
  try {
    if (first === 'agents' && id) leave = (await showAgent(main, decodeURIComponent(id), tab ?? 'chat')) ?? leave;
    else if (first === 'tools') await showTools(main);
    else if (first === 'mcp') await showMcpServers(main);
    else if (first === 'folders') await showFolders(main);
    else await showAgents(main);
  } catch (err) {
    mount(main, h('h1', {}, 'Something went wrong'), h('p', { class: 'error', role: 'alert' }, err.message));
  }
  for (const a of document.querySelectorAll('header nav a')) {
    a.toggleAttribute(
      'aria-current',
      a.getAttribute('href') === `#/${first ?? ''}` || (first === 'agents' && a.getAttribute('href') === '#/'),
    );
  }
}

/** The Folders link shows only on a server that has the folders API. */
async function probeFolders() {
  const folders = await optional('/v1/folders/?limit=1').catch(() => undefined);
  byId('nav-folders').hidden = folders === undefined;
}

byId('forget-key').hidden = !getKey();
byId('forget-key').addEventListener('click', () => {
  forgetKey();
  say('Key forgotten for this tab');
});
window.addEventListener('hashchange', route);
void route().then(probeFolders);
