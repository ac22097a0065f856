// Lexical helpers for JS/TS source: blank out strings, comments and regex literals (keeping offsets) so that
// brackets and keywords can be found with plain regexes; used by the signature finder.

export type Masked = { text: string; comments: { start: number; end: number }[] };

const REGEX_PRECEDERS = new Set(['(', ',', '=', ':', '[', '!', '&', '|', '?', '{', '}', ';', '+', '-', '*', '%', '<', '>', '~', '^']);

/** Replaces the content of strings, template literals, comments and regex literals by spaces. */
export function maskSource(src: string): Masked {
  const out = src.split('');
  const comments: Masked['comments'] = [];
  const blank = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    const next = src[i + 1];
    let end = -1;
    if (c === '/' && next === '/') {
      end = src.indexOf('\n', i);
      if (end < 0) end = src.length;
      comments.push({ start: i, end });
    } else if (c === '/' && next === '*') {
      end = src.indexOf('*/', i + 2);
      end = end < 0 ? src.length : end + 2;
      comments.push({ start: i, end });
    } else if (c === '"' || c === "'" || c === '`') {
      end = skipQuoted(src, i, c);
      blank(i + 1, end - 1);
      i = end;
      continue;
    } else if (c === '/' && regexAllowed(src, i)) {
      end = skipRegex(src, i);
    }
    if (end >= 0) {
      blank(i, end);
      i = end;
    } else i++;
  }
  return { text: out.join(''), comments };
}

function skipQuoted(src: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < src.length) {
    if (src[i] === '\\') i += 2;
    else if (src[i] === quote) return i + 1;
    else if (src[i] === '\n' && quote !== '`') return i;
    else i++;
  }
  return src.length;
}

function regexAllowed(src: string, at: number): boolean {
  let j = at - 1;
  while (j >= 0 && /\s/.test(src.charAt(j))) j--;
  if (j < 0) return true;
  if (REGEX_PRECEDERS.has(src.charAt(j))) return true;
  return /\b(return|typeof|case|do|else|in|of|void|yield|await)$/.test(src.slice(Math.max(0, j - 6), j + 1));
}

function skipRegex(src: string, start: number): number {
  let i = start + 1;
  let inClass = false;
  while (i < src.length && src[i] !== '\n') {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) return i + 1;
    i++;
  }
  return i;
}

const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}', '<': '>' };

/** Index just after the bracket matching the one at `open` (angle brackets only when `angles`). */
export function matchBracket(masked: string, open: number, angles = false): number {
  const stack: string[] = [];
  for (let i = open; i < masked.length; i++) {
    const c = masked.charAt(i);
    if (c === '=' && masked[i + 1] === '>') {
      i++;
      continue;
    }
    const closer = OPEN[c];
    if (closer && (c !== '<' || angles)) stack.push(closer);
    else if (c === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return i + 1;
    }
  }
  return masked.length;
}

/** Splits [from, to) at commas that are not nested in brackets; returns [start, end) pairs. */
export function splitTopLevel(masked: string, from: number, to: number, sep = ','): [number, number][] {
  const parts: [number, number][] = [];
  let depth = 0;
  let start = from;
  for (let i = from; i < to; i++) {
    const c = masked[i];
    if (c === undefined) break; // `to` past the end of the text
    if (c === '=' && masked[i + 1] === '>') {
      i++;
      continue;
    }
    if ('([{<'.includes(c)) depth++;
    else if (')]}>'.includes(c)) depth--;
    else if (c === sep && depth === 0) {
      parts.push([start, i]);
      start = i + 1;
    }
  }
  parts.push([start, to]);
  return parts;
}

/** Brace/paren depth at every offset, so declarations can be restricted to the top level. */
export function depthAt(masked: string, pos: number): number {
  let depth = 0;
  for (let i = 0; i < pos; i++) {
    const c = masked[i];
    if (c === '{' || c === '(' || c === '[') depth++;
    else if (c === '}' || c === ')' || c === ']') depth--;
  }
  return depth;
}
