import { allowedStatusPairs } from '../../../src/modules/archives/workflow/archive-transitions.rule';
import { forceArchiveStatus } from '../../helpers/archive-status';
import { createArchive } from '../../helpers/factories/archives.factory';
import { createOrgUnit } from '../../helpers/factories/users.factory';
import { createTestDatabase, TestDatabase } from '../../helpers/test-database';

/**
 * The database's own guard on archive statuses: a write that bypasses the workflow service (raw SQL here)
 * cannot move an archive between statuses the workflow table does not connect.
 */
describe('archive status transitions in the database (real PostgreSQL)', () => {
  let db: TestDatabase;
  let unitId: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    unitId = (await createOrgUnit(db.dataSource, { name: '南京某某厂工会', regionCode: '320102' })).id;
  });

  afterAll(async () => {
    await db?.drop();
  });

  const statusOf = async (id: string): Promise<string> =>
    (
      (await db.dataSource.query(`SELECT status FROM archives WHERE id = $1`, [id])) as { status: string }[]
    )[0].status;

  it('archive_status_transitions holds exactly the moves of the workflow table', async () => {
    const rows: { from_status: string; to_status: string }[] = await db.dataSource.query(
      `SELECT from_status, to_status FROM archive_status_transitions ORDER BY 1, 2`,
    );
    expect(rows.map((r) => `${r.from_status}>${r.to_status}`).sort()).toEqual(
      allowedStatusPairs()
        .map(([from, to]) => `${from}>${to}`)
        .sort(),
    );
  });

  it.each([
    ['draft', 'active'],
    ['draft', 'rejected'],
    ['submitted', 'active'],
    ['rejected', 'draft'],
    ['exited', 'active'],
    ['cancelled', 'draft'],
  ])('a raw UPDATE from %s to %s is refused (23514), the row keeps its status', async (from, to) => {
    const { archive } = await createArchive(db.dataSource, { orgUnitId: unitId, status: from as never });
    await expect(
      db.dataSource.query(`UPDATE archives SET status = $2 WHERE id = $1`, [archive.id, to]),
    ).rejects.toMatchObject({ code: '23514', constraint: 'archive_status_transition' });
    expect(await statusOf(archive.id)).toBe(from);
  });

  it('转正 moves (active → submitted, back to active) need a conversion under way', async () => {
    const { archive } = await createArchive(db.dataSource, {
      orgUnitId: unitId,
      status: 'active',
      kind: 'temporary',
    });
    await expect(
      db.dataSource.query(`UPDATE archives SET status = 'submitted' WHERE id = $1`, [archive.id]),
    ).rejects.toMatchObject({ code: '23514' });
    await db.dataSource.query(
      `UPDATE archives SET status = 'submitted', conversion_requested_at = now() WHERE id = $1`,
      [archive.id],
    );
    await db.dataSource.query(
      `UPDATE archives SET status = 'active', conversion_requested_at = NULL WHERE id = $1`,
      [archive.id],
    );
    expect(await statusOf(archive.id)).toBe('active');
  });

  it('a raw UPDATE along an allowed pair, or touching other columns only, goes through', async () => {
    const { archive } = await createArchive(db.dataSource, { orgUnitId: unitId, status: 'draft' });
    await db.dataSource.query(`UPDATE archives SET status = 'submitted' WHERE id = $1`, [archive.id]);
    await db.dataSource.query(`UPDATE archives SET status = 'submitted', skills = '电工' WHERE id = $1`, [
      archive.id,
    ]);
    expect(await statusOf(archive.id)).toBe('submitted');
  });

  it('forceArchiveStatus (fixtures only) skips the check once and leaves it on', async () => {
    const { archive } = await createArchive(db.dataSource, { orgUnitId: unitId, status: 'draft' });
    await forceArchiveStatus(db.dataSource, archive.id, 'active');
    expect(await statusOf(archive.id)).toBe('active');
    await expect(
      db.dataSource.query(`UPDATE archives SET status = 'draft' WHERE id = $1`, [archive.id]),
    ).rejects.toMatchObject({ code: '23514' });
  });
});
