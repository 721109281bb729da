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
      name: 'a newer city line beats an older district line',
      lines: [line('330106', '2024-01-01'), line('330100', '2026-07-01')],
      expected: line('330100', '2026-07-01'),
    },
    {
      name: 'a newer province line beats older city and district lines',
      lines: [line('330106', '2025-01-01'), line('330100', '2025-07-01'), line('330000', '2026-01-01')],
      expected: line('330000', '2026-01-01'),
    },
    {
      name: 'a newer district line beats an older city line',
      lines: [line('330106', '2026-08-01'), line('330100', '2026-07-01')],
      expected: line('330106', '2026-08-01'),
    },
    {
      name: 'same date: the most specific region wins',
      lines: [line('330000', '2026-07-01'), line('330100', '2026-07-01'), line('330106', '2026-07-01')],
      expected: line('330106', '2026-07-01'),
    },
    {
      name: 'same date, no district line: the city wins over the province',
      lines: [line('330000', '2026-07-01'), line('330100', '2026-07-01')],
      expected: line('330100', '2026-07-01'),
    },
    {
      name: 'a line dated after the day is not yet in force',
      lines: [line('330106', '2026-01-01'), line('330100', '2026-11-24')],
      expected: line('330106', '2026-01-01'),
    },
    {
      name: 'a line starting on the day is in force',
      lines: [line('330106', '2026-01-01'), line('330100', '2026-11-23')],
      expected: line('330100', '2026-11-23'),
    },
    {
      name: 'another district’s or province’s newer line does not apply',
      lines: [line('330106', '2025-01-01'), line('330105', '2026-07-01'), line('320000', '2026-07-01')],
      expected: line('330106', '2025-01-01'),
    },
    { name: 'nothing in force yet', lines: [line('330106', '2027-01-01')], expected: null },
    { name: 'no lines at all', lines: [], expected: null },
  ])('$name', ({ lines, expected }) => {
    expect(pickLineInForce(candidates, lines, '2026-11-23')).toEqual(expected);
  });
});
