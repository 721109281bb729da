import 'reflect-metadata';
import { loadConfig } from '../../../config';
import { PasswordHasher } from './password-hasher';

function hasher(hashing: Record<string, number> = {}): PasswordHasher {
  return new PasswordHasher(
    loadConfig({ env: { NODE_ENV: 'test' }, overrides: { auth: { password: { hashing } } } }),
  );
}

describe('PasswordHasher', () => {
  const h = hasher();

  it('hashes with argon2id and the configured OWASP parameters', async () => {
    const stored = await h.hash('Gonghui2026');
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(stored).not.toContain('Gonghui2026');
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await h.hash('Gonghui2026');
    await expect(h.verify(stored, 'Gonghui2026')).resolves.toBe(true);
    await expect(h.verify(stored, 'gonghui2026')).resolves.toBe(false);
  });

  it('salts: the same password hashes differently each time', async () => {
    expect(await h.hash('Gonghui2026')).not.toBe(await h.hash('Gonghui2026'));
  });

  it('answers false (does not throw) for a malformed stored hash', async () => {
    await expect(h.verify('not-a-hash', 'x')).resolves.toBe(false);
  });

  it('verifyDummy always fails and costs about as much as a real verification', async () => {
    const stored = await h.hash('Gonghui2026');
    await h.verifyDummy('warm-up');
    const time = async (fn: () => Promise<unknown>) => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < 8; i++) await fn();
      return Number(process.hrtime.bigint() - start) / 8;
    };
    const real = await time(() => h.verify(stored, 'wrong-password1'));
    const dummy = await time(() => h.verifyDummy('wrong-password1'));
    await expect(h.verifyDummy('Gonghui2026')).resolves.toBe(false);
    // The risk is a dummy that is much cheaper than a real check; the upper side is only noise here.
    expect(dummy / real).toBeGreaterThan(0.4);
  });

  it('asks for a rehash when the configured cost changed or the hash is not argon2id', async () => {
    const stored = await h.hash('Gonghui2026');
    expect(h.needsRehash(stored)).toBe(false);
    expect(hasher({ memoryCost: 32768 }).needsRehash(stored)).toBe(true);
    expect(hasher({ timeCost: 3 }).needsRehash(stored)).toBe(true);
    expect(h.needsRehash('$2b$10$abcdefghijklmnopqrstuv')).toBe(true);
  });
});
