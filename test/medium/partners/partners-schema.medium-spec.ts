import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { QueryFailedError } from 'typeorm';
import { FieldCipher } from '../../../src/common/crypto/field-cipher';
import { fieldCipherOptionsFrom } from '../../../src/config/crypto-config.check';
import { Partners1796490958152 } from '../../../src/database/migrations/1796490958152-Partners';
import { MIGRATIONS } from '../../../src/database/migrations';
import { DemoOrgTree, seedDemoOrgTree } from '../../../src/database/seeds/org-tree.seed';
import { PartnersRepository } from '../../../src/modules/partners/partners.repository';
import { PartnersService } from '../../../src/modules/partners/partners.service';
import { createPartner, randomCreditCode } from '../../helpers/factories/partners.factory';
import { createOrgUnit, createUser, hashPassword } from '../../helpers/factories/users.factory';
import { createTestDatabase, TestDatabase } from '../../helpers/test-database';
import { testConfig } from '../../helpers/test-env';

/** The constraint (or SQLSTATE) a failed statement names. */
async function violation(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof QueryFailedError) {
      const driverError = error.driverError as { code?: string; constraint?: string };
      return driverError.constraint ?? driverError.code ?? 'unknown';
    }
    throw error;
  }
  throw new Error('expected the statement to fail, it succeeded');
}

describe('partners schema (PostgreSQL)', () => {
  let db: TestDatabase;
  let tree: DemoOrgTree;
  let cipher: FieldCipher;
  let service: PartnersService;

  beforeAll(async () => {
    db = await createTestDatabase();
    tree = await db.dataSource.transaction((manager) => seedDemoOrgTree(manager));
    cipher = new FieldCipher(fieldCipherOptionsFrom(testConfig().crypto));
    // Only the reads for other modules are used here: they need the repository alone.
    service = new PartnersService(
      new PartnersRepository(db.dataSource),
      {} as never,
      {} as never,
      {} as never,
    );
  });

  afterAll(async () => {
    await db?.drop();
  });

  const unionPartners = (unitId: string) =>
    db.dataSource.query(
      `SELECT id, name, status, region_codes AS "regionCodes", categories FROM partners
        WHERE org_unit_id = $1 AND kind = 'union'`,
      [unitId],
    );

  describe('one union partner per unit', () => {
    it('gives every unit of the seeded tree exactly one approved union partner, named after it', async () => {
      for (const unit of Object.values(tree)) {
        const rows = await unionPartners(unit.id);
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({
          name: unit.name,
          status: 'approved',
          regionCodes: [unit.regionCode],
        });
        expect(rows[0].categories).toHaveLength(10);
      }
    });

    it('creates the union partner of a new unit in the transaction that inserts the unit', async () => {
      const unit = await createOrgUnit(db.dataSource, { parent: tree.xihu as never, regionCode: '330106' });
      expect(await unionPartners(unit.id)).toHaveLength(1);

      const rolledBack = randomUUID();
      await expect(
        db.dataSource.transaction(async (manager) => {
          await manager.query(
            `INSERT INTO org_units (id, parent_id, name, level, region_code, path) VALUES ($1, $2, '回滚的基层工会', 'grassroots', '330106', $3)`,
            [rolledBack, tree.xihu.id, `${tree.xihu.path}${rolledBack}/`],
          );
          expect(
            await manager.query(`SELECT 1 FROM partners WHERE org_unit_id = $1`, [rolledBack]),
          ).toHaveLength(1);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await unionPartners(rolledBack)).toHaveLength(0);
    });

    it('refuses a second union partner for a unit', async () => {
      await expect(
        violation(
          db.dataSource.query(
            `INSERT INTO partners (kind, name, org_unit_id, status) VALUES ('union', '第二个工会', $1, 'approved')`,
            [tree.xihu.id],
          ),
        ),
      ).resolves.toBe('uq_partners_union_unit');
    });

    it('PartnersService.unionPartnerOf finds it; an unknown unit is PARTNER_NOT_FOUND', async () => {
      const [row] = await unionPartners(tree.xihu.id);
      await expect(service.unionPartnerOf(tree.xihu.id)).resolves.toMatchObject({
        id: row.id,
        kind: 'union',
      });
      await expect(service.unionPartnerOf(randomUUID())).rejects.toMatchObject({ code: 'PARTNER_NOT_FOUND' });
    });
  });

  describe('constraints', () => {
    const insert = (values: Record<string, unknown>) => {
      const row = {
        kind: 'company',
        name: '某爱心企业',
        credit_code: randomCreditCode(),
        org_unit_id: tree.xihu.id,
        contact_name: '王联络',
        mobile_ciphertext: 'v2:placeholder',
        mobile_blind_index: 'a'.repeat(64),
        status: 'pending',
        ...values,
      };
      const columns = Object.keys(row);
      return db.dataSource.query(
        `INSERT INTO partners (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
        Object.values(row),
      );
    };

    it.each([
      ['an unknown kind', { kind: 'school' }, 'chk_partners_kind'],
      ['an unknown status', { status: 'active' }, 'chk_partners_status'],
      ['a company without a credit code', { credit_code: null }, 'chk_partners_credit_code_required'],
      ['a lower-case credit code', { credit_code: '91350100m000100y43' }, 'chk_partners_credit_code'],
      ['a credit code with an O', { credit_code: '91350100MO00100Y43' }, 'chk_partners_credit_code'],
      ['no contact person', { contact_name: null }, 'chk_partners_contact'],
      ['no mobile', { mobile_ciphertext: null }, 'chk_partners_contact'],
      ['a five-digit region code', { region_codes: ['33010'] }, 'chk_partners_region_codes'],
      ['an unknown category', { categories: ['fishing'] }, 'chk_partners_categories'],
      ['a blank name', { name: '  ' }, 'chk_partners_name'],
      ['an unknown unit', { org_unit_id: randomUUID() }, 'fk_partners_org_unit'],
    ])('refuses %s', async (_name, values, constraint) => {
      await expect(violation(insert(values))).resolves.toBe(constraint);
    });

    it('accepts a volunteer team without a credit code', async () => {
      await expect(insert({ kind: 'volunteer', credit_code: null })).resolves.toBeDefined();
    });

    it('refuses a second partner with the same credit code', async () => {
      const code = randomCreditCode();
      await insert({ credit_code: code });
      await expect(violation(insert({ credit_code: code }))).resolves.toBe('uq_partners_credit_code');
    });

    it('ties users.partner_id to a partner row, and partners cannot be deleted', async () => {
      const unit = await createOrgUnit(db.dataSource, { parent: tree.xihu as never });
      await expect(
        violation(
          createUser(db.dataSource, { kind: 'partner', roles: [], orgUnit: unit, partnerId: randomUUID() }),
        ),
      ).resolves.toBe('fk_users_partner');
      const partner = await createPartner(db.dataSource, cipher, unit.id);
      const { user } = await createUser(db.dataSource, {
        kind: 'partner',
        roles: [],
        orgUnit: unit,
        partnerId: partner.id,
      });
      expect(user.partnerId).toBe(partner.id);
      // The application's role may not delete a partner; the owner may not while an account names it.
      await expect(
        violation(db.dataSource.query(`DELETE FROM partners WHERE id = $1`, [partner.id])),
      ).resolves.toBe('42501');
      await expect(
        violation(db.owner.query(`DELETE FROM partners WHERE id = $1`, [partner.id])),
      ).resolves.toBe('fk_users_partner');
    });

    it('isActive is true for approved partners only', async () => {
      const statuses = ['pending', 'approved', 'rejected', 'suspended'] as const;
      const results = await Promise.all(
        statuses.map(async (status) => {
          const partner = await createPartner(db.dataSource, cipher, tree.xihu.id, { status });
          return service.isActive(partner.id);
        }),
      );
      expect(results).toEqual([false, true, false, false]);
      await expect(service.isActive(randomUUID())).resolves.toBe(false);
    });
  });

  describe('the migration on a database that already has units and partner accounts', () => {
    it('creates one union partner per existing unit and detaches accounts naming no partner', async () => {
      const fresh = await createTestDatabase();
      try {
        const migration = new Partners1796490958152();
        // Every later migration is taken down first, newest first (the aid ledger, offers, allocations …
        // refer to partners; nothing is in them yet), and put back after.
        const later = MIGRATIONS.slice(MIGRATIONS.indexOf(Partners1796490958152) + 1).map((M) => new M());
        const runner = fresh.owner.createQueryRunner();
        try {
          for (const step of [...later].reverse()) await step.down(runner);
          await migration.down(runner);
          const units = await fresh.owner.transaction((manager) => seedDemoOrgTree(manager));
          const dangling = randomUUID();
          const userId = randomUUID();
          await runner.query(
            `INSERT INTO users (id, username, display_name, kind, org_unit_id, partner_id, password_hash, password_changed_at, version)
             VALUES ($1, 'orphan.partner', '孤立合作方账号', 'partner', $2, $3, $4, now(), 1)`,
            [userId, units.xihu.id, dangling, await hashPassword('Tuanjie-2026-gh')],
          );
          await migration.up(runner);
          for (const step of later) await step.up(runner);

          const counts: { unit: string; n: number }[] = await runner.query(
            `SELECT u.id AS unit, count(p.id)::int AS n FROM org_units u
               LEFT JOIN partners p ON p.org_unit_id = u.id AND p.kind = 'union' GROUP BY u.id`,
          );
          expect(counts.length).toBe(Object.keys(units).length);
          expect(counts.every((c) => c.n === 1)).toBe(true);
          const [orphan] = await runner.query(
            `SELECT partner_id, disabled_at, disabled_reason, token_version FROM users WHERE id = $1`,
            [userId],
          );
          expect(orphan.partner_id).toBeNull();
          expect(orphan.disabled_at).not.toBeNull();
          expect(orphan.token_version).toBe(1);
        } finally {
          await runner.release();
        }
      } finally {
        await fresh.drop();
      }
    });
  });
});
