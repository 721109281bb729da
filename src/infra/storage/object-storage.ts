import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';

/** Injection token of the configured ObjectStorage adapter. */
export const OBJECT_STORAGE = Symbol('OBJECT_STORAGE');

export interface PutOptions {
  /** Refuse (StorageError `too_large`) and keep nothing once the content passes this many bytes. */
  maxBytes?: number;
  /** The detected media type; adapters that keep metadata (object stores) store it, the disk ignores it. */
  contentType?: string;
}

export interface StoredObject {
  size: number;
  /** Lower-case hex SHA-256 of the stored bytes, computed while they were written. */
  sha256: string;
}

/**
 * Where uploaded files live, behind one interface so the local disk can later be swapped for an object
 * store (MinIO, OSS) without touching callers. Keys are made by `newStorageKey`, never from user input;
 * the database row that references a key is the source of truth for name, type and owner.
 *
 * Contract (every adapter): `put` is atomic — a reader sees the whole object or nothing, and a failed or
 * refused put leaves nothing behind; a key is written once (`exists` error on reuse); `get` of a missing
 * key fails with `not_found`; `delete` of a missing key is a no-op.
 */
export interface ObjectStorage {
  put(key: string, content: Readable | Buffer, options?: PutOptions): Promise<StoredObject>;
  get(key: string): Promise<Readable>;
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

export type StorageErrorCode = 'invalid_key' | 'not_found' | 'exists' | 'too_large';

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StorageError';
  }
}

/**
 * `<prefix>/<yyyy>/<mm>/<uuid>`: lower-case words and digits only, so a key is always a safe relative
 * path. The month folders keep directories small and make retention sweeps by age cheap.
 */
export const STORAGE_KEY_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\/[a-z0-9]+(?:-[a-z0-9]+)*){1,7}$/;
const MAX_KEY_LENGTH = 200;
const PREFIX_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function newStorageKey(prefix: string, now: Date): string {
  if (!PREFIX_PATTERN.test(prefix)) throw new Error(`newStorageKey: bad prefix ${JSON.stringify(prefix)}`);
  const year = String(now.getUTCFullYear());
  const month = String(now.getUTCMonth() + 1).padStart(2, '0');
  return `${prefix}/${year}/${month}/${randomUUID()}`;
}

export function isValidStorageKey(key: string): boolean {
  return key.length <= MAX_KEY_LENGTH && STORAGE_KEY_PATTERN.test(key);
}

export function assertValidStorageKey(key: string): void {
  if (!isValidStorageKey(key)) throw new StorageError('invalid_key', '存储键格式无效');
}
