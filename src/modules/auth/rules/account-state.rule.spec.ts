import type { StaffRole } from '../principal';
import { accountBlock, AccountBlock, sessionEnd, SessionEnd, sessionRestriction } from './account-state.rule';

const NOW = new Date('2026-03-02T09:00:00Z');
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

describe('accountBlock', () => {
  type Subject = { lockedUntil: Date | null; disabledAt: Date | null; expiresAt: Date | null };
  const open: Subject = { lockedUntil: null, disabledAt: null, expiresAt: null };
  it.each<[string, Partial<Subject>, AccountBlock | null]>([
    ['an ordinary account', {}, null],
    ['locked until later', { lockedUntil: at(5) }, 'locked'],
    ['a lock that has run out', { lockedUntil: at(-1) }, null],
    ['a lock ending exactly now', { lockedUntil: NOW }, null],
    ['disabled', { disabledAt: at(-60) }, 'disabled'],
    ['a temporary account before expiry', { expiresAt: at(1) }, null],
    ['a temporary account at expiry', { expiresAt: NOW }, 'account_expired'],
    ['disabled and locked: disabled wins', { disabledAt: at(-60), lockedUntil: at(5) }, 'disabled'],
    ['expired and locked: expired wins', { expiresAt: at(-1), lockedUntil: at(5) }, 'account_expired'],
  ])('%s', (_name, overrides, expected) => {
    expect(accountBlock({ ...open, ...overrides }, NOW)).toBe(expected);
  });
});

describe('sessionRestriction', () => {
  it.each<[string, StaffRole[], boolean, Date | null, boolean, 'password_change' | 'totp_enrolment' | null]>([
    ['caseworker, fresh password', ['caseworker'], false, null, false, null],
    ['caseworker, reset by admin', ['caseworker'], true, null, false, 'password_change'],
    ['caseworker, password expired', ['caseworker'], false, null, true, 'password_change'],
    ['admin without TOTP', ['admin'], false, null, false, 'totp_enrolment'],
    ['auditor without TOTP', ['auditor'], false, null, false, 'totp_enrolment'],
    ['approver+reviewer without TOTP', ['reviewer', 'approver'], false, null, false, 'totp_enrolment'],
    ['admin with TOTP', ['admin'], false, NOW, false, null],
    [
      'admin without TOTP and an expired password: password first',
      ['admin'],
      false,
      null,
      true,
      'password_change',
    ],
    ['worker (no roles)', [], false, null, false, null],
  ])('%s', (_name, roles, mustChangePassword, totpEnabledAt, expired, expected) => {
    expect(sessionRestriction({ roles, mustChangePassword, totpEnabledAt }, expired)).toBe(expected);
  });
});

describe('sessionEnd (idle 30 min, absolute from expiresAt)', () => {
  type Subject = { revokedAt: Date | null; lastSeenAt: Date; expiresAt: Date };
  const live: Subject = { revokedAt: null, lastSeenAt: at(-10), expiresAt: at(600) };
  it.each<[string, Partial<Subject>, SessionEnd | null]>([
    ['active 10 minutes ago', {}, null],
    ['idle for 29 minutes', { lastSeenAt: at(-29) }, null],
    ['idle for 30 minutes', { lastSeenAt: at(-30) }, 'idle'],
    ['past its absolute lifetime', { expiresAt: NOW }, 'absolute'],
    ['revoked', { revokedAt: at(-1) }, 'revoked'],
  ])('%s', (_name, overrides, expected) => {
    expect(sessionEnd({ ...live, ...overrides }, NOW, 30)).toBe(expected);
  });
});
