import type { FieldContext } from './field-cipher';

/**
 * A stored encrypted field that does not decrypt (tampered, copied from another row or column, key
 * missing). It is never papered over with a placeholder: `decryptField` logs where it happened (table,
 * column, row — never the value) and throws this, so the request fails (500 with a correlation id) and
 * the log line names the damaged row for the operator.
 */
export class UnreadableFieldError extends Error {
  constructor(
    readonly field: FieldContext,
    options?: { cause?: unknown },
  ) {
    super(`encrypted field ${field.table}.${field.column} of row ${field.rowId} does not decrypt`, options);
    this.name = 'UnreadableFieldError';
  }
}
