// Text that PostgreSQL cannot store: NUL bytes (text and jsonb reject them) and lone UTF-16 surrogates (jsonb rejects
// their escapes; text silently turns them into U+FFFD). One checker for every inbound value, one scrubber for text we
// produce ourselves (model output, tool results). Both are linear in the input and never recurse.

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

// Node 20 has String.prototype.isWellFormed (ES2024); our TypeScript lib is ES2023.
type WellFormedCheck = string & { isWellFormed(): boolean };

/** What is wrong with one string, or undefined when PostgreSQL can store it as it is. */
export function hostileTextProblem(s: string): string | undefined {
  if (s.includes('\u0000')) return 'contains a NUL byte';
  if (!(s as WellFormedCheck).isWellFormed()) return 'contains a lone UTF-16 surrogate';
  return undefined;
}

/** The storable version of a text we produced ourselves: NUL bytes dropped, lone surrogates replaced by U+FFFD. */
export function scrubHostileText(s: string): string {
  if (hostileTextProblem(s) === undefined) return s;
  return s.replaceAll('\u0000', '').replace(LONE_SURROGATE, '\ufffd');
}

type Frame = { value: unknown; parent: Frame | undefined; key: string };

/**
 * The first string (value or object key) anywhere in `value` that PostgreSQL cannot store, described with its path
 * (`body.memory_blocks.0.label contains a NUL byte`), or undefined. Walks with an explicit stack, so a deep value
 * cannot overflow the call stack.
 */
export function findHostileText(value: unknown, root: string): string | undefined {
  const stack: Frame[] = [{ value, parent: undefined, key: root }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const v = frame.value;
    if (typeof v === 'string') {
      const problem = hostileTextProblem(v);
      if (problem) return `${pathOf(frame)} ${problem}`;
    } else if (v instanceof Uint8Array) {
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], parent: frame, key: String(i) });
    } else if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i]!;
        const problem = hostileTextProblem(k);
        if (problem) return `${pathOf(frame)} has a key that ${problem}`;
        stack.push({ value: (v as Record<string, unknown>)[k], parent: frame, key: k });
      }
    }
  }
  return undefined;
}

function pathOf(frame: Frame): string {
  const parts: string[] = [];
  for (let f: Frame | undefined = frame; f; f = f.parent) parts.push(f.key);
  return parts.reverse().join('.');
}
