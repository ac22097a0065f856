// Per-request tool-rule solver (Letta semantics, see letta-internals §1.6) and the rule lines for the prompt.
import type { ToolRule } from '../db/tool-rules.schemas.js';

type Rule<T extends ToolRule['type']> = Extract<ToolRule, { type: T }>;
type Prefill = { args: Record<string, unknown>; source: string };

export type ToolRuleSolver = {
  /** Tools the model may call now, in attachment order. Empty restriction falls back like Letta (see below). */
  allowedTools(): string[];
  /** True when the model must call a tool now (init rule at request start, or a child/parent/conditional parent). */
  mustCallTool(): boolean;
  /** Record one executed call. Call exactly once per call (Letta registers twice and double-counts limits). */
  register(toolName: string, outputText?: string | null): void;
  isTerminal(name: string): boolean;
  isContinue(name: string): boolean;
  requiresApproval(name: string): boolean;
  unmetRequiredBeforeExit(): string[];
  prefilledArgs(name: string): Prefill | undefined;
  violationMessage(name: string): string;
  history(): readonly string[];
};

const pyList = (xs: readonly string[]) => `[${xs.map((x) => `'${x}'`).join(', ')}]`;
const ofType = <T extends ToolRule['type']>(rules: ToolRule[], t: T) => rules.filter((r): r is Rule<T> => r.type === t);

export function createToolRuleSolver(rules: ToolRule[], attachedToolNames: string[]): ToolRuleSolver {
  const calls: string[] = [];
  let lastOutput: string | null = null;
  const last = () => calls[calls.length - 1];
  const initNames = ofType(rules, 'run_first')
    .map((r) => r.tool_name)
    .filter((n) => attachedToolNames.includes(n));
  const named = (t: ToolRule['type'], name: string) => rules.some((r) => r.type === t && r.tool_name === name);
  const countOf = (name: string) => calls.filter((c) => c === name).length;
  const exhausted = (name: string) =>
    ofType(rules, 'max_count_per_step').some((r) => r.tool_name === name && countOf(name) >= r.max_count_limit);

  function restricted(): string[] {
    if (calls.length === 0 && initNames.length > 0) return initNames;
    return attachedToolNames.filter((name) => rules.every((r) => ruleAllows(r, name, last(), lastOutput, countOf)));
  }

  function allowedTools(): string[] {
    const allowed = restricted();
    // Letta offers every tool when the rules leave nothing; we still keep tools whose max count is used up out.
    return allowed.length > 0 ? allowed : attachedToolNames.filter((n) => !exhausted(n));
  }

  function mustCallTool(): boolean {
    if (calls.length === 0) return initNames.length > 0;
    const prev = last();
    return rules.some(
      (r) => r.tool_name === prev && (r.type === 'constrain_child_tools' || r.type === 'parent_last_tool' || r.type === 'conditional'),
    );
  }

  function prefilledArgs(name: string): Prefill | undefined {
    if (calls.length === 0) {
      const init = ofType(rules, 'run_first').find((r) => r.tool_name === name && r.args);
      return init?.args ? { args: init.args, source: `InitToolRule(${name})` } : undefined;
    }
    for (const r of ofType(rules, 'constrain_child_tools')) {
      if (r.tool_name !== last()) continue;
      const node = r.child_arg_nodes?.find((n) => n.name === name && n.args);
      if (node?.args) return { args: node.args, source: `ChildToolRule(${r.tool_name} -> ${name})` };
    }
    return undefined;
  }

  function violationMessage(name: string): string {
    const hints = rules
      .filter((r) => r.tool_name === name || r.tool_name === last() || ('children' in r && r.children.includes(name)))
      .map(renderToolRule)
      .filter((t): t is string => t !== null);
    const base = `[ToolConstraintError] Cannot call ${name}, valid tools include: ${pyList(allowedTools())}.`;
    return hints.length ? `${base}\n** Hint: Possible rules that were violated:\n${hints.map((h) => `\t- ${h}`).join('\n')}` : base;
  }

  return {
    allowedTools,
    mustCallTool,
    register(toolName, outputText) {
      calls.push(toolName);
      lastOutput = unwrapOutput(outputText);
    },
    isTerminal: (n) => named('exit_loop', n),
    isContinue: (n) => named('continue_loop', n),
    requiresApproval: (n) => named('requires_approval', n),
    unmetRequiredBeforeExit: () =>
      [...new Set(ofType(rules, 'required_before_exit').map((r) => r.tool_name))].filter((n) => !calls.includes(n)),
    prefilledArgs,
    violationMessage,
    history: () => calls,
  };
}

function ruleAllows(
  rule: ToolRule,
  name: string,
  prev: string | undefined,
  output: string | null,
  countOf: (n: string) => number,
): boolean {
  switch (rule.type) {
    case 'constrain_child_tools':
      return prev !== rule.tool_name || rule.children.includes(name);
    case 'parent_last_tool':
      return prev === rule.tool_name ? rule.children.includes(name) : !rule.children.includes(name);
    case 'conditional':
      return prev !== rule.tool_name || conditionalAllows(rule, name, output);
    case 'max_count_per_step':
      return rule.tool_name !== name || countOf(name) < rule.max_count_limit;
    default:
      return true;
  }
}

function conditionalAllows(rule: Rule<'conditional'>, name: string, output: string | null): boolean {
  const hit = Object.entries(rule.child_output_mapping).find(([key]) => outputMatches(key, output));
  if (hit) return hit[1] === name;
  if (rule.default_child) return rule.default_child === name;
  return !rule.require_output_mapping;
}

/** Mapping keys arrive as strings on the wire: "true"/"false" match booleans, numeric keys match numerically. */
export function outputMatches(key: string, output: string | null): boolean {
  if (output === null) return false;
  const out = output.trim();
  const k = key.trim();
  if (/^(true|false)$/i.test(k)) return out.toLowerCase() === k.toLowerCase();
  if (k !== '' && !Number.isNaN(Number(k))) return out !== '' && Number(out) === Number(k);
  return out === key;
}

/** Letta's bug: the solver expected the packaged JSON but was fed the bare message. We accept either. */
function unwrapOutput(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  if (!text.trimStart().startsWith('{')) return text;
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    if ('status' in parsed && 'message' in parsed) {
      return typeof parsed.message === 'string' ? parsed.message : JSON.stringify(parsed.message);
    }
  } catch {
    /* not packaged JSON: use as is */
  }
  return text;
}

/** One `<tool_rule>` line for the system prompt, or null for rules Letta does not render. */
export function renderToolRule(rule: ToolRule): string | null {
  const t = rule.tool_name;
  switch (rule.type) {
    case 'run_first':
      return `Call ${t} before any other tool at the start of each request.`;
    case 'exit_loop':
      return `Calling ${t} ends your turn and hands control back.`;
    case 'continue_loop':
      return `Calling ${t} does not end your turn; take another step after it.`;
    case 'constrain_child_tools':
      return `Right after ${t}, your next tool call must be one of: ${rule.children.join(', ')}.`;
    case 'parent_last_tool':
      return `${rule.children.join(', ')} may only be called directly after ${t}.`;
    case 'conditional':
      return `The output of ${t} decides which tool comes next (${conditionalSummary(rule)}).`;
    case 'max_count_per_step':
      return `${t} may be called at most ${rule.max_count_limit} time(s) per request.`;
    default:
      return null;
  }
}

function conditionalSummary(rule: Rule<'conditional'>): string {
  const pairs = Object.entries(rule.child_output_mapping).map(([k, v]) => `"${k}" → ${v}`);
  if (rule.default_child) pairs.push(`anything else → ${rule.default_child}`);
  return pairs.join('; ');
}
