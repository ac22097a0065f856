import { describe, expect, it } from 'vitest';
import { withResultsSection } from './results-section.js';

const BEGIN = '<!-- measured: written by the benchmark, replaced on every run -->';
const END = '<!-- end measured -->';

describe('withResultsSection', () => {
  it('replaces only the measured part and keeps the hand-written findings of the section and the other sections', () => {
    const before = [
      '# Benchmark results',
      '',
      '## Sleep-time',
      '',
      BEGIN,
      'old sleep table',
      END,
      '',
      'sleep verdict by hand',
      '',
      '## Agent loop',
      '',
      BEGIN,
      'old loop table',
      END,
      '',
      '**This round** findings by hand',
      '',
      '## Search',
      '',
      BEGIN,
      'search table',
      END,
      '',
    ].join('\n');
    const after = withResultsSection(before, 'Agent loop', 'new loop table');
    expect(after).toBe(before.replace('old loop table', 'new loop table'));
  });

  it('replaces a section written before the markers existed, whole, and marks the new measured part', () => {
    const before = '# Benchmark results\n\n## Agent loop\n\nold table\n\n## Search\n\nsearch\n';
    expect(withResultsSection(before, 'Agent loop', 'new table')).toBe(
      `# Benchmark results\n\n## Agent loop\n\n${BEGIN}\nnew table\n${END}\n\n## Search\n\nsearch\n`,
    );
  });

  it('appends a missing section, and takes a body with $ signs literally', () => {
    expect(withResultsSection('# Benchmark results\n', 'Search', 'cost $1 and $&')).toBe(
      `# Benchmark results\n\n## Search\n\n${BEGIN}\ncost $1 and $&\n${END}\n`,
    );
  });
});
