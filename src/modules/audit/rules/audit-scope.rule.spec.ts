import { auditScopeFor, AuditViewerUnit } from './audit-scope.rule';

const unit = (overrides: Partial<AuditViewerUnit>): AuditViewerUnit => ({
  path: '/n/p/c/',
  level: 'city',
  parentId: 'p',
  ...overrides,
});

describe('auditScopeFor', () => {
  it.each<[string, AuditViewerUnit | null, ReturnType<typeof auditScopeFor>]>([
    ['no unit (not staff, or unit gone): nothing', null, { kind: 'none' }],
    ['the root unit: everything', unit({ path: '/n/', level: 'national', parentId: null }), { kind: 'all' }],
    [
      'a province root (tree rooted at a province): everything',
      unit({ path: '/p/', level: 'province', parentId: null }),
      { kind: 'all' },
    ],
    [
      'a province under the national unit: its subtree and the unit-less rows',
      unit({ path: '/n/p/', level: 'province', parentId: 'n' }),
      { kind: 'subtree', orgPath: '/n/p/', includeUnitless: true },
    ],
    ['a city: its subtree only', unit({}), { kind: 'subtree', orgPath: '/n/p/c/', includeUnitless: false }],
    [
      'a grassroots union: its subtree only',
      unit({ path: '/n/p/c/d/g/', level: 'grassroots', parentId: 'd' }),
      { kind: 'subtree', orgPath: '/n/p/c/d/g/', includeUnitless: false },
    ],
  ])('%s', (_name, viewer, expected) => {
    expect(auditScopeFor(viewer)).toEqual(expected);
  });
});
