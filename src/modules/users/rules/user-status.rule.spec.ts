import { userStatus, UserStatus, UserStatusFacts } from './user-status.rule';

const NOW = new Date('2026-03-02T09:00:00+08:00');
const BEFORE = new Date(NOW.getTime() - 1);
const AFTER = new Date(NOW.getTime() + 60_000);
const base: UserStatusFacts = { disabledAt: null, expiresAt: null, lockedUntil: null };

describe('userStatus', () => {
  const cases: Array<[string, Partial<UserStatusFacts>, UserStatus]> = [
    ['nothing set', {}, 'active'],
    ['temporary, not yet expired', { expiresAt: AFTER }, 'active'],
    ['lock already over', { lockedUntil: BEFORE }, 'active'],
    ['lock ends exactly now', { lockedUntil: NOW }, 'active'],
    ['locked', { lockedUntil: AFTER }, 'locked'],
    ['expires exactly now', { expiresAt: NOW }, 'expired'],
    ['expired beats locked', { expiresAt: BEFORE, lockedUntil: AFTER }, 'expired'],
    ['disabled', { disabledAt: BEFORE }, 'disabled'],
    [
      'disabled beats expired and locked',
      { disabledAt: BEFORE, expiresAt: BEFORE, lockedUntil: AFTER },
      'disabled',
    ],
  ];

  it.each(cases)('%s → %s', (_name, facts, expected) => {
    expect(userStatus({ ...base, ...facts }, NOW)).toBe(expected);
  });
});
