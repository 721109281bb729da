import { DomainError } from '../../../common/errors';
import { loadConfig } from '../../../config';
import { parseCommonPasswords } from './common-passwords';
import { PasswordPolicy, PasswordProblem } from './password-policy';

const DAY = 24 * 60 * 60 * 1000;

function policy(password: Record<string, unknown> = {}): PasswordPolicy {
  return new PasswordPolicy(loadConfig({ env: { NODE_ENV: 'test' }, overrides: { auth: { password } } }));
}

describe('PasswordPolicy.check', () => {
  const p = policy();

  it.each<[string, string, { username?: string; displayName?: string }, PasswordProblem[]]>([
    ['a long mixed password', 'Tuanjie2026gonghui', {}, []],
    ['exactly the minimum length', 'gh7k2m4q', {}, []],
    ['seven characters', 'abc1234', {}, ['too_short']],
    ['letters only', 'gonghuibangfu', {}, ['needs_digit']],
    ['digits only', '73950284617', {}, ['needs_letter']],
    ['a SecLists top-1000 entry', 'password1', {}, ['common']],
    ['a SecLists entry in other case', 'PassWord1', {}, ['common']],
    ['a common Chinese password', 'woaini1314', {}, ['common']],
    ['a common Chinese password with letters and digits', 'qq123456', {}, ['common']],
    ['the username itself plus digits', 'zhangsan2026', { username: 'zhangsan' }, ['contains_username']],
    ['the username in other case', 'ZhangSan2026', { username: 'zhangsan' }, ['contains_username']],
    ['a pinyin display name inside', 'liuxiang88a', { displayName: 'LiuXiang' }, ['contains_display_name']],
    ['a two-letter name is not checked', 'li7395qwz', { username: 'li' }, []],
    ['Chinese letters count as letters', '工会帮扶2026年', {}, []],
    [
      'several problems at once',
      'abc',
      { username: 'abc' },
      ['too_short', 'needs_digit', 'contains_username'],
    ],
  ])('%s', (_name, password, context, expected) => {
    expect(p.check(password, context)).toEqual(expected);
  });

  it('rejects passwords longer than maxLength', () => {
    expect(p.check(`a1${'x'.repeat(200)}`)).toEqual(['too_long']);
  });

  it('uses the configured minimum length', () => {
    const strict = policy({ minLength: 12 });
    expect(strict.check('gonghui2026')).toEqual(['too_short']);
    expect(strict.check('gonghui2026x')).toEqual([]);
  });
});

describe('PasswordPolicy.assertAcceptable', () => {
  it('throws PASSWORD_POLICY_VIOLATION with the problem codes and no password', () => {
    let caught: unknown;
    try {
      policy().assertAcceptable('12345678', { username: 'wangfang' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DomainError);
    const error = caught as DomainError;
    expect(error.code).toBe('PASSWORD_POLICY_VIOLATION');
    expect(error.details).toEqual({ problems: ['needs_letter', 'common'], minLength: 8 });
    expect(JSON.stringify(error.details)).not.toContain('12345678');
  });

  it('accepts a good password silently', () => {
    expect(() => policy().assertAcceptable('Gonghui-2026', { username: 'wangfang' })).not.toThrow();
  });
});

describe('common password list file', () => {
  it('ships the SecLists top 1000 plus Chinese passwords, comments skipped', () => {
    const p = policy();
    for (const word of ['123456', 'qwerty', 'iloveyou', '5201314', 'woaini', 'a123456', 'zxc123456']) {
      expect(p.isCommon(word)).toBe(true);
    }
    expect(p.isCommon('# Source: SecLists (MIT), 10-million-password-list-top-1000')).toBe(false);
  });

  it('parses one entry a line, lower-cased, ignoring # comments and blank lines', () => {
    const set = parseCommonPasswords('# header\nAbc123\n\n  qwerty  \r\n#x\n');
    expect([...set]).toEqual(['abc123', 'qwerty']);
  });
});

describe('PasswordPolicy.isExpired (staff password age)', () => {
  const p = policy();
  const changed = new Date('2026-01-01T00:00:00Z');

  it.each<[string, 'staff' | 'worker' | 'partner', number, boolean]>([
    ['staff, 89 days old', 'staff', 89, false],
    ['staff, exactly 90 days old', 'staff', 90, true],
    ['staff, 200 days old', 'staff', 200, true],
    ['worker, 200 days old (workers do not expire)', 'worker', 200, false],
    ['partner, 200 days old', 'partner', 200, false],
  ])('%s', (_name, kind, ageDays, expired) => {
    const now = new Date(changed.getTime() + ageDays * DAY);
    expect(p.isExpired({ kind, passwordChangedAt: changed }, now)).toBe(expired);
  });

  it('reports when a staff password expires, and never when maxAgeDays is 0', () => {
    expect(p.expiresAt({ kind: 'staff', passwordChangedAt: changed })).toEqual(
      new Date('2026-04-01T00:00:00Z'),
    );
    const never = policy({ maxAgeDays: 0 });
    expect(never.isExpired({ kind: 'staff', passwordChangedAt: changed }, new Date('2030-01-01'))).toBe(
      false,
    );
  });
});
