// Finds a top-level function declaration in JS/TS source and describes its parameters without executing it.
// Used by the JS runner (mapping keyword args to positions) and by the TypeScript schema derivation.
import { depthAt, maskSource, matchBracket, splitTopLevel } from './js-source-scan.js';

export type JsParam = {
  /** Parameter name; null for a destructuring pattern. */
  name: string | null;
  /** Keys of an object destructuring pattern (`{ a, b: x }` → ['a', 'b']). */
  destructuredKeys?: string[];
  typeText?: string;
  optional: boolean;
  hasDefault: boolean;
  rest: boolean;
};

export type JsFunction = {
  name: string;
  exported: boolean;
  isDefault: boolean;
  params: JsParam[];
  /** The `/** … *\/` block right before the declaration, if any. */
  jsdoc?: string;
};

const DECLARATION =
  /(export\s+(default\s+)?)?(async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)?\s*(<)?|(export\s+)?(const|let|var)\s+([A-Za-z_$][\w$]*)\s*(:[^=]*)?=\s*(async\s+)?(function\b\s*\*?\s*[\w$]*\s*)?|(export\s+default\s+)(async\s+)?(?=\(|[A-Za-z_$][\w$]*\s*=>)/g;

/** All top-level function declarations (function statements, arrow/function-expression consts, default exports). */
export function listFunctions(source: string): JsFunction[] {
  const masked = maskSource(source);
  const found: JsFunction[] = [];
  for (const m of masked.text.matchAll(DECLARATION)) {
    const at = m.index ?? 0;
    if (at > 0 && /[\w$.]/.test(masked.text.charAt(at - 1))) continue;
    if (depthAt(masked.text, at) !== 0) continue;
    let pos = at + m[0].length;
    if (m[5]) pos = matchBracket(masked.text, pos - 1, true); // generic parameters of `function f<T>(`
    const fn = describeAt(source, masked.text, pos, m);
    if (!fn) continue;
    const doc = masked.comments.filter((c) => c.end <= at && source.slice(c.end, at).trim() === '').pop();
    if (doc && source.startsWith('/**', doc.start)) fn.jsdoc = source.slice(doc.start, doc.end);
    found.push(fn);
  }
  return found;
}

function describeAt(source: string, masked: string, pos: number, m: RegExpMatchArray): JsFunction | null {
  const isDefault = Boolean(m[2] || m[12]);
  const exported = Boolean(m[1] || m[6] || m[12]);
  const name = m[4] ?? m[8] ?? (isDefault ? 'default' : undefined);
  if (!name) return null;
  while (/\s/.test(masked[pos] ?? '')) pos++;
  if (m[7] && !m[11] && masked[pos] === '<') pos = matchBracket(masked, pos, true);
  while (/\s/.test(masked[pos] ?? '')) pos++;
  if (masked[pos] === '(') {
    const close = matchBracket(masked, pos);
    if (m[7] && !m[11] && !/^\s*(:[^=]*)?=>/.test(masked.slice(close, close + 200))) return null;
    const params = parseParams(source, masked, pos + 1, close - 1);
    return { name, exported, isDefault, params };
  }
  const single = /^([A-Za-z_$][\w$]*)\s*=>/.exec(masked.slice(pos));
  if (!single) return null;
  return { name, exported, isDefault, params: [{ name: single[1] ?? null, optional: false, hasDefault: false, rest: false }] };
}

function parseParams(source: string, masked: string, from: number, to: number): JsParam[] {
  if (masked.slice(from, to).trim() === '') return [];
  return splitTopLevel(masked, from, to)
    .filter(([s, e]) => masked.slice(s, e).trim() !== '')
    .map(([s, e]) => parseParam(source, masked, s, e))
    .filter((p) => p.name !== 'this');
}

function parseParam(source: string, masked: string, s: number, e: number): JsParam {
  while (/\s/.test(masked.charAt(s))) s++;
  const rest = masked.startsWith('...', s);
  if (rest) s += 3;
  let name: string | null = null;
  let destructuredKeys: string[] | undefined;
  let pos: number;
  if (masked[s] === '{' || masked[s] === '[') {
    pos = matchBracket(masked, s);
    if (masked[s] === '{') destructuredKeys = objectPatternKeys(masked, s + 1, pos - 1);
  } else {
    const id = /^[A-Za-z_$][\w$]*/.exec(masked.slice(s, e));
    name = id ? id[0] : masked.slice(s, e).trim();
    pos = s + name.length;
  }
  let optional = false;
  while (/\s/.test(masked[pos] ?? '')) pos++;
  if (masked[pos] === '?') {
    optional = true;
    pos++;
  }
  const eq = splitTopLevel(masked, pos, e, '=');
  const [typeStart, typeEnd] = eq[0] ?? [pos, e];
  const typeRaw = source.slice(typeStart, typeEnd).trim();
  const typeText = typeRaw.startsWith(':') ? typeRaw.slice(1).trim() : undefined;
  const hasDefault = eq.length > 1;
  return { name, destructuredKeys, typeText, optional: optional || hasDefault, hasDefault, rest };
}

function objectPatternKeys(masked: string, from: number, to: number): string[] {
  return splitTopLevel(masked, from, to)
    .map(([s, e]) => /^\s*(?:\.\.\.)?\s*([A-Za-z_$][\w$]*)/.exec(masked.slice(s, e))?.[1])
    .filter((k): k is string => Boolean(k));
}

/** The function the runner should call: by name, else the default export, else the only function. */
export function findFunction(source: string, functionName?: string): JsFunction | undefined {
  const all = listFunctions(source);
  if (functionName) {
    const byName = all.find((f) => f.name === functionName);
    if (byName) return byName;
  }
  return all.find((f) => f.isDefault) ?? (all.length === 1 ? all[0] : undefined);
}
