import { createHash } from 'node:crypto';

/** `prev_hash` of the first row of the chain. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * What the hash of one audit row covers, in this fixed order (every column except `prev_hash` and
 * `hash` themselves):
 *
 *   hash = sha256_hex( prev_hash || canonical_json({
 *     id, occurredAt, actorId, actorUsername, actorKind, actorRoles, actorOrgUnitId,
 *     action, targetType, targetId, outcome, clientIp, requestId, details }) )
 *
 * - `id` as a decimal string (bigint), `occurredAt` as ISO 8601 UTC with milliseconds
 *   (`2026-03-02T01:00:00.000Z`): the application stores exactly that instant, so the database's
 *   microsecond column reads back to the same string;
 * - absent values as `null`, `actorRoles` in stored order;
 * - `details` with object keys sorted (jsonb does not keep key order), numbers as JavaScript prints them.
 *
 * The sealer (audit-sealer.ts) and the verifier (audit-chain.verifier.ts) both hash the row as stored
 * (`storedRowHash`), so a change here is a change of the chain format: old links would no longer verify.
 */
export interface HashedAuditFields {
  id: string;
  occurredAt: string;
  actorId: string | null;
  actorUsername: string | null;
  actorKind: string | null;
  actorRoles: readonly string[];
  actorOrgUnitId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  clientIp: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

const FIELD_ORDER: readonly (keyof HashedAuditFields)[] = [
  'id',
  'occurredAt',
  'actorId',
  'actorUsername',
  'actorKind',
  'actorRoles',
  'actorOrgUnitId',
  'action',
  'targetType',
  'targetId',
  'outcome',
  'clientIp',
  'requestId',
  'details',
];

export function auditRowHash(prevHash: string, fields: HashedAuditFields): string {
  const body = FIELD_ORDER.map((key) => `${JSON.stringify(key)}:${canonicalJson(fields[key] ?? null)}`);
  return createHash('sha256')
    .update(prevHash + `{${body.join(',')}}`, 'utf8')
    .digest('hex');
}

/**
 * JSON with object keys sorted at every level, so equal values always give equal text whatever order
 * the keys came in. Refuses what JSON cannot carry faithfully (NaN, Infinity, bigint, functions).
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number ${value}`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: cannot encode a ${typeof value}`);
  }
}

/** A row as read back from PostgreSQL: the time as the database's UTC text, to the microsecond. */
export type StoredHashedFields = Omit<HashedAuditFields, 'occurredAt'> & { occurredAtText: string };

/** The hash of a stored row linked after `prevHash`: what the sealer writes and the verifier recomputes. */
export function storedRowHash(prevHash: string, row: StoredHashedFields): string {
  // auditRowHash reads only the hashed fields (FIELD_ORDER): the stored extras are ignored.
  return auditRowHash(prevHash, { ...row, occurredAt: isoFromDatabase(row.occurredAtText) });
}

/**
 * `2026-03-02T01:00:00.123000` (UTC, microseconds) → `2026-03-02T01:00:00.123Z`. A time with a non-zero
 * microsecond part was never written by the application: keep all six digits so it cannot match.
 */
export function isoFromDatabase(text: string): string {
  return text.endsWith('000') ? `${text.slice(0, -3)}Z` : `${text}Z`;
}
