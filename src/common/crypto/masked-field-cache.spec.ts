import { Logger } from '@nestjs/common';
import { FieldCipher } from './field-cipher';
import { MaskedFieldCache } from './masked-field-cache';
import { UnreadableFieldError } from './unreadable-field.error';

const ROW_A = { table: 'archives', column: 'head_id_number_ciphertext', rowId: 'a' };
const ROW_B = { ...ROW_A, rowId: 'b' };
const ID = '11010519491231002X';

function setup(maxEntries?: number) {
  const cipher = new FieldCipher({
    keys: { k1: Buffer.alloc(32, 1) },
    activeKeyId: 'k1',
    blindIndexKey: Buffer.alloc(32, 0x42),
  });
  const decrypt = jest.spyOn(cipher, 'decrypt');
  return { cipher, decrypt, cache: new MaskedFieldCache(cipher, maxEntries) };
}

describe('MaskedFieldCache', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('masks as the kind says, and decrypts a token at a place only once', () => {
    const { cipher, decrypt, cache } = setup();
    const token = cipher.encrypt(ID, ROW_A);
    expect(cache.masked('id_number', token, ROW_A)).toBe('110***********002X');
    expect(cache.masked('id_number', token, ROW_A)).toBe('110***********002X');
    expect(decrypt).toHaveBeenCalledTimes(1);
    const phone = cipher.encrypt('13812342210', ROW_A);
    expect(cache.masked('phone', phone, ROW_A)).toBe('138****2210');
  });

  it('answers null for no token without decrypting', () => {
    const { decrypt, cache } = setup();
    expect(cache.masked('phone', null, ROW_A)).toBeNull();
    expect(cache.masked('phone', '', ROW_A)).toBeNull();
    expect(decrypt).not.toHaveBeenCalled();
  });

  it('is bound by the ciphertext: a new token for the same place is decrypted again', () => {
    const { cipher, decrypt, cache } = setup();
    expect(cache.masked('id_number', cipher.encrypt(ID, ROW_A), ROW_A)).toBe('110***********002X');
    expect(cache.masked('id_number', cipher.encrypt('110105194912310037', ROW_A), ROW_A)).toBe(
      '110***********0037',
    );
    expect(decrypt).toHaveBeenCalledTimes(2);
  });

  it('is bound by the place: a token that decrypted for one row still fails for another, every time', () => {
    const { cipher, cache } = setup();
    const token = cipher.encrypt(ID, ROW_A);
    expect(cache.masked('id_number', token, ROW_A)).toBe('110***********002X');
    expect(() => cache.masked('id_number', token, ROW_B)).toThrow(UnreadableFieldError);
    expect(() => cache.masked('id_number', token, ROW_B)).toThrow(UnreadableFieldError);
    expect(() => cache.masked('id_number', token, { ...ROW_A, column: 'bank_account_ciphertext' })).toThrow(
      UnreadableFieldError,
    );
  });

  it('keeps no failure and no plaintext', () => {
    const { cipher, cache } = setup();
    const token = cipher.encrypt(ID, ROW_A);
    expect(() => cache.masked('id_number', token, ROW_B)).toThrow(UnreadableFieldError);
    expect(cache.size).toBe(0);
    cache.masked('id_number', token, ROW_A);
    const kept = JSON.stringify([...(cache as unknown as { entries: Map<string, unknown> }).entries]);
    expect(kept).not.toContain(ID);
    expect(kept).not.toContain('19491231');
  });

  it('holds at most its size, dropping the oldest', () => {
    const { cipher, decrypt, cache } = setup(2);
    const rows = ['r1', 'r2', 'r3'].map((rowId) => ({ ...ROW_A, rowId }));
    const tokens = rows.map((row) => cipher.encrypt(ID, row));
    rows.forEach((row, i) => cache.masked('id_number', tokens[i], row));
    expect(cache.size).toBe(2);
    cache.masked('id_number', tokens[2], rows[2]);
    expect(decrypt).toHaveBeenCalledTimes(3);
    cache.masked('id_number', tokens[0], rows[0]);
    expect(decrypt).toHaveBeenCalledTimes(4);
  });
});
