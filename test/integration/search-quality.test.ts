// Labelled retrieval check: hybrid search must beat vector-only and text-only on recall@5.
//
// The corpus (~400 passages) and the questions are generated from templates: facts about people (paraphrased
// questions that share only the person's name with the answer), office hours of places (paraphrased), support
// tickets and product SKUs (exact identifier lookups).
//
// The embedding is NOT a language model. It is the scripted LLM server's hashed bag-of-words embedding
// (`hashedEmbedding`, 128 buckets) applied after three honest, hand-written transformations:
//   1. a tiny synonym map (below) folds question words onto the words the facts use ("hue" → "colour"), standing in
//      for the semantic knowledge a real model has;
//   2. a few stop words are dropped;
//   3. tokens containing digits are dropped, standing in for the way dense models blur exact codes ("INC-48213" and
//      "INC-48271" look alike to them).
// So vector search understands paraphrases but not identifiers, and full text the opposite: the set is built to
// show that the fusion keeps the strengths of both. Numbers are printed; the assertions use fixed margins.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../src/db/client.js';
import { DEFAULT_ORG_ID, newId } from '../../src/ids.js';
import type { EmbeddingClient } from '../../src/llm/embeddings.js';
import type { MemoryDeps } from '../../src/memory/embedding.js';
import type { SearchMode } from '../../src/memory/hybrid-search.js';
import { searchPassages } from '../../src/memory/passage-search.js';
import { insertPassages } from '../../src/memory/passage-store.js';
import { findArchive } from '../../src/memory/archive-rows.js';
import { hashedEmbedding } from '../support/scripted-llm.js';
import { createTestDb } from '../support/test-db.js';

const DIM = 128;
const SYNONYMS: Record<string, string> = {
  hue: 'colour',
  shade: 'colour',
  best: 'favourite',
  preferred: 'favourite',
  residence: 'lives',
  reside: 'lives',
  home: 'lives',
  based: 'lives',
  occupation: 'works',
  profession: 'works',
  job: 'works',
  career: 'works',
  animal: 'pet',
  companion: 'pet',
  own: 'has',
  instrument: 'plays',
  musical: 'plays',
  music: 'plays',
  morning: 'breakfast',
  meal: 'eats',
  eat: 'eats',
  birthday: 'born',
  month: 'born',
  fun: 'hobby',
  pastime: 'hobby',
  spare: 'hobby',
  leisure: 'hobby',
  branch: 'office',
  site: 'office',
  start: 'opens',
  begin: 'opens',
  doors: 'opens',
  hours: 'opens',
};
const STOP = new Set([
  'the',
  'a',
  'an',
  'is',
  'of',
  'what',
  'does',
  'do',
  'which',
  'who',
  'in',
  'at',
  'for',
  'on',
  's',
  'when',
  'where',
  'how',
  'by',
  'as',
  'to',
  'and',
  'with',
  'their',
  'time',
  'at',
  'called',
]);

function localEmbedding(text: string): number[] {
  const words = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}-]+/u)
    .filter((w) => w && !STOP.has(w) && !/\d/.test(w));
  return hashedEmbedding(words.map((w) => SYNONYMS[w] ?? w).join(' '), DIM);
}
const client: EmbeddingClient = { model: 'local-hash', embed: async (texts) => texts.map(localEmbedding) } as EmbeddingClient;

const FIRST = [
  'Alice',
  'Bram',
  'Chioma',
  'Dmitri',
  'Elif',
  'Farid',
  'Greta',
  'Hiro',
  'Ines',
  'Jonas',
  'Kavya',
  'Liam',
  'Mei',
  'Nadia',
  'Oscar',
];
const LAST = [
  'Moreau',
  'Keller',
  'Obi',
  'Volkov',
  'Demir',
  'Haddad',
  'Lind',
  'Tanaka',
  'Duarte',
  'Berg',
  'Rao',
  'Walsh',
  'Chen',
  'Petrova',
  'Ruiz',
];
const PEOPLE = Array.from({ length: 30 }, (_, i) => `${FIRST[i % 15]} ${LAST[(i * 7 + Math.floor(i / 15)) % 15]}`);
const pick = <T>(xs: T[], i: number): T => xs[i % xs.length]!;
const FACTS: { fact: (p: string, i: number) => string; ask: (p: string) => string }[] = [
  {
    fact: (p, i) => `${p}'s favourite colour is ${pick(['teal', 'amber', 'crimson', 'olive'], i)}.`,
    ask: (p) => `Which hue does ${p} like best?`,
  },
  { fact: (p, i) => `${p} lives in ${pick(['Porto', 'Lyon', 'Gdansk', 'Osaka', 'Quito'], i)}.`, ask: (p) => `Where is ${p}'s residence?` },
  { fact: (p, i) => `${p} works as a ${pick(['nurse', 'carpenter', 'pilot', 'chemist'], i)}.`, ask: (p) => `What is ${p}'s profession?` },
  {
    fact: (p, i) => `${p} has a pet ${pick(['dog', 'cat', 'parrot'], i)} named ${pick(['Biscuit', 'Pixel', 'Mango'], i)}.`,
    ask: (p) => `Does ${p} own an animal companion?`,
  },
  { fact: (p, i) => `${p} plays the ${pick(['cello', 'banjo', 'flute'], i)}.`, ask: (p) => `Which musical instrument is ${p} good at?` },
  {
    fact: (p, i) => `${p} eats ${pick(['porridge', 'pancakes', 'congee'], i)} for breakfast.`,
    ask: (p) => `What morning meal does ${p} have?`,
  },
  { fact: (p, i) => `${p} was born in ${pick(['May', 'October', 'January'], i)}.`, ask: (p) => `Which month is ${p}'s birthday?` },
  {
    fact: (p, i) => `${p}'s hobby is ${pick(['bouldering', 'chess', 'kayaking', 'pottery'], i)}.`,
    ask: (p) => `What does ${p} do for fun in spare time?`,
  },
];
const CITIES = ['Lisbon', 'Madrid', 'Berlin', 'Oslo', 'Nairobi', 'Lima', 'Seoul', 'Perth', 'Denver', 'Cairo', 'Hanoi', 'Dublin'];
const PROBLEMS = ['a billing error', 'a login failure', 'a slow dashboard', 'a missing invoice', 'a broken export'];
const PRODUCTS = ['kettle', 'blender', 'toaster', 'lamp', 'heater'];
const ticket = (i: number) => `INC-${48000 + i * 37}`;
const sku = (i: number) => `SKU-${7100 + i * 13}`;

type Labelled = { query: string; answer: string; kind: 'paraphrase' | 'identifier' };
let h: DbHandle;
let deps: MemoryDeps;
const agentId = newId('agent');
const labelled: Labelled[] = [];

function corpus(): string[] {
  const texts: string[] = [];
  PEOPLE.forEach((p, pi) => FACTS.forEach((f, fi) => texts.push(f.fact(p, pi + fi))));
  CITIES.forEach((c, i) => texts.push(`The ${c} office opens at ${7 + (i % 3)} am on weekdays.`));
  CITIES.forEach((c, i) => texts.push(`The ${c} office has ${20 + i} desks and a rooftop garden.`));
  for (let i = 0; i < 100; i++) texts.push(`Ticket ${ticket(i)}: ${pick(PROBLEMS, i)} reported by a customer.`);
  for (let i = 0; i < 40; i++) texts.push(`${sku(i)} is the ${pick(['red', 'white', 'steel'], i)} ${pick(PRODUCTS, i)} sold online.`);
  return texts;
}

function questions(): Labelled[] {
  const out: Labelled[] = [];
  PEOPLE.forEach((p, pi) => {
    for (const fi of [pi % 8, (pi + 3) % 8])
      out.push({ query: FACTS[fi]!.ask(p), answer: FACTS[fi]!.fact(p, pi + fi), kind: 'paraphrase' });
  });
  CITIES.forEach((c, i) =>
    out.push({
      query: `When do the doors of the ${c} branch open?`,
      answer: `The ${c} office opens at ${7 + (i % 3)} am on weekdays.`,
      kind: 'paraphrase',
    }),
  );
  for (let i = 2; i < 100; i += 4)
    out.push({
      query: `status of ticket ${ticket(i)}`,
      answer: `Ticket ${ticket(i)}: ${pick(PROBLEMS, i)} reported by a customer.`,
      kind: 'identifier',
    });
  for (let i = 1; i < 40; i += 3)
    out.push({
      query: `${sku(i)}`,
      answer: `${sku(i)} is the ${pick(['red', 'white', 'steel'], i)} ${pick(PRODUCTS, i)} sold online.`,
      kind: 'identifier',
    });
  return out;
}

beforeAll(async () => {
  h = await createTestDb();
  deps = { db: h.db, embedderFor: (cfg) => (cfg ? client : null) };
  const archiveId = newId('archive');
  const cfg = JSON.stringify({ embedding_model: 'local-hash', embedding_dim: DIM });
  await h.db.execute(
    sql`insert into archives (id, organization_id, name, embedding_config) values (${archiveId}, ${DEFAULT_ORG_ID}, 'q', ${cfg}::jsonb)`,
  );
  await h.db.execute(
    sql`insert into agents (id, organization_id, name, agent_type, system, llm_config) values (${agentId}, ${DEFAULT_ORG_ID}, 'q', 'letta_v1_agent', '', '{}'::jsonb)`,
  );
  await h.db.execute(
    sql`insert into agent_archives (agent_id, archive_id, organization_id, is_owner) values (${agentId}, ${archiveId}, ${DEFAULT_ORG_ID}, true)`,
  );
  const archive = (await findArchive(h.db, DEFAULT_ORG_ID, archiveId))!;
  await insertPassages(
    deps,
    DEFAULT_ORG_ID,
    archive,
    corpus().map((text) => ({ text })),
  );
  labelled.push(...questions());
}, 120_000);
afterAll(async () => h?.close());

async function recallAt5(mode: SearchMode, kind?: Labelled['kind']): Promise<number> {
  const set = labelled.filter((l) => !kind || l.kind === kind);
  let found = 0;
  for (const { query, answer } of set) {
    const hits = await searchPassages(deps, {
      orgId: DEFAULT_ORG_ID,
      agentId,
      query,
      limit: 5,
      embeddingConfig: { embedding_model: 'local-hash' },
      mode,
    });
    if (hits.some((x) => x.passage.text === answer)) found++;
    else if (process.env.QDEBUG === mode) console.log(query, JSON.stringify(hits.map((x) => [x.passage.text.slice(0, 40), x.relevance])));
  }
  return found / set.length;
}

describe('search quality (labelled set, recall@5)', () => {
  it('hybrid beats vector-only and text-only', async () => {
    const r: Record<string, Record<string, number>> = {};
    for (const mode of ['vector', 'fts', 'hybrid'] as const) {
      r[mode] = {
        all: await recallAt5(mode),
        paraphrase: await recallAt5(mode, 'paraphrase'),
        identifier: await recallAt5(mode, 'identifier'),
      };
    }
    const f = (x: number) => x.toFixed(2);
    console.log(
      `recall@5 over ${labelled.length} queries (${corpus().length} passages):\n` +
        Object.entries(r)
          .map(([m, v]) => `  ${m.padEnd(6)} all ${f(v.all!)}  paraphrase ${f(v.paraphrase!)}  identifier ${f(v.identifier!)}`)
          .join('\n') +
        `\n  margins: hybrid − vector ${f(r.hybrid!.all! - r.vector!.all!)}, hybrid − text ${f(r.hybrid!.all! - r.fts!.all!)}`,
    );
    expect(r.hybrid!.all! - r.vector!.all!).toBeGreaterThanOrEqual(0.1);
    expect(r.hybrid!.all! - r.fts!.all!).toBeGreaterThanOrEqual(0.1);
    expect(r.hybrid!.all!).toBeGreaterThanOrEqual(0.9);
    // Fusion must not lose what either side gets right on its own ground.
    expect(r.hybrid!.identifier!).toBeGreaterThanOrEqual(r.fts!.identifier!);
    expect(r.hybrid!.paraphrase!).toBeGreaterThanOrEqual(r.vector!.paraphrase! - 0.05);
  }, 240_000);
});
