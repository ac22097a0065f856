import { describe, expect, it } from 'vitest';
import { abTable, median, parseLoopTable } from './ab-table.js';

const printed = (turnsPerS: number, p50: number) => `some log line
| database | scenario | turns | turns/s | steps/s | overhead p50 ms/step | overhead p99 ms/step | SQL statements/step | server CPU ms/step | database CPU ms/step | model process CPU ms/step |
|---|---|---|---|---|---|---|---|---|---|---|
| PGlite | 1 agent, sequential, text reply (1 step) | 300 | ${turnsPerS} | ${turnsPerS} | ${p50} | 14.09 | 2.0 | 12.10 | in process | 0.66 |
| Postgres | 50 agents, parallel, text reply | 500 | 400.0 | 400.0 | 80.33 | 128.55 | 2.0 | 1.60 | 2.40 | 0.21 |`;

describe('A/B table', () => {
  it("reads bench/loop.ts's printed rows and skips its header and other lines", () => {
    const rows = parseLoopTable(printed(87.3, 8.83));
    expect(rows).toEqual([
      { db: 'PGlite', scenario: '1 agent, sequential, text reply (1 step)', turnsPerS: 87.3, p50: 8.83, sqlPerStep: 2 },
      { db: 'Postgres', scenario: '50 agents, parallel, text reply', turnsPerS: 400, p50: 80.33, sqlPerStep: 2 },
    ]);
  });

  it('takes the median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('puts every round and the medians of A and B in one row per scenario', () => {
    const rounds = [
      { before: parseLoopTable(printed(100, 5)), after: parseLoopTable(printed(90, 6)) },
      { before: parseLoopTable(printed(110, 4)), after: parseLoopTable(printed(120, 4)) },
    ];
    const lines = abTable(rounds).split('\n');
    expect(lines[0]).toBe('| database | scenario | A1 | B1 | A2 | B2 | median A | median B | B/A turns/s | B/A p50 | SQL/step A → B |');
    expect(lines[2]).toBe(
      '| PGlite | 1 agent, sequential, text reply (1 step) | 100.0 (5.00) | 90.0 (6.00) | 110.0 (4.00) | 120.0 (4.00) | 105.0 (4.50) | 105.0 (5.00) | 1.00 | 1.11 | 2.0 → 2.0 |',
    );
    expect(lines).toHaveLength(4);
  });
});
