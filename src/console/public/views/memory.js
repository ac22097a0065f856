// Core memory blocks, live: each with its size against its limit; a person edits one in place (PATCH by label).
import { api } from '../api.js';
import { fmtNumber, h, mount, say } from '../dom.js';

export function memoryView(agent) {
  const list = h('div', { id: 'blocks' });
  const el = h('section', { class: 'panel', 'aria-labelledby': 'memory-title' }, h('h2', { id: 'memory-title' }, 'Core memory'), list);
  /** label → { root, value, meter, editing } so a refresh updates text in place and never overwrites an open edit. */
  const shown = new Map();

  async function refresh() {
    const blocks = await api('GET', `/v1/agents/${agent.id}/core-memory/blocks`);
    const labels = new Set(blocks.map((b) => b.label));
    for (const [label, v] of shown) {
      if (labels.has(label)) continue;
      v.root.remove();
      shown.delete(label);
    }
    for (const b of blocks) {
      let v = shown.get(b.label);
      if (!v) {
        v = blockCard(agent, b);
        shown.set(b.label, v);
        list.append(v.root);
      }
      if (!v.editing) v.update(b);
    }
  }
  return { el, refresh };
}

function blockCard(agent, b) {
  const value = h('pre', { class: 'block-value', 'data-label': b.label });
  const meter = h('meter', { min: 0, 'aria-label': `${b.label} size` });
  const size = h('span', { class: 'small muted' });
  const editBtn = h('button', { type: 'button', class: 'small-btn', 'aria-label': `Edit ${b.label}` }, 'Edit');
  const body = h('div', {}, value);
  const v = { root: null, editing: false, drawn: false, block: b };
  v.root = h(
    'article',
    { class: 'block', 'data-label': b.label },
    h('header', { class: 'row' }, h('h3', {}, b.label), b.read_only ? h('span', { class: 'tag' }, 'read-only') : editBtn),
    h('div', { class: 'row' }, meter, size),
    body,
  );
  v.update = (nb) => {
    v.block = nb;
    const changed = v.drawn && value.textContent !== nb.value; // the first draw is no change to point at
    v.drawn = true;
    value.textContent = nb.value;
    if (changed) {
      v.root.classList.remove('flash');
      void v.root.offsetWidth; // restart the highlight animation
      v.root.classList.add('flash');
    }
    setMeter(nb);
  };
  const setMeter = (nb) => {
    meter.max = nb.limit;
    meter.value = nb.value.length;
    meter.high = nb.limit * 0.9;
    size.textContent = `${fmtNumber(nb.value.length)} / ${fmtNumber(nb.limit)} chars`;
  };
  editBtn.addEventListener('click', () => {
    v.editing = true;
    const area = h('textarea', { rows: 6, 'aria-label': `New value of ${b.label}`, value: v.block.value, maxlength: v.block.limit });
    const done = () => {
      v.editing = false;
      mount(body, value);
    };
    const save = async () => {
      try {
        v.update(await api('PATCH', `/v1/agents/${agent.id}/core-memory/blocks/${encodeURIComponent(b.label)}`, { value: area.value }));
        say(`Saved ${b.label}`);
        done();
      } catch (err) {
        say(err.message, 'error');
      }
    };
    mount(
      body,
      area,
      h(
        'div',
        { class: 'row' },
        h('button', { type: 'button', class: 'primary', onclick: save }, 'Save'),
        h('button', { type: 'button', onclick: done }, 'Cancel'),
      ),
    );
    area.focus();
  });
  return v;
}
