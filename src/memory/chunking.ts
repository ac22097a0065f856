// Splits long text into passages at paragraph, then sentence, then word boundaries.

/** Pieces of at most `maxChars` characters each (a single over-long word is cut hard). */
export function splitIntoPassages(text: string, maxChars: number): string[] {
  const trimmed = text.trim();
  if (trimmed.length <= maxChars) return trimmed ? [trimmed] : [];
  const paragraphs = trimmed
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  return pack(
    paragraphs.flatMap((p) => splitUnit(p, maxChars)),
    maxChars,
    '\n\n',
  );
}

function splitUnit(paragraph: string, maxChars: number): string[] {
  if (paragraph.length <= maxChars) return [paragraph];
  const sentences = paragraph
    .match(/[^.!?\n]+(?:[.!?]+["')\]]*|\n|$)\s*/g)
    ?.map((s) => s.trim())
    .filter(Boolean) ?? [paragraph];
  return pack(
    sentences.flatMap((s) => splitWords(s, maxChars)),
    maxChars,
    ' ',
  );
}

function splitWords(sentence: string, maxChars: number): string[] {
  if (sentence.length <= maxChars) return [sentence];
  const out: string[] = [];
  for (const word of sentence.split(/\s+/)) {
    for (let i = 0; i < word.length; i += maxChars) out.push(word.slice(i, i + maxChars));
  }
  return pack(out, maxChars, ' ');
}

/** Greedily joins consecutive pieces while they fit. */
function pack(pieces: string[], maxChars: number, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const p of pieces) {
    if (!cur) cur = p;
    else if (cur.length + sep.length + p.length <= maxChars) cur += sep + p;
    else {
      out.push(cur);
      cur = p;
    }
  }
  if (cur) out.push(cur);
  return out;
}
