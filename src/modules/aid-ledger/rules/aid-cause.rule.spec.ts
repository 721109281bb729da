import type { Cause } from '../../archives/archive.enums';
import type { MenuCategory } from '../../menu/menu.enums';
import { causeAddressed, type CauseByCategory } from './aid-cause.rule';

const MAP: CauseByCategory = {
  tuition: 'schooling',
  medical: 'illness',
  training: 'unemployment',
  employment: 'unemployment',
};

describe('causeAddressed', () => {
  it.each<[string, MenuCategory, Cause[], Cause | null, Cause]>([
    [
      'tuition for a household with schooling among its causes',
      'tuition',
      ['illness', 'schooling'],
      'illness',
      'schooling',
    ],
    ['medical for an illness household', 'medical', ['illness'], 'illness', 'illness'],
    [
      'training for an unemployed household',
      'training',
      ['low_income', 'unemployment'],
      'low_income',
      'unemployment',
    ],
    [
      'tuition for a household without schooling: its primary cause',
      'tuition',
      ['illness', 'disability'],
      'disability',
      'disability',
    ],
    ['relief (not mapped): the primary cause', 'relief', ['schooling', 'illness'], 'illness', 'illness'],
    ['no primary cause: the first listed', 'relief', ['accident'], null, 'accident'],
    ['no causes at all: other', 'donation', [], null, 'other'],
  ])('%s', (_name, category, causes, primaryCause, expected) => {
    expect(causeAddressed(category, { causes, primaryCause }, MAP)).toBe(expected);
  });
});
