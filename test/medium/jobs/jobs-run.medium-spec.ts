import { FakeClock } from '../../../src/common/clock/clock';
import { JOB_RUN_AUDIT_ACTION, runJobOnce, UnknownJobError } from '../../../src/job-runner';
import { JobName } from '../../../src/infra/queue/jobs';
import { createArchive } from '../../helpers/factories/archives.factory';
import { createOrgUnit } from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';

/** `npm run jobs:run -- <name>` does what the schedule would, now, and the run is audited as the system. */
describe('running a scheduled job once (jobs:run)', () => {
  let t: TestApp;
  const clock = new FakeClock('2026-03-16T10:00:00+08:00');

  beforeAll(async () => {
    t = await createTestApp({ clock });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function jobRunRows() {
    return t.db.dataSource.query(
      `SELECT outcome, actor_id, actor_username, actor_kind, target_type, target_id, details
       FROM audit_logs WHERE action = $1 ORDER BY id`,
      [JOB_RUN_AUDIT_ACTION],
    );
  }

  it('activates an archive whose notice ended, at once, audited as the system', async () => {
    const unit = await createOrgUnit(t.db.dataSource, { regionCode: '330106' });
    const { archive } = await createArchive(t.db.dataSource, {
      orgUnitId: unit.id,
      status: 'publicizing',
      noticeStartsOn: '2026-03-06',
      noticeEndsOn: '2026-03-12',
    });

    const report = await runJobOnce(t.app, JobName.ArchivesActivatePublicized, 'ops.zhang');
    expect(report).toMatchObject({ job: 'archives.activate-publicized', outcome: 'success' });

    const [row] = await t.db.dataSource.query(`SELECT status, archive_no FROM archives WHERE id = $1`, [
      archive.id,
    ]);
    expect(row.status).toBe('active');
    expect(row.archive_no).toMatch(/^330106-2026-\d{5}$/);
    expect(await jobRunRows()).toEqual([
      {
        outcome: 'success',
        actor_id: null,
        actor_username: 'system',
        actor_kind: 'system',
        target_type: 'job',
        target_id: 'archives.activate-publicized',
        details: { trigger: 'manual', operator: 'ops.zhang', durationMs: expect.any(Number) },
      },
    ]);
    // The activation itself carries the system as its actor, as a scheduled run's does.
    const [activation] = await t.db.dataSource.query(
      `SELECT actor_kind, actor_username FROM audit_logs WHERE target_id = $1 AND action LIKE 'archive.%'
       ORDER BY id DESC LIMIT 1`,
      [archive.id],
    );
    expect(activation).toEqual({ actor_kind: 'system', actor_username: 'system' });
  });

  it('refuses an unknown job name and lists the ones it knows; nothing is audited', async () => {
    const before = (await jobRunRows()).length;
    const error = await runJobOnce(t.app, 'archives.activate', 'ops.zhang').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownJobError);
    expect((error as UnknownJobError).known).toEqual(expect.arrayContaining(Object.values(JobName)));
    expect((await jobRunRows()).length).toBe(before);
  });
});
