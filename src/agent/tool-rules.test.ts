import { describe, expect, it } from 'vitest';
import { createToolRuleSolver, outputMatches, renderToolRule } from './tool-rules.js';
import { ToolRuleSchema, type ToolRule } from '../db/tool-rules.schemas.js';

const TOOLS = ['search', 'answer', 'check', 'fetch', 'send_message'];
const solver = (rules: ToolRule[], tools = TOOLS) => createToolRuleSolver(rules, tools);

describe('ToolRuleSchema', () => {
  it('accepts the nine Letta rule types with their wire field names', () => {
    const rules = [
      { tool_name: 'a', type: 'run_first', args: { q: 1 } },
      { tool_name: 'a', type: 'exit_loop' },
      { tool_name: 'a', type: 'continue_loop', prompt_template: null },
      { tool_name: 'a', type: 'constrain_child_tools', children: ['b'], child_arg_nodes: [{ name: 'b', args: { x: 1 } }] },
      { tool_name: 'a', type: 'parent_last_tool', children: ['b'] },
      { tool_name: 'a', type: 'conditional', child_output_mapping: { true: 'b' }, default_child: 'c' },
      { tool_name: 'a', type: 'max_count_per_step', max_count_limit: 2 },
      { tool_name: 'a', type: 'required_before_exit' },
      { tool_name: 'a', type: 'requires_approval' },
    ];
    for (const r of rules) expect(ToolRuleSchema.parse(r)).toMatchObject(r);
    expect(ToolRuleSchema.parse(rules[5])).toMatchObject({ require_output_mapping: false });
  });
  it('rejects unknown types, missing fields and empty output mappings', () => {
    expect(ToolRuleSchema.safeParse({ tool_name: 'a', type: 'nope' }).success).toBe(false);
    expect(ToolRuleSchema.safeParse({ tool_name: 'a', type: 'constrain_child_tools' }).success).toBe(false);
    expect(ToolRuleSchema.safeParse({ tool_name: 'a', type: 'conditional', child_output_mapping: {} }).success).toBe(false);
  });
});

describe('run_first', () => {
  const rules: ToolRule[] = [{ tool_name: 'search', type: 'run_first', args: { q: 'x' } }];
  it('allows only the init tool and forces a call until something is called', () => {
    const s = solver(rules);
    expect(s.allowedTools()).toEqual(['search']);
    expect(s.mustCallTool()).toBe(true);
    expect(s.prefilledArgs('search')).toEqual({ args: { q: 'x' }, source: 'InitToolRule(search)' });
    s.register('search', 'ok');
    expect(s.allowedTools()).toEqual(TOOLS);
    expect(s.mustCallTool()).toBe(false);
    expect(s.prefilledArgs('search')).toBeUndefined();
  });
  it('ignores an init rule for a tool that is not attached', () => {
    expect(solver([{ tool_name: 'ghost', type: 'run_first' }]).allowedTools()).toEqual(TOOLS);
  });
});

describe('exit_loop, continue_loop, requires_approval, required_before_exit', () => {
  it('answers the per-tool flags', () => {
    const s = solver([
      { tool_name: 'send_message', type: 'exit_loop' },
      { tool_name: 'search', type: 'continue_loop' },
      { tool_name: 'fetch', type: 'requires_approval' },
    ]);
    expect([s.isTerminal('send_message'), s.isTerminal('search')]).toEqual([true, false]);
    expect([s.isContinue('search'), s.isContinue('send_message')]).toEqual([true, false]);
    expect([s.requiresApproval('fetch'), s.requiresApproval('search')]).toEqual([true, false]);
    expect(s.allowedTools()).toEqual(TOOLS);
  });
  it('lists required tools until each has been called once', () => {
    const s = solver([
      { tool_name: 'check', type: 'required_before_exit' },
      { tool_name: 'answer', type: 'required_before_exit' },
    ]);
    expect(s.unmetRequiredBeforeExit()).toEqual(['check', 'answer']);
    s.register('answer', 'x');
    expect(s.unmetRequiredBeforeExit()).toEqual(['check']);
    expect(s.allowedTools()).toEqual(TOOLS);
  });
});

describe('constrain_child_tools', () => {
  const rules: ToolRule[] = [
    {
      tool_name: 'search',
      type: 'constrain_child_tools',
      children: ['answer', 'fetch'],
      child_arg_nodes: [{ name: 'fetch', args: { depth: 1 } }],
    },
  ];
  it('restricts the next call to the children, forces it and prefills child args', () => {
    const s = solver(rules);
    expect(s.mustCallTool()).toBe(false);
    s.register('search', 'r');
    expect(s.allowedTools()).toEqual(['answer', 'fetch']);
    expect(s.mustCallTool()).toBe(true);
    expect(s.prefilledArgs('fetch')).toEqual({ args: { depth: 1 }, source: 'ChildToolRule(search -> fetch)' });
    expect(s.prefilledArgs('answer')).toBeUndefined();
    s.register('answer', 'done');
    expect(s.allowedTools()).toEqual(TOOLS);
  });
  it('explains a violation with the valid tools and the rule', () => {
    const s = solver(rules);
    s.register('search', 'r');
    expect(s.violationMessage('check')).toBe(
      "[ToolConstraintError] Cannot call check, valid tools include: ['answer', 'fetch'].\n" +
        '** Hint: Possible rules that were violated:\n' +
        '\t- Right after search, your next tool call must be one of: answer, fetch.',
    );
  });
});

describe('parent_last_tool', () => {
  it('hides the children except directly after the parent', () => {
    const s = solver([{ tool_name: 'search', type: 'parent_last_tool', children: ['fetch'] }]);
    expect(s.allowedTools()).toEqual(['search', 'answer', 'check', 'send_message']);
    s.register('search', 'r');
    expect(s.allowedTools()).toEqual(['fetch']);
    expect(s.mustCallTool()).toBe(true);
    s.register('fetch', 'page');
    expect(s.allowedTools()).not.toContain('fetch');
  });
});

describe('conditional', () => {
  const rule = (extra: Partial<Extract<ToolRule, { type: 'conditional' }>> = {}): ToolRule[] => [
    {
      tool_name: 'check',
      type: 'conditional',
      child_output_mapping: { true: 'answer', '2': 'fetch', maybe: 'search' },
      require_output_mapping: false,
      ...extra,
    },
  ];
  it.each([
    ['True', ['answer']],
    ['2.0', ['fetch']],
    ['maybe', ['search']],
  ])('routes output %s by the mapping', (output, expected) => {
    const s = solver(rule());
    s.register('check', output);
    expect(s.allowedTools()).toEqual(expected);
    expect(s.mustCallTool()).toBe(true);
  });
  it('reads the message out of a packaged tool return too', () => {
    const s = solver(rule());
    s.register('check', '{"status": "OK", "message": "true", "time": "now"}');
    expect(s.allowedTools()).toEqual(['answer']);
  });
  it('falls back to default_child, then to all tools', () => {
    const withDefault = solver(rule({ default_child: 'send_message' }));
    withDefault.register('check', 'no idea');
    expect(withDefault.allowedTools()).toEqual(['send_message']);
    const without = solver(rule());
    without.register('check', 'no idea');
    expect(without.allowedTools()).toEqual(TOOLS);
  });
  it('with require_output_mapping an unmatched output leaves nothing, which falls back to all tools like Letta', () => {
    const s = solver(rule({ require_output_mapping: true }));
    s.register('check', 'no idea');
    expect(s.allowedTools()).toEqual(TOOLS);
  });
  it('matches keys the way Letta types them', () => {
    expect(outputMatches('false', ' FALSE ')).toBe(true);
    expect(outputMatches('1', '1.0')).toBe(true);
    expect(outputMatches('1', 'one')).toBe(false);
    expect(outputMatches('yes', 'Yes')).toBe(false);
  });
});

describe('max_count_per_step', () => {
  it('counts each registered call once, over the whole request', () => {
    const s = solver([{ tool_name: 'search', type: 'max_count_per_step', max_count_limit: 2 }]);
    s.register('search', 'a');
    expect(s.allowedTools()).toContain('search');
    s.register('answer', 'b');
    s.register('search', 'c');
    expect(s.allowedTools()).toEqual(['answer', 'check', 'fetch', 'send_message']);
    expect(s.violationMessage('search')).toContain('search may be called at most 2 time(s) per request.');
  });
  it('keeps an exhausted tool out even when the fallback kicks in', () => {
    const s = solver([{ tool_name: 'search', type: 'max_count_per_step', max_count_limit: 1 }], ['search']);
    s.register('search', 'a');
    expect(s.allowedTools()).toEqual([]);
  });
});

describe('combined rules', () => {
  it('intersects restrictions from several rules', () => {
    const s = solver([
      { tool_name: 'search', type: 'constrain_child_tools', children: ['answer', 'fetch'] },
      { tool_name: 'fetch', type: 'max_count_per_step', max_count_limit: 1 },
    ]);
    s.register('fetch', 'x');
    s.register('search', 'y');
    expect(s.allowedTools()).toEqual(['answer']);
    expect(s.history()).toEqual(['fetch', 'search']);
  });
  it('renders prompt lines only for the rule types Letta renders', () => {
    expect(renderToolRule({ tool_name: 'a', type: 'required_before_exit' })).toBeNull();
    expect(renderToolRule({ tool_name: 'a', type: 'requires_approval' })).toBeNull();
    expect(renderToolRule({ tool_name: 'a', type: 'parent_last_tool', children: ['b', 'c'] })).toBe(
      'b, c may only be called directly after a.',
    );
  });
});
