import {
  CREDIT_CODE_CHARSET,
  creditCodeCheckChar,
  normalizeCreditCode,
  parseCreditCode,
  type CreditCodeInvalidReason,
} from './credit-code.rule';

/** Real, published codes (the standard's own example first), all valid. */
const VALID = [
  ['the example of GB 32100-2015', '91350100M000100Y43'],
  ['华为技术有限公司', '914403001922038216'],
  ['深圳市腾讯计算机系统有限公司', '9144030071526726XG'],
  ['阿里巴巴（中国）有限公司', '91330100799655058B'],
  ['北京百度网讯科技有限公司', '91110000802100433B'],
  ['a public institution (事业单位, authority 1)', '12100000400000624D'],
] as const;

describe('parseCreditCode (GB 32100-2015)', () => {
  it.each(VALID)('accepts %s: %s', (_name, code) => {
    expect(parseCreditCode(code)).toEqual({ ok: true, creditCode: code });
  });

  it('has 31 characters: digits and capitals without I, O, S, V, Z', () => {
    expect(CREDIT_CODE_CHARSET).toHaveLength(31);
    for (const letter of 'IOSVZ') expect(CREDIT_CODE_CHARSET).not.toContain(letter);
  });

  describe('each position wrong (one character replaced by the next one of the charset)', () => {
    const [, code] = VALID[0];
    const cells = [...code].map((char, index) => {
      const next = CREDIT_CODE_CHARSET[(CREDIT_CODE_CHARSET.indexOf(char) + 1) % 31];
      const wrong = code.slice(0, index) + next + code.slice(index + 1);
      // In positions 3–8 a letter is not a region digit: caught before the check character.
      const reason: CreditCodeInvalidReason =
        index >= 2 && index <= 7 && /[A-Z]/.test(next) ? 'region' : 'checksum';
      return [index + 1, wrong, reason] as const;
    });
    it.each(cells)('position %i: %s → %s', (_position, wrong, reason) => {
      expect(parseCreditCode(wrong)).toEqual({ ok: false, reason });
    });
  });

  describe('lower case is the same code, normalised to upper case (phones type lower case)', () => {
    it.each([
      ['all lower', '91350100m000100y43'],
      ['mixed', '9144030071526726xG'],
      ['surrounded by spaces', '  91350100M000100Y43 '],
      ['with inner spaces', '9135 0100 M000 100Y 43'],
      ['full-width', '９１３５０１００Ｍ０００１００Ｙ４３'],
    ])('%s', (_name, input) => {
      const result = parseCreditCode(input);
      expect(result.ok).toBe(true);
      expect(result.ok && result.creditCode).toBe(normalizeCreditCode(input));
      expect(result.ok && result.creditCode).toMatch(/^[0-9A-Z]{18}$/);
    });
  });

  describe('the letters the standard leaves out (I O S V Z) are refused as charset, whatever the position', () => {
    const [, code] = VALID[0]; // 91350100M000100Y43: position 9 is a letter
    it.each(['I', 'O', 'S', 'V', 'Z'])('%s in position 9', (letter) => {
      expect(parseCreditCode(`${code.slice(0, 8)}${letter}${code.slice(9)}`)).toEqual({
        ok: false,
        reason: 'charset',
      });
    });
    it.each(['i', 'o', 's', 'v', 'z'])('lower-case %s in the check position', (letter) => {
      expect(parseCreditCode(`${code.slice(0, 17)}${letter}`)).toEqual({ ok: false, reason: 'charset' });
    });
    it('O for 0 in the region', () => {
      expect(parseCreditCode('9135O100M000100Y43')).toEqual({ ok: false, reason: 'charset' });
    });
  });

  it.each<[string, string, CreditCodeInvalidReason]>([
    ['empty', '', 'format'],
    ['17 characters', '91350100M000100Y4', 'format'],
    ['19 characters', '91350100M000100Y433', 'format'],
    ['punctuation', '91350100-000100Y43', 'format'],
    ['a 15-digit business licence number', '110108000000016', 'format'],
    ['a letter in the region', '91A50100M000100Y43', 'region'],
    ['a wrong check character', '91350100M000100Y44', 'checksum'],
    ['swapped neighbours', '19350100M000100Y43', 'checksum'],
  ])('refuses %s (%s) as %s', (_name, input, reason) => {
    expect(parseCreditCode(input)).toEqual({ ok: false, reason });
  });

  it('computes 0 for a sum that is a multiple of 31 (31 is written as 0)', () => {
    expect(creditCodeCheckChar('00000000000000000')).toBe('0');
  });
});
