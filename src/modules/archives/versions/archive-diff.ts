import type { ArchiveEntity } from '../archive.entity';
import type { ArchiveIncomeItemEntity, ArchiveMemberEntity } from '../archive-household.entities';
import type { FieldChange } from './archive-version.entity';

/**
 * A personal identifier in a snapshot: what may be shown (masked) and a fingerprint to compare by (the
 * blind index), so a corrected digit hidden by the mask still shows up as a change.
 */
export interface SensitiveValue {
  masked: string | null;
  fingerprint: string | null;
}

export type SnapshotValue = string | number | boolean | null | readonly string[] | SensitiveValue;

/** The archive flattened to field paths (`head.name`, `members.0.idNumber`, `incomeItems.1.monthlyAmountFen`). */
export interface ArchiveSnapshot {
  archiveId: string;
  version: number;
  fields: Record<string, SnapshotValue>;
}

export interface SnapshotSource {
  archive: ArchiveEntity;
  members: readonly ArchiveMemberEntity[];
  incomeItems: readonly ArchiveIncomeItemEntity[];
}

/** Maps a stored personal identifier (ciphertext + blind index) to its masked form and fingerprint. */
export type SensitiveReader = (
  kind: 'id_number' | 'phone' | 'bank_account',
  ciphertext: string | null,
  blindIndex: string | null,
  /** Where the ciphertext is stored (to report a value that does not decrypt). */
  field: { table: string; column: string; rowId: string },
) => SensitiveValue;

/** Fields of the archive row the history tracks (workflow timestamps included, audit columns not). */
const TRACKED: readonly (keyof ArchiveEntity)[] = [
  'archiveNo',
  'kind',
  'category',
  'status',
  'orgUnitId',
  'ownerUserId',
  'employer',
  'employmentStatus',
  'address',
  'regionCode',
  'housingType',
  'housingAreaSqm',
  'hasVehicle',
  'hasSecondProperty',
  'hasBusinessLicence',
  'assetNotes',
  'causes',
  'primaryCause',
  'householdSituation',
  'causeDescription',
  'skills',
  'jobWishes',
  'stateOfMind',
  'dibaoCertificateNo',
  'incidentOn',
  'incidentIncomeLossFen',
  'incidentExpenseFen',
  'householdSize',
  'monthlyIncomeFen',
  'perCapitaIncomeFen',
  'flags',
  'submittedBy',
  'submittedAt',
  'appliedOn',
  'noticeStartsOn',
  'noticeEndsOn',
  'activatedAt',
  'lastVerifiedAt',
  'relapseWatchUntil',
  'conversionRequestedAt',
  'nextVisitDueOn',
  'transferToUnitId',
  'statusBeforeTransfer',
];

/** Paths as the API names them where they differ from the column (head fields live under `head.`). */
const RENAMED: Partial<Record<keyof ArchiveEntity, string>> = {
  employer: 'head.employer',
  employmentStatus: 'head.employmentStatus',
};

function plain(value: unknown): SnapshotValue {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value as string);
}

export function snapshotArchive(source: SnapshotSource, read: SensitiveReader): ArchiveSnapshot {
  const a = source.archive;
  const fields: Record<string, SnapshotValue> = {};
  for (const key of TRACKED) fields[RENAMED[key] ?? key] = plain(a[key]);
  fields['head.name'] = a.headName;
  fields['head.idNumber'] = read('id_number', a.headIdNumberCiphertext, a.headIdNumberBlindIndex, {
    table: 'archives',
    column: 'head_id_number_ciphertext',
    rowId: a.id,
  });
  fields['head.birthDate'] = a.headBirthDate;
  fields['head.gender'] = a.headGender;
  fields['head.phone'] = read('phone', a.headPhoneCiphertext, a.headPhoneBlindIndex, {
    table: 'archives',
    column: 'head_phone_ciphertext',
    rowId: a.id,
  });
  fields['head.monthlyIncomeFen'] = a.headMonthlyIncomeFen;
  fields['head.bankAccount'] = read('bank_account', a.bankAccountCiphertext, null, {
    table: 'archives',
    column: 'bank_account_ciphertext',
    rowId: a.id,
  });
  source.members.forEach((m, i) => {
    const p = `members.${i}`;
    fields[`${p}.relation`] = m.relation;
    fields[`${p}.name`] = m.name;
    fields[`${p}.idNumber`] = read('id_number', m.idNumberCiphertext, m.idNumberBlindIndex, {
      table: 'archive_members',
      column: 'id_number_ciphertext',
      rowId: m.id,
    });
    fields[`${p}.birthDate`] = m.birthDate;
    fields[`${p}.gender`] = m.gender;
    fields[`${p}.occupation`] = m.occupation;
    fields[`${p}.monthlyIncomeFen`] = m.monthlyIncomeFen;
    fields[`${p}.health`] = m.health;
    fields[`${p}.schoolingStage`] = m.schoolingStage;
  });
  source.incomeItems.forEach((item, i) => {
    const p = `incomeItems.${i}`;
    fields[`${p}.kind`] = item.kind;
    fields[`${p}.monthlyAmountFen`] = item.monthlyAmountFen;
    fields[`${p}.note`] = item.note;
  });
  return { archiveId: a.id, version: a.version, fields };
}

function isSensitive(value: SnapshotValue | undefined): value is SensitiveValue {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'masked' in value;
}

function display(value: SnapshotValue | undefined): unknown {
  if (value === undefined) return null;
  return isSensitive(value) ? value.masked : value;
}

function same(a: SnapshotValue | undefined, b: SnapshotValue | undefined): boolean {
  if (isSensitive(a) || isSensitive(b)) {
    const fa = isSensitive(a) ? a.fingerprint : null;
    const fb = isSensitive(b) ? b.fingerprint : null;
    return fa === fb;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => v === b[i]);
  }
  return (a ?? null) === (b ?? null);
}

/**
 * Field-level diff between two snapshots: every path whose value changed (a path present on one side
 * only compares against null). Personal identifiers appear masked; they are compared by fingerprint.
 * `before` null means the archive was created: every non-empty field is listed from null.
 */
export function diffArchives(
  before: ArchiveSnapshot | null,
  after: ArchiveSnapshot,
): Record<string, FieldChange> {
  const diff: Record<string, FieldChange> = {};
  const paths = new Set([...Object.keys(before?.fields ?? {}), ...Object.keys(after.fields)]);
  for (const path of [...paths].sort()) {
    const from = before?.fields[path];
    const to = after.fields[path];
    if (same(from, to)) continue;
    if (
      !before &&
      (to === null || (Array.isArray(to) && to.length === 0) || (isSensitive(to) && to.fingerprint === null))
    )
      continue;
    diff[path] = { from: display(from), to: display(to) };
  }
  return diff;
}
