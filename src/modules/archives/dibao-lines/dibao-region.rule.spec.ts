import { dibaoRegionCandidates, regionCovers } from './dibao-region.rule';

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
