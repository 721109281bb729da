import { Logger } from '@nestjs/common';
import type { FieldCipher, FieldContext } from './field-cipher';
import { UnreadableFieldError } from './unreadable-field.error';

const logger = new Logger('FieldCipher');

/**
 * The plaintext of a stored encrypted field. A token that does not decrypt is logged with where it is
 * stored (table, column, row id; never the token or any plaintext) and becomes UnreadableFieldError: a
 * damaged value fails the request instead of being shown as a made-up placeholder.
 */
export function decryptField(cipher: FieldCipher, token: string, field: FieldContext): string {
  try {
    return cipher.decrypt(token, field);
  } catch (error) {
    logger.error(
      { table: field.table, column: field.column, rowId: field.rowId, err: error },
      '加密字段无法解密',
    );
    throw new UnreadableFieldError(field, { cause: error });
  }
}
