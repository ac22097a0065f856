// A/B of the agent loop benchmark: bench/loop.ts on a git ref (A, "before", extracted to a temporary directory) and
// on this working tree (B, "after"), alternated A B A B on the same machine; medians per scenario go to the
// "Agent loop A/B" section of bench/results.md (every other section is left as it was). PostgreSQL when DATABASE_URL
// is set. Usage: npm run bench:ab -- <ref-before> [rounds] [--budget-min 40] [--skip-pglite] [--loop "<bench/loop.ts args>"]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { abTable, parseLoopTable, type LoopRow } from './ab-table.js';
import { writeResultsSection } from './results-section.js';

const DEFAULT_LOOP_ARGS = '--turns 300 --par-turns 10 --warm-ms 3000 --warm-turns 50';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}
const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
const before = positional[0];
if (!before) {
  console.error('usage: npm run bench:ab -- <ref-before> [rounds] [--budget-min 40] [--skip-pglite] [--loop "<args>"]');
  process.exit(2);
}
const rounds = Math.max(1, Number(positional[1] ?? 3));
const budgetMs = Number(option('budget-min') ?? 40) * 60_000;
const loopArgs = (option('loop') ?? DEFAULT_LOOP_ARGS).split(/\s+/).filter(Boolean);
if (process.argv.includes('--skip-pglite')) loopArgs.push('--skip-pglite');

const root = execFileSync('git', ['rev-parse', '--show-toplevel'], { encoding: 'utf8' }).trim();
const git = (...a: string[]) => execFileSync('git', a, { cwd: root, encoding: 'utf8' }).trim();
const resultsPath = join(root, 'bench/results.md');

/** The ref's tree in a temporary directory, sharing this tree's node_modules. */
function extract(ref: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mnemo-ab-'));
  execFileSync('sh', ['-c', `git archive ${JSON.stringify(ref)} | tar -x -C ${JSON.stringify(dir)}`], { cwd: root });
  symlinkSync(realpathSync(join(root, 'node_modules')), join(dir, 'node_modules'));
  return dir;
}

/** One bench/loop.ts run in `cwd`, killed after `timeoutMs`; its results.md is put back as it was. */
function runLoop(cwd: string, timeoutMs: number): Promise<LoopRow[]> {
  const results = join(cwd, 'bench/results.md');
  const kept = readFileSync(results, 'utf8');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/loop.ts', ...loopArgs], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      writeFileSync(results, kept);
      if (code === 0) resolve(parseLoopTable(out));
      else reject(new Error(`bench/loop.ts in ${cwd} exited with ${code ?? 'a signal'} (time limit ${Math.round(timeoutMs / 1000)} s)`));
    });
  });
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' / ');

async function main(): Promise<void> {
  const beforeSha = git('rev-parse', '--short', `${before}^{commit}`);
  const afterSha =
    git('rev-parse', '--short', 'HEAD') + (git('status', '--porcelain', '--', 'src', 'bench', 'drizzle') ? ' + uncommitted changes' : '');
  const dir = extract(beforeSha);
  const t0 = Date.now();
  const startLoad = load();
  const runs: { before: LoopRow[]; after: LoopRow[] }[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      const left = budgetMs - (Date.now() - t0);
      const last = runs.length ? (Date.now() - t0) / runs.length : 0;
      if (r > 0 && last > left) break;
      console.error(`round ${r + 1}: A (${beforeSha}) then B (${afterSha}), load ${load()}`);
      const a = await runLoop(dir, Math.max(60_000, left / 2));
      const b = await runLoop(root, Math.max(60_000, budgetMs - (Date.now() - t0)));
      runs.push({ before: a, after: b });
    }
  } catch (e) {
    // A round cut by the time limit is dropped; the rounds before it are still reported.
    if (runs.length === 0) throw e;
    console.error(String(e));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const minutes = ((Date.now() - t0) / 60_000).toFixed(1);
  const header =
    `A = \`${beforeSha}\` (${before}), B = \`${afterSha}\`, ${runs.length} rounds A B A B (${minutes} min), ` +
    `\`bench/loop.ts ${loopArgs.join(' ')}\`${process.env.DATABASE_URL ? '' : ' (no DATABASE_URL: PGlite only)'}. ` +
    `Load average (1/5/15 min) ${startLoad} at the start, ${load()} at the end. Each cell: turns/s (overhead p50 ms/step); ` +
    `B/A = median B turns/s ÷ median A turns/s (above 1: B faster) and the same for p50 (below 1: B faster).`;
  const body = `${header}\n\n${abTable(runs)}`;
  console.log(body);
  writeResultsSection('Agent loop A/B', body, resultsPath);
  console.error(`written to ${resultsPath}, section "Agent loop A/B"`);
}

await main();
