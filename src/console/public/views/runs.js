// Runs and steps: a timeline of the agent's runs; each step shows its model call, tokens, duration and tool calls.
import { api } from '../api.js';
import { fmtDate, fmtMs, fmtNumber, h, mount, pretty } from '../dom.js';
import { callsOf } from './transcript.js';

export async function runsView(body, agent, title = 'Runs') {
  const runs = await api('GET', `/v1/runs/?agent_id=${agent.id}&limit=50`);
  mount(
    body,
    h(
      'section',
      { class: 'panel', 'aria-label': title },
      h('h2', {}, title),
      runs.length ? h('ol', { class: 'timeline', id: 'runs' }, runs.map(runItem)) : h('p', { class: 'muted' }, 'No runs yet.'),
    ),
  );
}

function runItem(run) {
  const steps = h('ol', { class: 'steps' });
  const details = h(
    'details',
    { class: 'run', 'data-run-id': run.id },
    h(
      'summary',
      {},
      h('span', { class: `badge ${run.status === 'completed' ? 'ok' : run.status === 'failed' ? 'bad' : 'warn'}` }, run.status),
      ` ${fmtDate(run.created_at)} · ${run.stop_reason ?? ''} · ${fmtMs(run.total_duration_ns == null ? null : run.total_duration_ns / 1e6)}`,
      run.metadata?.error ? h('span', { class: 'error' }, ` ${run.metadata.error.message ?? ''}`) : null,
    ),
    steps,
  );
  details.addEventListener(
    'toggle',
    async () => {
      if (!details.open || steps.childElementCount) return;
      const list = await api('GET', `/v1/runs/${run.id}/steps`);
      mount(steps, list.length ? list.map(stepItem) : h('li', { class: 'muted' }, 'No steps.'));
    },
    { once: false },
  );
  return h('li', {}, details);
}

function stepItem(step, i) {
  const more = h('div', { class: 'step-more' });
  const details = h(
    'details',
    { class: 'step', 'data-step-id': step.id },
    h(
      'summary',
      {},
      `Step ${i + 1}: `,
      h('code', {}, step.model_handle ?? step.model ?? '?'),
      ` · ${fmtNumber(step.prompt_tokens)} in / ${fmtNumber(step.completion_tokens)} out`,
      step.stop_reason ? ` · ${step.stop_reason}` : '',
      step.status !== 'success' ? h('span', { class: 'badge bad' }, step.status) : null,
    ),
    more,
  );
  details.addEventListener('toggle', async () => {
    if (!details.open || more.childElementCount) return;
    const [metrics, messages] = await Promise.all([
      api('GET', `/v1/steps/${step.id}/metrics`).catch(() => null),
      api('GET', `/v1/steps/${step.id}/messages`),
    ]);
    const ms = (ns) => (ns == null ? null : ns / 1e6);
    mount(
      more,
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'Duration'),
        h('dd', {}, fmtMs(ms(metrics?.step_ns))),
        h('dt', {}, 'Model call'),
        h('dd', {}, fmtMs(ms(metrics?.llm_request_ns))),
        h('dt', {}, 'Tools'),
        h('dd', {}, fmtMs(ms(metrics?.tool_execution_ns))),
        h('dt', {}, 'Tokens'),
        h(
          'dd',
          {},
          `${fmtNumber(step.prompt_tokens)} prompt, ${fmtNumber(step.completion_tokens)} completion`,
          step.cached_input_tokens ? `, ${fmtNumber(step.cached_input_tokens)} cached` : '',
        ),
        h('dt', {}, 'Context limit'),
        h('dd', {}, fmtNumber(step.context_window_limit)),
        step.error_type
          ? [h('dt', {}, 'Error'), h('dd', { class: 'error' }, `${step.error_type}: ${step.error_data?.message ?? ''}`)]
          : null,
      ),
      h('ul', { class: 'step-messages' }, messages.map(stepMessage)),
    );
  });
  return h('li', {}, details);
}

function stepMessage(m) {
  const calls = callsOf(m);
  if (calls.length)
    return calls.map((c) =>
      h(
        'li',
        {},
        `${m.message_type === 'approval_request_message' ? 'Asked to call' : 'Called'} `,
        h('code', {}, c.name),
        h('pre', {}, pretty(c.arguments ?? '')),
      ),
    );
  if (m.message_type === 'tool_return_message')
    return h('li', {}, `Tool returned (${m.status}) `, h('pre', {}, pretty(m.tool_return ?? '')));
  if (m.message_type === 'reasoning_message') return h('li', { class: 'muted' }, 'Reasoning: ', m.reasoning);
  if (m.message_type === 'assistant_message') return h('li', {}, 'Said: ', typeof m.content === 'string' ? m.content : pretty(m.content));
  return h('li', { class: 'muted small' }, m.message_type);
}
