import { menuItemProblems, type MenuItemShape } from './menu-item.rule';

const consistent: MenuItemShape = {
  unit: 'slots',
  maxPerNeed: 1,
  requiresActiveArchive: true,
  acceptsTemporaryArchive: false,
  beneficiary: 'any_member',
  stages: [],
  tags: ['电焊', '氩弧焊'],
  documents: ['身份证'],
};

describe('menuItemProblems', () => {
  it('finds nothing wrong with a consistent item', () => {
    expect(menuItemProblems(consistent)).toEqual([]);
  });

  it.each<[string, Partial<MenuItemShape>, string[]]>([
    ['member_in_stage without stages', { beneficiary: 'member_in_stage' }, ['stages']],
    ['member_in_stage with stages', { beneficiary: 'member_in_stage', stages: ['college'] }, []],
    ['stages for the worker', { beneficiary: 'worker', stages: ['college'] }, ['stages']],
    ['stages for any member', { stages: ['primary'] }, ['stages']],
    ['a stage twice', { beneficiary: 'member_in_stage', stages: ['primary', 'primary'] }, ['stages']],
    [
      'temporary archive accepted without an archive required',
      { requiresActiveArchive: false, acceptsTemporaryArchive: true },
      ['acceptsTemporaryArchive'],
    ],
    ['temporary archive accepted, an archive required', { acceptsTemporaryArchive: true }, []],
    ['no archive required at all', { requiresActiveArchive: false }, []],
    ['1000 slots (the most)', { maxPerNeed: 1000 }, []],
    ['1001 slots', { maxPerNeed: 1001 }, ['maxPerNeed']],
    ['1001 goods', { unit: 'goods', maxPerNeed: 1001 }, ['maxPerNeed']],
    ['50,000 yuan in fen (the most)', { unit: 'yuan', maxPerNeed: 5_000_000 }, []],
    ['one fen more', { unit: 'yuan', maxPerNeed: 5_000_001 }, ['maxPerNeed']],
    ['a tag twice', { tags: ['电焊', '电焊'] }, ['tags']],
    ['a document twice', { documents: ['身份证', '身份证'] }, ['documents']],
  ])('%s', (_case, change, fields) => {
    expect(menuItemProblems({ ...consistent, ...change }).map((p) => p.field)).toEqual(fields);
  });

  it('says what is wrong in Chinese, with the unit’s bound', () => {
    expect(menuItemProblems({ ...consistent, unit: 'yuan', maxPerNeed: 5_000_001 })).toEqual([
      { field: 'maxPerNeed', message: '每次申请的金额上限不能超过 50000 元（以分计）' },
    ]);
    expect(menuItemProblems({ ...consistent, maxPerNeed: 1001 })[0]!.message).toBe(
      '每次申请的数量上限不能超过 1000',
    );
  });
});
