import { base32Decode, base32Encode } from './base32';
import { hotp, matchTotp, otpauthUrl, totpAt, totpStep } from './totp';

const RFC_SECRET = Buffer.from('12345678901234567890', 'ascii');

describe('TOTP (RFC 6238 Appendix B, SHA-1)', () => {
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('T=%i → %s (8 digits) and its last 6 digits', (seconds, expected) => {
    const at = new Date(seconds * 1000);
    expect(totpAt(RFC_SECRET, at, 8)).toBe(expected);
    expect(totpAt(RFC_SECRET, at)).toBe(expected.slice(2));
  });

  it('matches RFC 4226 Appendix D HOTP values', () => {
    expect([0, 1, 2, 3, 9].map((c) => hotp(RFC_SECRET, c))).toEqual([
      '755224',
      '287082',
      '359152',
      '969429',
      '520489',
    ]);
  });
});

describe('matchTotp', () => {
  const at = new Date(1111111111 * 1000);
  const step = totpStep(at);
  const codeAt = (delta: number) => hotp(RFC_SECRET, step + delta);

  it.each([
    ['the current code', 0, 1, step],
    ['the previous step inside a ±1 window', -1, 1, step - 1],
    ['the next step inside a ±1 window', 1, 1, step + 1],
    ['two steps back with a ±1 window', -2, 1, null],
    ['the previous step with window 0', -1, 0, null],
  ])('%s', (_name, delta, window, expected) => {
    expect(matchTotp(RFC_SECRET, codeAt(delta), at, window, null)).toBe(expected);
  });

  it('never accepts a step at or before the last used one (replay)', () => {
    expect(matchTotp(RFC_SECRET, codeAt(0), at, 1, step)).toBeNull();
    expect(matchTotp(RFC_SECRET, codeAt(-1), at, 1, step - 1)).toBeNull();
    expect(matchTotp(RFC_SECRET, codeAt(1), at, 1, step)).toBe(step + 1);
  });

  it('refuses malformed codes', () => {
    for (const code of ['', '12345', '1234567', 'abcdef', ' 081804']) {
      expect(matchTotp(RFC_SECRET, code, at, 1, null)).toBeNull();
    }
  });
});

describe('base32 and otpauth URL', () => {
  it('encodes the RFC secret as authenticator apps expect and round-trips', () => {
    expect(base32Encode(RFC_SECRET)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq')).toEqual(RFC_SECRET);
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(() => base32Decode('ABC1')).toThrow();
  });

  it('builds an otpauth URL with the URL-encoded Chinese issuer', () => {
    expect(otpauthUrl('帮扶', 'zhangsan', RFC_SECRET)).toBe(
      'otpauth://totp/%E5%B8%AE%E6%89%B6:zhangsan?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' +
        '&issuer=%E5%B8%AE%E6%89%B6&algorithm=SHA1&digits=6&period=30',
    );
  });
});
