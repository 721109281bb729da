import { generateRecoveryCode, hashRecoveryCode, normalizeRecoveryCode } from './recovery-codes';

describe('recovery codes', () => {
  it('look like xxxxx-xxxxx from an unambiguous alphabet, and do not repeat', () => {
    const codes = Array.from({ length: 500 }, generateRecoveryCode);
    for (const code of codes) expect(code).toMatch(/^[a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it.each([
    ['K7M2P-X9QRT', 'k7m2px9qrt'],
    [' k7m2p x9qrt ', 'k7m2px9qrt'],
    ['k7m2px9qrt', 'k7m2px9qrt'],
  ])('normalises %j typed back', (typed, normalized) => {
    expect(normalizeRecoveryCode(typed)).toBe(normalized);
    expect(hashRecoveryCode(typed)).toBe(hashRecoveryCode('k7m2p-x9qrt'));
  });

  it('stores a SHA-256 hex digest, not the code', () => {
    const hash = hashRecoveryCode('k7m2p-x9qrt');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain('k7m2p');
  });
});
