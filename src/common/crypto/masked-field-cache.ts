import { Injectable } from '@nestjs/common';
import { maskBankAccount, maskIdNumber, maskPhone } from '../masking';
import { decryptField } from './decrypt-field';
import { FieldCipher, FieldContext } from './field-cipher';

export type MaskedKind = 'id_number' | 'phone' | 'bank_account';

const MASKS: Record<MaskedKind, (plain: string) => string | null> = {
  id_number: maskIdNumber,
  phone: maskPhone,
  bank_account: maskBankAccount,
};

/** Entries kept; past this the oldest are dropped (a list page of 100 rows needs 100). */
export const MASKED_FIELD_CACHE_SIZE = 10_000;

/**
 * The masked form (`110***********002X`) of stored ciphertexts, so that a list page read again and again
 * does not decrypt (AES-GCM) and mask the same tokens on every request: that was 6% of the CPU profile of
 * GET /archives and of GET /me.
 *
 * Bound by the ciphertext: the key is the whole token (random IV and tag) plus the place it is stored
 * (table, column, row id) and the kind of mask, so a hit is the very token that already decrypted at that
 * very place; a changed value is a new token, and a token copied to another row or column is a miss that
 * goes through decryption and fails there as before. Only successful decryptions are kept, and only their
 * masked form: no plaintext outlives the call. At most MASKED_FIELD_CACHE_SIZE entries (oldest dropped).
 */
@Injectable()
export class MaskedFieldCache {
  private readonly entries = new Map<string, string | null>();

  constructor(
    private readonly cipher: FieldCipher,
    private readonly maxEntries = MASKED_FIELD_CACHE_SIZE,
  ) {}

  /** `token` decrypted for `field` and masked as `kind`; null for no token. Throws UnreadableFieldError. */
  masked(kind: MaskedKind, token: string | null | undefined, field: FieldContext): string | null {
    if (!token) return null;
    const key = `${kind}\u0000${field.table}\u0000${field.column}\u0000${field.rowId}\u0000${token}`;
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    const value = MASKS[kind](decryptField(this.cipher, token, field));
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, value);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
