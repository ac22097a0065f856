// Nesting depth of JSON text, measured before parsing: one linear pass, no recursion, so a body nested 100,000 deep
// is refused cheaply instead of overflowing a recursive walk later (validation, serialisation, our own code).

/** Deepest nesting any request body or uploaded document may have; real Letta payloads stay under 20. */
export const MAX_JSON_DEPTH = 64;

/** True when `text` opens more than `max` arrays/objects inside one another (brackets inside strings do not count). */
export function jsonNestsDeeperThan(text: string, max: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}
