import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  hkdfSync,
  KeyObject,
  randomBytes,
} from 'node:crypto';
import { normalizeIdNumber } from '../validation/id-number';
import { normalizeMobile } from '../validation/mobile';

/**
 * Field-level encryption of personal data at rest (DESIGN §4): AES-256-GCM with key ids for rotation,
 * plus HMAC-SHA256 blind indexes for equality lookup.
 *
 * Token: `v2:<keyId>:<iv>:<ciphertext>:<tag>` — base64url without padding, a fresh random 12-byte IV per
 * call, a 16-byte tag. The additional authenticated data is the header `v2:<keyId>` and where the value is
 * stored — table, column and row id (FieldContext) — so the header cannot be edited, and a ciphertext
 * copied to another row or column no longer decrypts there. Decryption uses the key named in the token, so
 * retired keys keep decrypting after rotation; `needsRotation` / `rotate` move values to the active key.
 *
 * `v1` tokens (header-only AAD, from before values were bound to their place) are refused by `decrypt`;
 * only `decryptUnbound` reads them, for the migration that re-encrypts them as `v2`.
 *
 * Blind index: HMAC-SHA256 (lowercase hex, 64 chars) of the normalised value, keyed by a per-purpose subkey
 * HKDF-SHA256(blindIndexKey, info = purpose). The same value under two purposes gives unrelated indexes.
 * Rotating blindIndexKey means recomputing every index from the decrypted values.
 *
 * Errors (`FieldCipherError`) never contain plaintext, tokens or key material.
 */

export type FieldCipherErrorCode =
  | 'invalid_config'
  | 'invalid_input'
  | 'malformed_token'
  | 'unknown_key'
  | 'authentication_failed'
  | 'unbound_token';

export class FieldCipherError extends Error {
  constructor(
    readonly code: FieldCipherErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FieldCipherError';
  }
}

export interface FieldCipherOptions {
  /** Key id → 32-byte AES-256 key. Ids: 1–32 of `[A-Za-z0-9_-]`, starting with a letter or digit. */
  keys: Record<string, Buffer>;
  /** The key new values are encrypted under. */
  activeKeyId: string;
  /** ≥ 32 bytes, different from every encryption key. */
  blindIndexKey: Buffer;
}

/** Where an encrypted value is stored: the row id, table and column it belongs to. */
export interface FieldContext {
  table: string;
  column: string;
  rowId: string;
}

export type BlindIndexNormalizer = (value: string) => string;

/**
 * Normalisation per blind-index purpose; must match what validation stores, or lookups miss.
 * - id_number: NFKC, whitespace removed, uppercase (`11010519491231002x` → `…002X`)
 * - phone: NFKC, spaces/dashes removed, +86 / 0086 / 86 prefix dropped (`+86 138-1234-2210` → `13812342210`)
 * - bank_account: NFKC, spaces/dashes removed
 */
export const BLIND_INDEX_NORMALIZERS = {
  id_number: normalizeIdNumber,
  phone: normalizeMobile,
  bank_account: (value: string) => value.normalize('NFKC').replace(/[\s-]+/g, ''),
} as const satisfies Record<string, BlindIndexNormalizer>;

export type BlindIndexPurpose = keyof typeof BLIND_INDEX_NORMALIZERS;

export const KEY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
const PURPOSE_PATTERN = /^[a-z][a-z0-9_.-]{0,63}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const LONE_SURROGATE = /\p{Cs}/u;
const TOKEN_VERSION = 'v2';
const UNBOUND_TOKEN_VERSION = 'v1';
const FIELD_NAME_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;
const MAX_ROW_ID_LENGTH = 200;
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const BLIND_INDEX_SALT = 'bangfu.blind-index.v1';

export class FieldCipher {
  readonly activeKeyId: string;
  readonly #keys = new Map<string, KeyObject>();
  readonly #blindIndexKey: KeyObject;
  readonly #subkeys = new Map<string, KeyObject>();

  constructor(options: FieldCipherOptions) {
    const entries = Object.entries(options.keys ?? {});
    if (entries.length === 0) throw new FieldCipherError('invalid_config', 'FieldCipher: no encryption keys');
    for (const [keyId, key] of entries) {
      if (!KEY_ID_PATTERN.test(keyId)) {
        throw new FieldCipherError('invalid_config', `FieldCipher: invalid key id '${keyId}'`);
      }
      if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
        throw new FieldCipherError(
          'invalid_config',
          `FieldCipher: key '${keyId}' must be exactly ${KEY_BYTES} bytes`,
        );
      }
      this.#keys.set(keyId, createSecretKey(Buffer.from(key)));
    }
    if (!this.#keys.has(options.activeKeyId)) {
      throw new FieldCipherError(
        'invalid_config',
        `FieldCipher: active key id '${options.activeKeyId}' is not in the keyring`,
      );
    }
    const { blindIndexKey } = options;
    if (!Buffer.isBuffer(blindIndexKey) || blindIndexKey.length < KEY_BYTES) {
      throw new FieldCipherError(
        'invalid_config',
        `FieldCipher: blind index key must be at least ${KEY_BYTES} bytes`,
      );
    }
    if (entries.some(([, key]) => key.equals(blindIndexKey))) {
      throw new FieldCipherError(
        'invalid_config',
        'FieldCipher: blind index key must differ from every encryption key',
      );
    }
    this.activeKeyId = options.activeKeyId;
    this.#blindIndexKey = createSecretKey(Buffer.from(blindIndexKey));
  }

  /** `plaintext` encrypted for the place `field` names (table, column, row id); only there does it decrypt. */
  encrypt(plaintext: string, field: FieldContext): string {
    const aad = boundAad(`${TOKEN_VERSION}:${this.activeKeyId}`, field);
    if (typeof plaintext !== 'string')
      throw new FieldCipherError('invalid_input', 'FieldCipher: plaintext must be a string');
    if (LONE_SURROGATE.test(plaintext)) {
      throw new FieldCipherError('invalid_input', 'FieldCipher: plaintext is not well-formed Unicode');
    }
    const header = `${TOKEN_VERSION}:${this.activeKeyId}`;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key(this.activeKeyId), iv, {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(aad);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      header,
      iv.toString('base64url'),
      ciphertext.toString('base64url'),
      tag.toString('base64url'),
    ].join(':');
  }

  /**
   * The plaintext of a token stored at `field`. Fails (`authentication_failed`) for a token tampered with,
   * under other key material, or written for another table, column or row; `unbound_token` for a v1 token.
   */
  decrypt(token: string, field: FieldContext): string {
    const parsed = parseToken(token);
    if (parsed.version !== TOKEN_VERSION) {
      throw new FieldCipherError(
        'unbound_token',
        'FieldCipher: token is not bound to its table, column and row (v1); run the migrations',
      );
    }
    return this.#open(parsed, boundAad(parsed.header, field));
  }

  /** A v1 token (AAD: its header only), for the migration that rebinds them; refuses v2 tokens. */
  decryptUnbound(token: string): string {
    const parsed = parseToken(token);
    if (parsed.version !== UNBOUND_TOKEN_VERSION) {
      throw new FieldCipherError('malformed_token', 'FieldCipher: malformed token (not a v1 token)');
    }
    return this.#open(parsed, Buffer.from(parsed.header, 'utf8'));
  }

  #open({ keyId, iv, ciphertext, tag }: ParsedToken, aad: Buffer): string {
    const decipher = createDecipheriv('aes-256-gcm', this.#key(keyId), iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new FieldCipherError(
        'authentication_failed',
        `FieldCipher: token under key '${keyId}' failed authentication (tampered, or wrong key material)`,
      );
    }
  }

  /** True when the token is not a v2 token under the active key (throws on a malformed token). */
  needsRotation(token: string): boolean {
    const { version, keyId } = parseToken(token);
    return version !== TOKEN_VERSION || keyId !== this.activeKeyId;
  }

  /** The token (v1 or v2) re-encrypted as v2 under the active key for `field`, or the same token when it already is. */
  rotate(token: string, field: FieldContext): string {
    if (!this.needsRotation(token)) return token;
    const plaintext =
      parseToken(token).version === TOKEN_VERSION ? this.decrypt(token, field) : this.decryptUnbound(token);
    return this.encrypt(plaintext, field);
  }

  /**
   * Deterministic lookup index of `value` for `purpose`. Known purposes (BLIND_INDEX_NORMALIZERS) bring
   * their own normalisation; any other purpose must pass `normalize` explicitly, so a misspelt purpose
   * fails loudly instead of silently producing indexes nothing matches.
   */
  blindIndex(
    value: string,
    purpose: BlindIndexPurpose | (string & Record<never, never>),
    normalize?: BlindIndexNormalizer,
  ): string {
    if (!PURPOSE_PATTERN.test(purpose)) {
      throw new FieldCipherError('invalid_input', `FieldCipher: invalid blind index purpose '${purpose}'`);
    }
    const normalizer =
      normalize ??
      (Object.hasOwn(BLIND_INDEX_NORMALIZERS, purpose)
        ? BLIND_INDEX_NORMALIZERS[purpose as BlindIndexPurpose]
        : undefined);
    if (!normalizer) {
      throw new FieldCipherError(
        'invalid_input',
        `FieldCipher: unknown blind index purpose '${purpose}' (pass a normaliser for custom purposes)`,
      );
    }
    if (typeof value !== 'string')
      throw new FieldCipherError('invalid_input', 'FieldCipher: value must be a string');
    const normalized = normalizer(value);
    if (normalized.length === 0) {
      throw new FieldCipherError(
        'invalid_input',
        'FieldCipher: cannot index an empty value (store a null index)',
      );
    }
    return createHmac('sha256', this.#subkey(purpose)).update(normalized, 'utf8').digest('hex');
  }

  #key(keyId: string): KeyObject {
    const key = this.#keys.get(keyId);
    if (!key) throw new FieldCipherError('unknown_key', `FieldCipher: unknown key id '${keyId}'`);
    return key;
  }

  #subkey(purpose: string): KeyObject {
    let subkey = this.#subkeys.get(purpose);
    if (!subkey) {
      subkey = createSecretKey(
        Buffer.from(hkdfSync('sha256', this.#blindIndexKey, BLIND_INDEX_SALT, purpose, 32)),
      );
      this.#subkeys.set(purpose, subkey);
    }
    return subkey;
  }
}

interface ParsedToken {
  version: string;
  keyId: string;
  header: string;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

function parseToken(token: string): ParsedToken {
  const malformed = (why: string) =>
    new FieldCipherError('malformed_token', `FieldCipher: malformed token (${why})`);
  if (typeof token !== 'string') throw malformed('not a string');
  const parts = token.split(':');
  if (parts.length !== 5) throw malformed('expected 5 colon-separated parts');
  const [version, keyId, ivPart, ciphertextPart, tagPart] = parts;
  if (version !== TOKEN_VERSION && version !== UNBOUND_TOKEN_VERSION) throw malformed('unsupported version');
  if (!KEY_ID_PATTERN.test(keyId)) throw malformed('invalid key id');
  const iv = decodeBase64Url(ivPart);
  const ciphertext = decodeBase64Url(ciphertextPart);
  const tag = decodeBase64Url(tagPart);
  if (!iv || iv.length !== IV_BYTES) throw malformed('bad IV');
  if (!ciphertext) throw malformed('bad ciphertext encoding');
  if (!tag || tag.length !== TAG_BYTES) throw malformed('bad tag');
  return { version, keyId, header: `${version}:${keyId}`, iv, ciphertext, tag };
}

/** The AAD of a v2 token: its header and the place it is stored, NUL-separated (no part may hold a NUL). */
function boundAad(header: string, field: FieldContext): Buffer {
  const invalid = (why: string) =>
    new FieldCipherError('invalid_input', `FieldCipher: invalid field context (${why})`);
  if (typeof field !== 'object' || field === null) throw invalid('missing');
  if (!FIELD_NAME_PATTERN.test(field.table)) throw invalid('table');
  if (!FIELD_NAME_PATTERN.test(field.column)) throw invalid('column');
  if (
    typeof field.rowId !== 'string' ||
    field.rowId.length === 0 ||
    field.rowId.length > MAX_ROW_ID_LENGTH ||
    field.rowId.includes('\u0000')
  ) {
    throw invalid('row id');
  }
  return Buffer.from([header, field.table, field.column, field.rowId].join('\u0000'), 'utf8');
}

/** Strict: only the base64url alphabet, no padding, and the canonical encoding of the bytes. */
function decodeBase64Url(text: string): Buffer | null {
  if (!BASE64URL.test(text)) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}

/**
 * Decodes a standard base64 key (with padding, canonical). Throws an error naming `label` but never the value.
 * `exactBytes` or `minBytes` constrain the decoded length.
 */
export function parseBase64Key(
  value: string,
  options: { label: string; exactBytes?: number; minBytes?: number },
): Buffer {
  const problem = base64KeyProblem(value, options);
  if (problem) throw new FieldCipherError('invalid_config', `${options.label}: ${problem}`);
  return Buffer.from(value.trim(), 'base64');
}

function base64KeyProblem(value: string, options: { exactBytes?: number; minBytes?: number }): string | null {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text.length === 0) return 'missing';
  const bytes = Buffer.from(text, 'base64');
  if (!BASE64.test(text) || bytes.toString('base64') !== text) return 'not valid base64';
  if (options.exactBytes !== undefined && bytes.length !== options.exactBytes) {
    return `must decode to exactly ${options.exactBytes} bytes (got ${bytes.length})`;
  }
  if (options.minBytes !== undefined && bytes.length < options.minBytes) {
    return `must decode to at least ${options.minBytes} bytes (got ${bytes.length})`;
  }
  return null;
}

/**
 * `k1:<base64 32 bytes>,k2:<base64 32 bytes>` → `{ k1: Buffer, k2: Buffer }`. Whitespace around entries is
 * ignored. Every problem is reported in one FieldCipherError('invalid_config'); key material is never quoted.
 */
export function parseKeyring(spec: string): Record<string, Buffer> {
  if (typeof spec !== 'string' || spec.trim().length === 0) {
    throw new FieldCipherError(
      'invalid_config',
      'keyring: empty (expected <keyId>:<base64 32-byte key>[,…])',
    );
  }
  const keys: Record<string, Buffer> = {};
  const problems: string[] = [];
  spec.split(',').forEach((rawEntry, index) => {
    const entry = rawEntry.trim();
    const position = `entry ${index + 1}`;
    const colon = entry.indexOf(':');
    if (colon < 0) {
      problems.push(`${position}: expected <keyId>:<base64 key>`);
      return;
    }
    const keyId = entry.slice(0, colon).trim();
    if (!KEY_ID_PATTERN.test(keyId)) {
      problems.push(`${position}: invalid key id (1–32 of A-Z a-z 0-9 _ -, starting with a letter or digit)`);
      return;
    }
    if (Object.hasOwn(keys, keyId)) {
      problems.push(`${position}: duplicate key id '${keyId}'`);
      return;
    }
    const problem = base64KeyProblem(entry.slice(colon + 1), { exactBytes: KEY_BYTES });
    if (problem) {
      problems.push(`${position} (key '${keyId}'): ${problem}`);
      return;
    }
    keys[keyId] = Buffer.from(entry.slice(colon + 1).trim(), 'base64');
  });
  if (problems.length > 0) throw new FieldCipherError('invalid_config', `keyring: ${problems.join('; ')}`);
  return keys;
}

/** A new random 32-byte key, base64 — for `parseKeyring` specs and the blind index key. */
export function generateKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}
