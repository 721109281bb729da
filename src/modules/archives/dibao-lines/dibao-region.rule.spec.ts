import { dibaoRegionCandidates, pickLineInForce, regionCovers } from './dibao-region.rule';

describe('dibaoRegionCandidates', () => {
  it.each([
    ['330106', ['330106', '330100', '330000']],
    ['330100', ['330100', '330000']],
    ['330000', ['330000']],
    ['110105', ['110105', '110100', '110000']],
  ])('%s → %j', (code, expected) => {
    expect(dibaoRegionCandidates(code)).toEqual(expected);
  });
});

describe('regionCovers', () => {
  it.each([
    ['330000', '330106', true],
    ['330000', '320106', false],
    ['330100', '330106', true],
    ['330100', '330100', true],
    ['330100', '330212', false],
    ['330106', '330106', true],
    ['330106', '330105', false],
    ['330106', '330100', false],
  ])('unit %s sets %s → %s', (unit, region, expected) => {
    expect(regionCovers(unit, region)).toBe(expected);
  });
});

describe('pickLineInForce', () => {
  const candidates = dibaoRegionCandidates('330106');
  const line = (regionCode: string, effectiveFrom: string) => ({ regionCode, effectiveFrom });
  it.each([
    {
      name: 'a newer, lower province line never replaces a city line',
      lines: [line('330100', '2025-07-01'), line('330000', '2026-07-01')],
      expected: line('330100', '2025-07-01'),
    },
    {
      name: 'a newer city line does not replace the district’s own line',
      lines: [line('330106', '2024-01-01'), line('330100', '2026-07-01')],
      expected: line('330106', '2024-01-01'),
    },
    {
      name: 'the district’s newest line in force wins among its own',
      lines: [line('330106', '2025-01-01'), line('330106', '2026-01-01'), line('330000', '2026-08-01')],
      expected: line('330106', '2026-01-01'),
    },
    {
      name: 'no district line: the city’s',
      lines: [line('330100', '2025-07-01'), line('330100', '2026-07-01'), line('330000', '2026-09-01')],
      expected: line('330100', '2026-07-01'),
    },
    {
      name: 'no district or city line: the province’s newest in force',
      lines: [line('330000', '2025-01-01'), line('330000', '2026-01-01')],
      expected: line('330000', '2026-01-01'),
    },
    {
      name: 'same date: the most specific region wins',
      lines: [line('330000', '2026-07-01'), line('330100', '2026-07-01'), line('330106', '2026-07-01')],
      expected: line('330106', '2026-07-01'),
    },
    {
      name: 'a district line not yet in force: the city’s applies until then',
      lines: [line('330106', '2026-11-24'), line('330100', '2026-07-01')],
      expected: line('330100', '2026-07-01'),
    },
    {
      name: 'a line starting on the day is in force',
      lines: [line('330106', '2026-11-23'), line('330100', '2026-07-01')],
      expected: line('330106', '2026-11-23'),
    },
    {
      name: 'a line dated after the day is not yet in force (same region)',
      lines: [line('330106', '2026-01-01'), line('330106', '2026-11-24')],
      expected: line('330106', '2026-01-01'),
    },
    {
      name: 'another district’s or province’s line does not apply',
      lines: [line('330106', '2025-01-01'), line('330105', '2026-07-01'), line('320000', '2026-07-01')],
      expected: line('330106', '2025-01-01'),
    },
    { name: 'nothing in force yet', lines: [line('330106', '2027-01-01')], expected: null },
    { name: 'no lines at all', lines: [], expected: null },
  ])('$name', ({ lines, expected }) => {
    expect(pickLineInForce(candidates, lines, '2026-11-23')).toEqual(expected);
  });

  it('does not depend on the order the lines come in', () => {
    const lines = [line('330000', '2026-09-01'), line('330106', '2025-01-01'), line('330100', '2026-07-01')];
    expect(pickLineInForce(candidates, lines, '2026-11-23')).toEqual(line('330106', '2025-01-01'));
    expect(pickLineInForce(candidates, [...lines].reverse(), '2026-11-23')).toEqual(
      line('330106', '2025-01-01'),
    );
  });
});
