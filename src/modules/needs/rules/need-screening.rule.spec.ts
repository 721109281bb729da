import type { ScreeningArchive, ScreeningItem } from './need-screening.rule';
import { beneficiaryFits, needInputProblems, screeningViolations } from './need-screening.rule';

const CHILD = { id: '7d7c1f0e-1a3b-4c4d-8e8f-000000000001', schoolingStage: 'college' as const };
const SPOUSE = { id: '7d7c1f0e-1a3b-4c4d-8e8f-000000000002', schoolingStage: 'none' as const };
const STRANGER = '7d7c1f0e-1a3b-4c4d-8e8f-000000000009';

const item = (overrides: Partial<ScreeningItem> = {}): ScreeningItem => ({
  active: true,
  requiresActiveArchive: true,
  acceptsTemporaryArchive: false,
  beneficiary: 'any_member',
  stages: [],
  ...overrides,
});
const archive = (overrides: Partial<ScreeningArchive> = {}): ScreeningArchive => ({
  status: 'active',
  kind: 'formal',
  members: [CHILD, SPOUSE],
  ...overrides,
});
const tuition = item({ beneficiary: 'member_in_stage', stages: ['senior_high', 'college'] });
const relief = item({ acceptsTemporaryArchive: true });
const policy = item({ requiresActiveArchive: false });

describe('automatic screening (自动初筛): one scenario per row', () => {
  it.each([
    ['an active formal archive, the head, an any-member item', item(), archive(), null, []],
    ['a member of the household', item(), archive(), SPOUSE.id, []],
    [
      'a draft archive for an item that requires an active one',
      item(),
      archive({ status: 'draft' }),
      null,
      ['archive_not_active'],
    ],
    ['an archive still in review', item(), archive({ status: 'approving' }), null, ['archive_not_active']],
    ['a transferring archive', item(), archive({ status: 'transferring' }), null, ['archive_not_active']],
    [
      'an exited archive (ended), whatever the item',
      policy,
      archive({ status: 'exited' }),
      null,
      ['archive_ended'],
    ],
    ['a cancelled archive', item(), archive({ status: 'cancelled' }), null, ['archive_ended']],
    ['a rejected archive', item(), archive({ status: 'rejected' }), null, ['archive_ended']],
    [
      'a draft archive for an item that needs no active archive',
      policy,
      archive({ status: 'draft' }),
      null,
      [],
    ],
    [
      'a temporary archive for a relief item that accepts it',
      relief,
      archive({ kind: 'temporary' }),
      null,
      [],
    ],
    [
      'a temporary archive for an item that does not',
      item(),
      archive({ kind: 'temporary' }),
      null,
      ['temporary_archive_not_accepted'],
    ],
    ['a migrant archive (formal rules)', item(), archive({ kind: 'migrant' }), null, []],
    ['someone not in the household', item(), archive(), STRANGER, ['beneficiary_not_in_household']],
    ['tuition for a child in college', tuition, archive(), CHILD.id, []],
    ['tuition for the spouse (not in school)', tuition, archive(), SPOUSE.id, ['beneficiary_not_eligible']],
    ['tuition for the head', tuition, archive(), null, ['beneficiary_not_eligible']],
    [
      'a worker-only item for a member',
      item({ beneficiary: 'worker' }),
      archive(),
      SPOUSE.id,
      ['beneficiary_not_eligible'],
    ],
    ['a worker-only item for the head', item({ beneficiary: 'worker' }), archive(), null, []],
    ['an item deactivated meanwhile', item({ active: false }), archive(), null, ['item_inactive']],
    [
      'everything wrong at once, in a fixed order',
      item({ active: false, beneficiary: 'member_in_stage', stages: ['primary'] }),
      archive({ status: 'draft', kind: 'temporary' }),
      STRANGER,
      [
        'item_inactive',
        'archive_not_active',
        'temporary_archive_not_accepted',
        'beneficiary_not_in_household',
      ],
    ],
  ] as const)('%s → %j', (_name, i, a, memberId, expected) => {
    expect(screeningViolations(i, a, { memberId })).toEqual(expected);
  });

  it.each([
    ['worker', null, true],
    ['worker', 'none', false],
    ['any_member', null, true],
    ['any_member', 'primary', true],
    ['member_in_stage', null, false],
    ['member_in_stage', 'college', true],
    ['member_in_stage', 'primary', false],
  ] as const)('beneficiary %s fits %s: %s', (beneficiary, stage, fits) => {
    const member = stage === null ? null : { schoolingStage: stage };
    expect(beneficiaryFits({ beneficiary, stages: ['college'] }, member)).toBe(fits);
  });
});

describe('ordered amount and tags against the item', () => {
  const training = { maxPerNeed: 3, tags: ['电焊', '氩弧焊'] };
  it.each([
    ['1 of at most 3', 1, [], []],
    ['exactly the maximum', 3, ['电焊'], []],
    ['above the maximum', 4, [], [{ code: 'quantity', max: 3 }]],
    ['zero', 0, [], [{ code: 'quantity', max: 3 }]],
    ['a fraction', 1.5, [], [{ code: 'quantity', max: 3 }]],
    ['a tag not in the list', 1, ['电焊', '厨师'], [{ code: 'tags', tags: ['厨师'] }]],
    [
      'both',
      9,
      ['厨师'],
      [
        { code: 'quantity', max: 3 },
        { code: 'tags', tags: ['厨师'] },
      ],
    ],
  ] as const)('%s', (_name, quantity, tags, expected) => {
    expect(needInputProblems(training, { quantity, tags })).toEqual(expected);
  });
});
