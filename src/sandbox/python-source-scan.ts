// Static reading of Python tool source (never executed): masks strings/comments, finds top-level defs, splits
// their parameters, and returns the raw docstring. Used by the schema derivation.

type PyParam = { name: string; annotation?: string; hasDefault: boolean; star: '' | '*' | '**' };
export type PyFunction = { name: string; params: PyParam[]; docstring?: string };

/** Blanks string literals and comments (keeping offsets and newlines). */
function maskPython(src: string): string {
  const out = src.split('');
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '#') {
      const end = src.indexOf('\n', i);
      i = blank(out, i, end < 0 ? src.length : end);
    } else if (c === '"' || c === "'") {
      const triple = src.startsWith(c.repeat(3), i);
      const end = closeString(src, i, triple ? c.repeat(3) : c);
      blank(out, i + 1, end - 1);
      i = end;
    } else i++;
  }
  return out.join('');
}

function blank(out: string[], from: number, to: number): number {
  for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  return to;
}

function closeString(src: string, start: number, quote: string): number {
  let i = start + quote.length;
  while (i < src.length) {
    if (src[i] === '\\') i += 2;
    else if (src.startsWith(quote, i)) return i + quote.length;
    else if (quote.length === 1 && src[i] === '\n') return i;
    else i++;
  }
  return src.length;
}

function closeParen(masked: string, open: number): number {
  let depth = 0;
  for (let i = open; i < masked.length; i++) {
    const c = masked.charAt(i);
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c) && --depth === 0) return i;
  }
  return -1;
}

/** Splits at top-level commas of masked[from, to). */
function splitPy(masked: string, from: number, to: number, sep = ','): [number, number][] {
  const parts: [number, number][] = [];
  let depth = 0;
  let start = from;
  for (let i = from; i < to; i++) {
    const c = masked[i];
    if (c === undefined) break; // `to` past the end of the text
    if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === sep && depth === 0) {
      parts.push([start, i]);
      start = i + 1;
    }
  }
  parts.push([start, to]);
  return parts;
}

/** The top-level `def`s in source order (Letta uses the last one). */
export function listPythonFunctions(src: string): PyFunction[] {
  const masked = maskPython(src);
  const found: PyFunction[] = [];
  for (const m of masked.matchAll(/^(?:async[ \t]+)?def[ \t]+([A-Za-z_]\w*)[ \t]*\(/gm)) {
    const [declaration, name] = m;
    if (name === undefined) continue;
    const open = (m.index ?? 0) + declaration.length - 1;
    const close = closeParen(masked, open);
    if (close < 0) continue;
    const params = splitPy(masked, open + 1, close)
      .map(([s, e]) => parseParam(src.slice(s, e), masked.slice(s, e)))
      .filter((p): p is PyParam => p !== null);
    const colon = masked.indexOf(':', close + 1);
    found.push({ name, params, docstring: colon < 0 ? undefined : readDocstring(src, colon + 1) });
  }
  return found;
}

function parseParam(text: string, masked: string): PyParam | null {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === '*' || trimmed === '/') return null;
  const star = /^\*\*/.test(trimmed) ? '**' : trimmed.startsWith('*') ? '*' : '';
  const offset = text.indexOf(trimmed) + star.length;
  const eq = splitPy(masked, offset, masked.length, '=');
  const [, headEnd] = eq[0] ?? [offset, masked.length];
  const head = text.slice(offset, headEnd);
  const colon = head.indexOf(':');
  const name = (colon < 0 ? head : head.slice(0, colon)).trim();
  const annotation = colon < 0 ? undefined : head.slice(colon + 1).trim();
  return { name, annotation, hasDefault: eq.length > 1, star };
}

function readDocstring(src: string, from: number): string | undefined {
  const [opening, quote] = /^[ \t]*(?:#[^\n]*)?\n?\s*[rRuU]?("""|'''|"|')/.exec(src.slice(from)) ?? [];
  if (opening === undefined || quote === undefined) return undefined;
  const start = from + opening.length;
  const end = src.indexOf(quote, start);
  return end < 0 ? undefined : src.slice(start, end);
}

/** inspect.cleandoc: strip the first line, dedent the rest by their common indentation. */
export function cleandoc(doc: string): string {
  const lines = doc.replace(/\t/g, '    ').split('\n');
  const indents = lines
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => l.length - l.trimStart().length);
  const cut = indents.length ? Math.min(...indents) : 0;
  const [first = '', ...rest] = lines;
  const body = [first.trim(), ...rest.map((l) => l.slice(cut).trimEnd())];
  return body.join('\n').trim();
}
