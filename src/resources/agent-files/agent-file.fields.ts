// Readers for the long tail of agent-file fields the schema keeps as unknown: a value of the wrong type is read
// as absent, so a hostile or odd file cannot put an object into a text column or fail inside a template string.

export type Json = Record<string, unknown>;

export const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
export const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
export const int = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null);
/** A JSON object (not an array); null otherwise. */
export const obj = (v: unknown): Json | null => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : null);
