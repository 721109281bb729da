import { isValidStorageKey, newStorageKey } from './object-storage';

describe('storage keys', () => {
  it('makes <prefix>/<yyyy>/<mm>/<uuid> keys in UTC that pass validation', () => {
    const key = newStorageKey('archive-evidence', new Date('2026-12-31T23:30:00+08:00'));
    expect(key).toMatch(/^archive-evidence\/2026\/12\/[0-9a-f-]{36}$/);
    expect(isValidStorageKey(key)).toBe(true);
  });

  it('never repeats a key', () => {
    const now = new Date();
    expect(newStorageKey('x', now)).not.toBe(newStorageKey('x', now));
  });

  it('refuses a prefix that is not a plain lower-case word', () => {
    expect(() => newStorageKey('../etc', new Date())).toThrow();
    expect(() => newStorageKey('a/b', new Date())).toThrow();
  });

  it.each([
    ['archive-evidence/2026/03/5f0c3a4e-1b2c-4d5e-8f90-a1b2c3d4e5f6', true],
    ['a/b', true],
    ['', false],
    ['single', false],
    ['../etc/passwd', false],
    ['a/../../b', false],
    ['a/./b', false],
    ['/etc/passwd', false],
    ['a//b', false],
    ['a/b/', false],
    ['a\\..\\b', false],
    ['a/身份证.jpg', false],
    ['a/b.pdf', false],
    ['A/B', false],
    ['a/b\u0000c', false],
    [`a/${'b'.repeat(199)}`, false],
  ])('%j valid: %s', (key, valid) => {
    expect(isValidStorageKey(key)).toBe(valid);
  });
});
