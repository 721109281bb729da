import { forceArchiveStatus } from '../../helpers/archive-status';
import { Logger } from '@nestjs/common';
import { archiveField, memberField, UnreadableFieldError } from '../../../src/common/crypto';
import { DomainError } from '../../../src/common/errors';
import { createOrgUnit } from '../../helpers/factories/users.factory';
import { findUnmaskedPersonalData } from '../../../src/common/masking';
import type { Principal } from '../../../src/modules/auth/principal';
import {
  ListArchivesQueryDto,
  RevealArchiveFieldDto,
} from '../../../src/modules/archives/dto/archive-actions.dto';
import { UpdateArchiveDto } from '../../../src/modules/archives/dto/archive-input.dto';
import type { ArchiveDetailDto } from '../../../src/modules/archives/dto/archive.response.dto';
import {
  ArchivesTestContext,
  auditRows,
  createArchivesContext,
  createDto,
  dto,
  householdPlain,
  idNumber,
  staffAt,
  workerAt,
} from './data-fixtures';

/** The error a promise rejects with, for asserting code and details. */
async function failure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

function codesOf(error: DomainError): string[] {
  return (error.details as { violations: { code: string; field: string }[] }).violations.map(
    (v) => `${v.field}:${v.code}`,
  );
}

describe('Archives — create, update, read (real PostgreSQL)', () => {
  let t: ArchivesTestContext;
  /** Caseworker of the 南京 grassroots unit (grassrootsA). */
  let caseworker: Principal;
  /** Caseworker at 苏州 city B: not in scope of grassrootsA. */
  let otherCaseworker: Principal;
  let reviewerCityA: Principal;

  beforeAll(async () => {
    t = await createArchivesContext();
    caseworker = staffAt(t.tree.grassrootsA, ['caseworker']);
    otherCaseworker = staffAt(t.tree.cityB, ['caseworker']);
    reviewerCityA = staffAt(t.tree.cityA, ['reviewer']);
  });

  afterAll(async () => {
    await t?.close();
  });

  const update = (principal: Principal, id: string, plain: Record<string, unknown>) =>
    t.archives.update(principal, id, dto(UpdateArchiveDto, plain));

  describe('create', () => {
    it('a caseworker enters a draft: derived head facts, computed figures, masked identifiers, version 1', async () => {
      const plain = householdPlain({ hasVehicle: true });
      const created = await t.archives.create(caseworker, createDto(plain));
      const head = plain.head as { idNumber: string };
      expect(created).toMatchObject({
        status: 'draft',
        kind: 'formal',
        category: 'dibao',
        orgUnitId: t.tree.grassrootsA.id,
        orgUnitName: '南京熊猫电子集团工会',
        ownerUserId: null,
        householdSize: 3,
        monthlyIncomeFen: 180_000 + 50_000 + 30_000,
        perCapitaIncomeFen: Math.floor(260_000 / 3),
        flags: ['asset_vehicle'],
        version: 1,
        createdBy: caseworker.userId,
        housingAreaSqm: 48.5,
      });
      expect(created.head).toMatchObject({
        name: '王建国',
        idNumber: `${head.idNumber.slice(0, 3)}***********${head.idNumber.slice(14)}`,
        birthDate: '1968-05-12',
        gender: 'male',
        age: 58,
        phone: '138****2210',
        bankAccount: '***************0128',
      });
      expect(created.members.map((m) => [m.relation, m.birthDate, m.gender, m.age])).toEqual([
        ['spouse', '1970-02-03', 'female', 56],
        ['child', '2009-09-01', 'female', 17],
      ]);
      expect(created.fiveClears.every((s) => s.clear)).toBe(true);
      expect(findUnmaskedPersonalData(JSON.stringify(created))).toEqual([]);

      const [audit] = await auditRows(t.db.dataSource, { action: 'archive.create', targetId: created.id });
      expect(audit).toMatchObject({ outcome: 'success', actor_id: caseworker.userId });
      const versions = await t.db.dataSource.query(
        `SELECT version, action, changed_by, diff FROM archive_versions WHERE archive_id = $1`,
        [created.id],
      );
      expect(versions).toHaveLength(1);
      expect(versions[0]).toMatchObject({ version: 1, action: 'create', changed_by: caseworker.userId });
      expect(versions[0].diff['head.idNumber'].to).toBe(created.head.idNumber);
      expect(versions[0].diff['members.1.name']).toEqual({ from: null, to: '王小红' });
      expect(findUnmaskedPersonalData(JSON.stringify(versions))).toEqual([]);
    });

    it('stores only ciphertext and blind indexes: raw SQL shows no ID number, phone or bank account', async () => {
      const plain = householdPlain();
      const head = plain.head as { idNumber: string; phone: string; bankAccount: string };
      const memberId = (plain.members as { idNumber: string }[])[0].idNumber;
      const created = await t.archives.create(caseworker, createDto(plain));

      const [row] = await t.db.dataSource.query(`SELECT * FROM archives WHERE id = $1`, [created.id]);
      const members = await t.db.dataSource.query(`SELECT * FROM archive_members WHERE archive_id = $1`, [
        created.id,
      ]);
      const raw = JSON.stringify({ row, members });
      for (const secret of [head.idNumber, head.phone, head.bankAccount, memberId]) {
        expect(raw).not.toContain(secret);
      }
      expect(findUnmaskedPersonalData(raw)).toEqual([]);
      expect(row.head_id_number_ciphertext).not.toBe(head.idNumber);
      expect(
        t.cipher.decrypt(row.head_id_number_ciphertext, archiveField(created, 'head_id_number_ciphertext')),
      ).toBe(head.idNumber);
      expect(
        t.cipher.decrypt(row.head_phone_ciphertext, archiveField(created, 'head_phone_ciphertext')),
      ).toBe(head.phone);
      expect(
        t.cipher.decrypt(row.bank_account_ciphertext, archiveField(created, 'bank_account_ciphertext')),
      ).toBe(head.bankAccount);
      expect(row.head_id_number_blind_index).toBe(t.cipher.blindIndex(head.idNumber, 'id_number'));
      expect(members[0].id_number_blind_index).toBe(t.cipher.blindIndex(memberId, 'id_number'));
      expect(t.cipher.decrypt(members[0].id_number_ciphertext, memberField(members[0]))).toBe(memberId);
    });

    it('a worker applies for itself: its own grassroots unit, itself as owner', async () => {
      const worker = await workerAt(t.db.dataSource, t.tree.grassrootsB);
      const created = await t.archives.create(worker, createDto({ regionCode: '320505' }));
      expect(created).toMatchObject({
        status: 'draft',
        orgUnitId: t.tree.grassrootsB.id,
        ownerUserId: worker.userId,
        createdBy: worker.userId,
      });
      const refused = await failure(
        t.archives.create(worker, createDto({ orgUnitId: t.tree.grassrootsA.id })),
      );
      expect(refused.code).toBe('NOT_OWNER');
    });

    it('a caseworker may enter the archive for a worker account of the unit, not of another unit', async () => {
      const worker = await workerAt(t.db.dataSource, t.tree.grassrootsA);
      const created = await t.archives.create(caseworker, createDto({ ownerUserId: worker.userId }));
      expect(created.ownerUserId).toBe(worker.userId);

      const elsewhere = await workerAt(t.db.dataSource, t.tree.grassrootsB);
      const refused = await failure(
        t.archives.create(caseworker, createDto({ ownerUserId: elsewhere.userId })),
      );
      expect(refused.code).toBe('ARCHIVE_OWNER_INVALID');
    });

    it('refuses a unit outside the caseworker’s scope (audited) and a unit that is not grassroots', async () => {
      const outside = await failure(
        t.archives.create(otherCaseworker, createDto({ orgUnitId: t.tree.grassrootsA.id })),
      );
      expect(outside.code).toBe('OUT_OF_SCOPE');
      const denied = await auditRows(t.db.dataSource, { action: 'access.denied' });
      expect(denied.at(-1)).toMatchObject({
        actor_id: otherCaseworker.userId,
        details: expect.objectContaining({ action: 'archives.create', code: 'OUT_OF_SCOPE' }),
      });

      const district = staffAt(t.tree.districtA, ['caseworker']);
      const notGrassroots = await failure(t.archives.create(district, createDto()));
      expect(notGrassroots.code).toBe('ARCHIVE_ORG_UNIT_INVALID');
      const below = await t.archives.create(district, createDto({ orgUnitId: t.tree.grassrootsA.id }));
      expect(below.orgUnitId).toBe(t.tree.grassrootsA.id);
    });

    it('422 with every identity problem and its field path; nothing is written', async () => {
      const before = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM archives`);
      const plain = householdPlain();
      (plain.head as Record<string, unknown>).gender = 'female';
      const members = plain.members as Record<string, unknown>[];
      members[1].relation = 'parent';
      members[1].schoolingStage = 'college';
      const error = await failure(t.archives.create(caseworker, createDto(plain)));
      expect(error.code).toBe('ARCHIVE_RULES_FAILED');
      expect(codesOf(error)).toEqual([
        'head.gender:GENDER_MISMATCH',
        'members.1.relation:RELATION_AGE_IMPLAUSIBLE',
      ]);
      const after = await t.db.dataSource.query(`SELECT count(*)::int AS n FROM archives`);
      expect(after[0].n).toBe(before[0].n);
    });
  });

  describe('update', () => {
    let created: ArchiveDetailDto;
    beforeEach(async () => {
      created = await t.archives.create(caseworker, createDto());
    });

    it('a new phone and bank account sent on update are stored encrypted under the active key, never in clear', async () => {
      const phone = '13912345678';
      const bankAccount = '6217000010012345677';
      const updated = await update(caseworker, created.id, { version: 1, head: { phone, bankAccount } });
      expect(updated.head).toMatchObject({ phone: '139****5678', bankAccount: '***************5677' });
      expect(findUnmaskedPersonalData(JSON.stringify(updated))).toEqual([]);

      const [row] = await t.db.dataSource.query(
        `SELECT head_phone_ciphertext, head_phone_blind_index, bank_account_ciphertext FROM archives WHERE id = $1`,
        [created.id],
      );
      const header = new RegExp(`^v\\d+:${t.cipher.activeKeyId}:`);
      expect(row.head_phone_ciphertext).toMatch(header);
      expect(row.bank_account_ciphertext).toMatch(header);
      expect(JSON.stringify(row)).not.toContain(phone);
      expect(JSON.stringify(row)).not.toContain(bankAccount);
      expect(findUnmaskedPersonalData(JSON.stringify(row))).toEqual([]);
      expect(
        t.cipher.decrypt(row.head_phone_ciphertext, archiveField(created, 'head_phone_ciphertext')),
      ).toBe(phone);
      expect(
        t.cipher.decrypt(row.bank_account_ciphertext, archiveField(created, 'bank_account_ciphertext')),
      ).toBe(bankAccount);
      expect(row.head_phone_blind_index).toBe(t.cipher.blindIndex(phone, 'phone'));
    });

    it('a ciphertext copied to another archive, or to another column, does not decrypt there: the read fails, logged', async () => {
      const other = await t.archives.create(
        caseworker,
        createDto(
          householdPlain({
            head: { ...(householdPlain().head as object), idNumber: idNumber('1975-01-01', 'male') },
            members: [],
          }),
        ),
      );
      const [original] = await t.db.dataSource.query(
        `SELECT head_phone_ciphertext, head_id_number_ciphertext FROM archives WHERE id = $1`,
        [created.id],
      );
      const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      try {
        // The other archive's phone, as a whole valid token, written into this archive's row.
        await t.db.dataSource.query(
          `UPDATE archives SET head_phone_ciphertext = (SELECT head_phone_ciphertext FROM archives WHERE id = $2) WHERE id = $1`,
          [created.id, other.id],
        );
        const copiedRow = await t.archives.get(reviewerCityA, created.id).catch((e: unknown) => e);
        expect(copiedRow).toBeInstanceOf(UnreadableFieldError);
        expect((copiedRow as UnreadableFieldError).field).toEqual(
          archiveField(created, 'head_phone_ciphertext'),
        );
        // A member's ID number token moved into the head's ID number column of the same archive.
        await t.db.dataSource.query(
          `UPDATE archives SET head_id_number_ciphertext = (SELECT id_number_ciphertext FROM archive_members WHERE archive_id = $1 ORDER BY position LIMIT 1) WHERE id = $1`,
          [created.id],
        );
        const copiedColumn = await t.archives.get(reviewerCityA, created.id).catch((e: unknown) => e);
        expect(copiedColumn).toBeInstanceOf(UnreadableFieldError);
        expect((copiedColumn as UnreadableFieldError).field).toEqual(
          archiveField(created, 'head_id_number_ciphertext'),
        );
        expect(logged).toHaveBeenCalledWith(
          expect.objectContaining(archiveField(created, 'head_id_number_ciphertext')),
          '加密字段无法解密',
        );
        // The token is fine where it belongs.
        await expect(t.archives.get(reviewerCityA, other.id)).resolves.toMatchObject({
          head: { phone: '138****2210' },
        });
      } finally {
        logged.mockRestore();
        // Later tests list every archive in scope: leave this one readable.
        await t.db.dataSource.query(
          `UPDATE archives SET head_phone_ciphertext = $2, head_id_number_ciphertext = $3 WHERE id = $1`,
          [created.id, original.head_phone_ciphertext, original.head_id_number_ciphertext],
        );
      }
    });

    it('a stored identifier that does not decrypt fails the read and is logged with its row, never shown as a placeholder', async () => {
      const [{ bank_account_ciphertext: token }] = await t.db.dataSource.query(
        `SELECT bank_account_ciphertext FROM archives WHERE id = $1`,
        [created.id],
      );
      const parts = (token as string).split(':');
      parts[3] = parts[3].startsWith('A') ? `B${parts[3].slice(1)}` : `A${parts[3].slice(1)}`;
      await t.db.dataSource.query(`UPDATE archives SET bank_account_ciphertext = $2 WHERE id = $1`, [
        created.id,
        parts.join(':'),
      ]);
      const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      try {
        const field = { table: 'archives', column: 'bank_account_ciphertext', rowId: created.id };
        const error = await t.archives.get(reviewerCityA, created.id).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(UnreadableFieldError);
        expect((error as UnreadableFieldError).field).toEqual(field);
        await expect(update(caseworker, created.id, { version: 1, skills: '电工' })).rejects.toBeInstanceOf(
          UnreadableFieldError,
        );
        expect(logged).toHaveBeenCalledWith(expect.objectContaining(field), '加密字段无法解密');
        expect(JSON.stringify(logged.mock.calls)).not.toContain(token);
      } finally {
        logged.mockRestore();
      }
    });

    it('replaces members and income items, recomputes figures, keeps member ids matched by id or ID number', async () => {
      const spouse = created.members[0];
      const newChild = idNumber('2015-03-01', 'male');
      const updated = await update(caseworker, created.id, {
        version: 1,
        head: { monthlyIncomeFen: 120_000, phone: null },
        members: [
          {
            id: spouse.id,
            relation: 'spouse',
            name: '李秀英',
            monthlyIncomeFen: 0,
            health: 'serious_illness',
            schoolingStage: 'none',
          },
          {
            relation: 'child',
            name: '王小明',
            idNumber: newChild,
            monthlyIncomeFen: 0,
            health: 'healthy',
            schoolingStage: 'primary',
          },
        ],
        incomeItems: [],
        hasSecondProperty: true,
      });
      expect(updated.version).toBe(2);
      expect(updated.members.map((m) => m.name)).toEqual(['李秀英', '王小明']);
      expect(updated.members[0].id).toBe(spouse.id);
      expect(updated.members[0].idNumber).toBe(spouse.idNumber);
      expect(updated).toMatchObject({
        householdSize: 3,
        monthlyIncomeFen: 120_000,
        perCapitaIncomeFen: 40_000,
        flags: ['asset_second_property'],
        incomeItems: [],
      });
      expect(updated.head.phone).toBeNull();

      const [version2] = await t.db.dataSource.query(
        `SELECT diff, action, changed_by FROM archive_versions WHERE archive_id = $1 AND version = 2`,
        [created.id],
      );
      expect(version2).toMatchObject({ action: 'update', changed_by: caseworker.userId });
      expect(version2.diff['head.monthlyIncomeFen']).toEqual({ from: 180_000, to: 120_000 });
      expect(version2.diff['head.phone']).toEqual({ from: '138****2210', to: null });
      expect(version2.diff['members.1.name']).toEqual({ from: '王小红', to: '王小明' });
      expect(version2.diff['members.0.monthlyIncomeFen']).toEqual({ from: 50_000, to: 0 });
      expect(version2.diff['incomeItems.0.monthlyAmountFen']).toEqual({ from: 30_000, to: null });
      expect(version2.diff['members.1.idNumber'].to).toMatch(/^\d{3}\*{11}\d{3}[\dX]$/);
      expect(findUnmaskedPersonalData(JSON.stringify(version2))).toEqual([]);
      const [audit] = await auditRows(t.db.dataSource, { action: 'archive.update', targetId: created.id });
      expect(audit.details).toMatchObject({ version: 2, status: 'draft' });
      expect((audit.details.fields as string[]).includes('head.monthlyIncomeFen')).toBe(true);
    });

    it('loads an archive inside a transaction one query at a time (one connection runs one query)', async () => {
      const created = await t.archives.create(caseworker, createDto(householdPlain()));
      let inFlight = 0;
      let maxInFlight = 0;
      await t.db.dataSource.transaction(async (manager) => {
        const runner = manager.queryRunner!;
        const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
        // Counts overlapping queries on the transaction's connection (pg warns: "already executing a query").
        (runner as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = async (
          ...args
        ) => {
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          try {
            return await query(...args);
          } finally {
            inFlight -= 1;
          }
        };
        const loaded = await t.archives.loadForUpdate(manager, created.id);
        expect(loaded.members).toHaveLength(created.members.length);
        expect(loaded.orgUnit.id).toBe(t.tree.grassrootsA.id);
      });
      expect(maxInFlight).toBe(1);
    });

    it('409 on a stale version: the second of two edits from the same read loses, nothing is overwritten', async () => {
      await update(caseworker, created.id, { version: 1, skills: '电工、钳工' });
      const conflict = await failure(update(caseworker, created.id, { version: 1, skills: '无' }));
      expect(conflict.code).toBe('ARCHIVE_VERSION_CONFLICT');
      expect(conflict.details).toEqual({ currentVersion: 2 });
      const current = await t.archives.load(created.id);
      expect(current.skills).toBe('电工、钳工');
      expect(current.version).toBe(2);
    });

    it('two concurrent edits at the same version: exactly one wins', async () => {
      const results = await Promise.allSettled([
        update(caseworker, created.id, { version: 1, jobWishes: '白班' }),
        update(caseworker, created.id, { version: 1, jobWishes: '夜班' }),
      ]);
      const rejected = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(rejected).toHaveLength(1);
      expect((rejected[0].reason as DomainError).code).toBe('ARCHIVE_VERSION_CONFLICT');
      expect((await t.archives.load(created.id)).version).toBe(2);
    });

    it('a failed update leaves the archive exactly as it was (one transaction)', async () => {
      const before = await t.archives.load(created.id);
      const error = await failure(
        update(caseworker, created.id, {
          version: 1,
          stateOfMind: '有变化',
          members: [
            {
              relation: 'parent',
              name: '王老汉',
              idNumber: idNumber('1990-01-01'),
              monthlyIncomeFen: 0,
              health: 'healthy',
              schoolingStage: 'none',
            },
          ],
        }),
      );
      expect(codesOf(error)).toEqual(['members.0.relation:RELATION_AGE_IMPLAUSIBLE']);
      const after = await t.archives.load(created.id);
      expect(after.version).toBe(before.version);
      expect(after.stateOfMind).toBe(before.stateOfMind);
      expect(after.members.map((m) => m.id)).toEqual(before.members.map((m) => m.id));
      const versions = await t.db.dataSource.query(
        `SELECT count(*)::int AS n FROM archive_versions WHERE archive_id = $1`,
        [created.id],
      );
      expect(versions[0].n).toBe(1);
    });

    it('an unknown member id is refused', async () => {
      const error = await failure(
        update(caseworker, created.id, {
          version: 1,
          members: [
            {
              id: '00000000-0000-4000-8000-000000000000',
              relation: 'spouse',
              name: '李秀英',
              monthlyIncomeFen: 0,
              health: 'healthy',
              schoolingStage: 'none',
            },
          ],
        }),
      );
      expect(codesOf(error)).toEqual(['members.0.id:MEMBER_UNKNOWN']);
    });

    it('who may edit in which status', async () => {
      const worker = await workerAt(t.db.dataSource, t.tree.grassrootsA);
      const own = await t.archives.create(caseworker, createDto({ ownerUserId: worker.userId }));
      await expect(update(worker, own.id, { version: 1, skills: '会开叉车' })).resolves.toMatchObject({
        version: 2,
      });
      // Not the worker's archive.
      expect((await failure(update(worker, created.id, { version: 1, skills: 'x' }))).code).toBe('NOT_OWNER');
      // Out of scope.
      expect((await failure(update(otherCaseworker, created.id, { version: 1, skills: 'x' }))).code).toBe(
        'OUT_OF_SCOPE',
      );

      await forceArchiveStatus(t.db.dataSource, own.id, 'submitted');
      const submitted = await failure(update(worker, own.id, { version: 2, skills: '会开叉车、电焊' }));
      expect(submitted.code).toBe('ARCHIVE_NOT_EDITABLE');
      expect(submitted.details).toEqual({ status: 'submitted' });
      expect((await failure(update(caseworker, own.id, { version: 2, skills: 'x' }))).code).toBe(
        'ARCHIVE_NOT_EDITABLE',
      );

      await forceArchiveStatus(t.db.dataSource, own.id, 'active');
      expect((await failure(update(worker, own.id, { version: 2, skills: 'x' }))).code).toBe(
        'ARCHIVE_NOT_EDITABLE',
      );
      await expect(
        update(caseworker, own.id, { version: 2, skills: '会开叉车、电焊' }),
      ).resolves.toMatchObject({
        status: 'active',
        version: 3,
      });
    });

    it('editing an active archive re-runs every rule; category and income change only by a change request', async () => {
      await forceArchiveStatus(t.db.dataSource, created.id, 'active');
      const error = await failure(update(caseworker, created.id, { version: 1, skills: null }));
      expect(codesOf(error)).toEqual(['skills:FIVE_CLEARS_SKILLS_MISSING']);
      // Income and category decide the help: one caseworker's edit does not change them (变更申请).
      const review = await failure(
        update(caseworker, created.id, {
          version: 1,
          head: { monthlyIncomeFen: 400_000 },
          category: 'marginal',
        }),
      );
      expect(review.code).toBe('ARCHIVE_CHANGE_NEEDS_REVIEW');
      expect((review.details as { fields: string[] }).fields).toEqual(
        expect.arrayContaining(['category', 'head.monthlyIncomeFen', 'perCapitaIncomeFen']),
      );
    });
  });

  describe('reads', () => {
    it('get: masked, audited as a read; out of scope is refused and audited', async () => {
      const created = await t.archives.create(caseworker, createDto());
      const read = await t.archives.get(reviewerCityA, created.id);
      expect(read.id).toBe(created.id);
      expect(findUnmaskedPersonalData(JSON.stringify(read))).toEqual([]);
      const reads = await auditRows(t.db.dataSource, { action: 'archive.read', targetId: created.id });
      expect(reads).toHaveLength(1);
      expect(reads[0].actor_id).toBe(reviewerCityA.userId);

      expect((await failure(t.archives.get(otherCaseworker, created.id))).code).toBe('OUT_OF_SCOPE');
      const worker = await workerAt(t.db.dataSource, t.tree.grassrootsA);
      expect((await failure(t.archives.get(worker, created.id))).code).toBe('NOT_OWNER');
      const denied = await auditRows(t.db.dataSource, { action: 'access.denied', targetId: created.id });
      expect(denied.map((d) => d.actor_id)).toEqual([otherCaseworker.userId, worker.userId]);
      expect((await failure(t.archives.get(caseworker, '00000000-0000-4000-8000-000000000000'))).code).toBe(
        'ARCHIVE_NOT_FOUND',
      );
    });

    it('reveal: one identifier in clear for staff in scope, audited with the reason', async () => {
      const plain = householdPlain();
      const head = plain.head as { idNumber: string; phone: string; bankAccount: string };
      const child = (plain.members as { idNumber: string }[])[1].idNumber;
      const created = await t.archives.create(caseworker, createDto(plain));
      const reveal = (who: Principal, field: string, reason = '入户核实需核对证件') =>
        t.archives.reveal(who, created.id, dto(RevealArchiveFieldDto, { field, reason }));

      await expect(reveal(caseworker, 'headIdNumber')).resolves.toEqual({
        archiveId: created.id,
        field: 'headIdNumber',
        value: head.idNumber,
      });
      expect((await reveal(reviewerCityA, 'headPhone')).value).toBe(head.phone);
      expect((await reveal(caseworker, 'bankAccount')).value).toBe(head.bankAccount);
      expect((await reveal(caseworker, 'members.1.idNumber')).value).toBe(child);
      expect((await failure(reveal(caseworker, 'members.7.idNumber'))).code).toBe(
        'ARCHIVE_REVEAL_FIELD_EMPTY',
      );
      expect((await failure(reveal(otherCaseworker, 'headIdNumber'))).code).toBe('OUT_OF_SCOPE');
      expect((await failure(reveal(caseworker, 'headIdNumber', `核对 ${head.idNumber}`))).code).toBe(
        'ARCHIVE_REASON_CONTAINS_PERSONAL_DATA',
      );

      const audits = await auditRows(t.db.dataSource, { action: 'archive.reveal', targetId: created.id });
      expect(audits.map((a) => a.details.field)).toEqual([
        'headIdNumber',
        'headPhone',
        'bankAccount',
        'members.1.idNumber',
      ]);
      expect(audits[0].details.reason).toBe('入户核实需核对证件');
      expect(findUnmaskedPersonalData(JSON.stringify(audits))).toEqual([]);
    });

    it('list: scope, filters, masking; workers see only their own; the listing is audited', async () => {
      // A fresh grassroots unit under 苏州 so that other tests' archives do not count.
      const g = await createOrgUnit(t.db.dataSource, {
        parent: { ...t.tree.cityB, name: '苏州市总工会', parentId: t.tree.province.id },
        name: '苏州第二纺织厂工会',
        regionCode: '320505',
      });
      const unit = { id: g.id, path: g.path, level: g.level };
      const unitB = staffAt(unit, ['caseworker']);
      const worker = await workerAt(t.db.dataSource, unit);
      const mine = await t.archives.create(worker, createDto({ regionCode: '320505' }));
      const accident = await t.archives.create(
        unitB,
        createDto({
          category: 'accident',
          kind: 'temporary',
          causes: ['accident'],
          primaryCause: 'accident',
          hasBusinessLicence: true,
          head: { ...(householdPlain().head as object), name: '赵德胜' },
        }),
      );
      const list = (who: Principal, query: Record<string, unknown> = {}) =>
        t.archives.list(who, dto(ListArchivesQueryDto, { pageSize: 100, ...query }));

      const cityB = staffAt(unit, ['reviewer']);
      const all = await list(cityB);
      expect(all.items.map((i) => i.id).sort()).toEqual([mine.id, accident.id].sort());
      expect(all.total).toBe(2);
      expect(findUnmaskedPersonalData(JSON.stringify(all))).toEqual([]);
      expect(Object.keys(all.items[0]).sort()).toEqual(
        [
          'archiveNo',
          'category',
          'createdAt',
          'flags',
          'headIdNumber',
          'headName',
          'householdSize',
          'id',
          'kind',
          'orgUnitId',
          'orgUnitName',
          'perCapitaIncomeFen',
          'primaryCause',
          'status',
          'updatedAt',
          'version',
        ].sort(),
      );

      expect((await list(cityB, { category: 'accident' })).items.map((i) => i.id)).toEqual([accident.id]);
      expect((await list(cityB, { kind: 'temporary' })).items.map((i) => i.id)).toEqual([accident.id]);
      expect((await list(cityB, { cause: 'schooling' })).items.map((i) => i.id)).toEqual([mine.id]);
      expect((await list(cityB, { flag: 'asset_business' })).items.map((i) => i.id)).toEqual([accident.id]);
      expect((await list(cityB, { q: '赵德' })).items.map((i) => i.id)).toEqual([accident.id]);
      expect((await list(cityB, { q: '%' })).items).toEqual([]);
      expect((await list(cityB, { status: 'draft,active' })).total).toBe(2);
      expect((await list(cityB, { status: 'active' })).total).toBe(0);
      const cityReviewer = staffAt(t.tree.cityB, ['reviewer']);
      expect((await list(cityReviewer, { orgUnitId: g.id })).total).toBe(2);
      const inSibling = await t.archives.create(
        staffAt(t.tree.grassrootsB, ['caseworker']),
        createDto({ regionCode: '320505' }),
      );
      const wholeCity = (await list(cityReviewer)).items.map((i) => i.id);
      expect(wholeCity).toEqual(expect.arrayContaining([mine.id, accident.id, inSibling.id]));
      // A sibling unit's reviewer sees its own, none of these.
      const sibling = (await list(staffAt(t.tree.grassrootsB, ['reviewer']))).items.map((i) => i.id);
      expect(sibling).toContain(inSibling.id);
      expect(sibling).not.toContain(mine.id);
      expect(sibling).not.toContain(accident.id);
      expect((await list(cityB, { page: 2, pageSize: 1 })).items).toHaveLength(1);

      // City A's reviewer sees none of city B's archives, and may not filter on city B's units.
      const cityA = await list(reviewerCityA);
      expect(cityA.items.some((i) => i.orgUnitId === t.tree.grassrootsB.id)).toBe(false);
      expect((await failure(list(reviewerCityA, { orgUnitId: t.tree.grassrootsB.id }))).code).toBe(
        'OUT_OF_SCOPE',
      );

      const own = await list(worker);
      expect(own.items.map((i) => i.id)).toEqual([mine.id]);

      const audits = await auditRows(t.db.dataSource, { action: 'archive.list' });
      const last = audits.filter((a) => a.actor_id === worker.userId).at(-1);
      expect(last?.details).toMatchObject({ returned: 1, total: 1 });
      const searched = audits.find((a) => (a.details.filters as Record<string, unknown>).q === true);
      expect(JSON.stringify(searched)).not.toContain('赵德');
    });
  });
});
