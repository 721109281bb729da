import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { FakeClock } from '../../../src/common/clock/clock';
import type { Principal } from '../../../src/modules/auth/principal';
import { AllocationRunner } from '../../../src/modules/matching/allocations/allocation-runner';
import { AllocationsRepository } from '../../../src/modules/matching/allocations/allocations.repository';
import { AllocationsService } from '../../../src/modules/matching/allocations/allocations.service';
import type { AllocationStrategy } from '../../../src/modules/matching/allocation/instance';
import { createArchive, testCipher } from '../../helpers/factories/archives.factory';
import { createMenuItem } from '../../helpers/factories/menu.factory';
import { createOffer, OfferOverrides } from '../../helpers/factories/offers.factory';
import { createPartner } from '../../helpers/factories/partners.factory';
import { createOrgUnit, OrgUnitRow } from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { seedWorkflowTree, staff, WorkflowTree } from '../archives/workflow-fixtures';

/**
 * Batch allocation on a real PostgreSQL: the runner's three phases (candidates → solving → saving) called
 * one by one, so the data can change between them as it can while a job runs. Every solve's plan is
 * checked against the offers' capacity and the households' limits as stored, and optimal total = bound.
 */
describe('batch allocation: candidates, solve, saved plan', () => {
  let t: TestApp;
  let ds: DataSource;
  let runner: AllocationRunner;
  let repository: AllocationsRepository;
  let service: AllocationsService;
  let tree: WorkflowTree;
  let caseworker: Principal;
  let welderItem: string;
  let company: string;
  const clock = new FakeClock('2026-03-02T09:00:00+08:00');

  /** An open welder need of a household of `unit` (a new household unless `archiveId` is given). */
  const openNeed = async (
    unit: { id: string } = tree.grassroots,
    options: { archiveId?: string; urgency?: string; item?: string } = {},
  ): Promise<{ id: string; archiveId: string }> => {
    const archiveId =
      options.archiveId ??
      (
        await createArchive(
          ds,
          {
            orgUnitId: unit.id,
            status: 'active',
            category: 'dibao',
            causes: ['illness'],
            archiveNo: `330106-2026-${randomBytes(3).toString('hex')}`,
            activatedAt: new Date('2026-01-05T02:00:00Z'),
          },
          testCipher(),
        )
      ).archive.id;
    const [row] = await ds.query(
      `INSERT INTO needs (archive_id, menu_item_id, beneficiary_key, quantity, urgency, preferred_mode, region_code,
                          contact_preference, state, created_by, state_changed_at, version)
       VALUES ($1, $2, 'head', 1, $3, 'any', '330106', 'phone', 'submitted', $4, now(), 1) RETURNING id`,
      [archiveId, options.item ?? welderItem, options.urgency ?? 'normal', caseworker.userId],
    );
    await ds.query(`UPDATE needs SET state = 'screening', version = 2 WHERE id = $1`, [row.id]);
    await ds.query(
      `UPDATE needs SET state = 'open', opened_at = $2, expires_at = $2::timestamptz + interval '90 days', version = 3
        WHERE id = $1`,
      [row.id, clock.now()],
    );
    return { id: row.id as string, archiveId };
  };
  /** A grassroots union of its own under the district: its needs are this test's alone. */
  const freshUnit = () =>
    createOrgUnit(ds, {
      parent: { ...tree.district, level: 'district' } as OrgUnitRow,
      regionCode: '330106',
    });
  const offer = async (overrides: OfferOverrides = {}, items = [welderItem]) =>
    (
      await createOffer(ds, testCipher(), company, items, {
        state: 'published',
        validFrom: '2026-01-01',
        validUntil: '2026-12-31',
        scopeOrgUnitId: tree.district.id,
        ...overrides,
      })
    ).id;
  /** A queued allocation over `unit`, not enqueued: the test drives the runner itself. */
  const queued = async (
    unit = tree.district,
    strategy: AllocationStrategy = 'optimal',
    offerIds?: string[],
  ) => {
    const id = await repository.transaction((manager) =>
      repository.insert(manager, {
        orgUnitId: unit.id,
        strategy,
        maxCandidatesPerNeed: 30,
        offerIds: offerIds ?? null,
        offerFilter: {},
        needFilter: {},
        createdBy: caseworker.userId,
      }),
    );
    return (await repository.claim(id, clock.now()))!;
  };
  const lines = (id: string) => repository.lineEntities(id);
  /** Lines per offer against each offer's remaining now: never more. */
  const expectWithinCapacity = async (id: string) => {
    const perOffer = new Map<string, number>();
    for (const l of await lines(id))
      if (l.offerId) perOffer.set(l.offerId, (perOffer.get(l.offerId) ?? 0) + 1);
    for (const [offerId, count] of perOffer) {
      const [{ remaining }] = await ds.query(`SELECT remaining FROM offers WHERE id = $1`, [offerId]);
      expect(count).toBeLessThanOrEqual(remaining);
    }
  };

  beforeAll(async () => {
    t = await createTestApp({ clock });
    ds = t.db.dataSource;
    runner = t.app.get(AllocationRunner);
    repository = t.app.get(AllocationsRepository);
    service = t.app.get(AllocationsService);
    tree = await seedWorkflowTree(ds);
    caseworker = await staff(ds, tree.district, ['caseworker', 'reviewer'], '区经办');
    welderItem = (await createMenuItem(ds, { name: '焊工技能培训', category: 'training' })).id;
    company = (await createPartner(ds, testCipher(), tree.district.id)).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('assigns the scope’s needs to its offers: capacity kept, total = bound, greedy beside it', async () => {
    // A scope of its own (a unit with two unions below it): other tests add needs under the district.
    const scope = await freshUnit();
    const below = (regionCode: string) =>
      createOrgUnit(ds, { parent: scope as OrgUnitRow, level: 'grassroots', regionCode });
    const [gr1, gr2] = [await below('330106'), await below('330106')];
    const near = await offer({ capacity: 2, regionCode: '330106', scopeOrgUnitId: scope.id });
    const far = await offer({ capacity: 1, regionCode: '330102', scopeOrgUnitId: scope.id });
    const needs = [
      await openNeed(gr1, { urgency: 'emergency' }),
      await openNeed(gr1, { urgency: 'urgent' }),
      await openNeed(gr2),
      await openNeed(gr2),
    ];
    const outOfScope = await openNeed(await freshUnit());
    const row = await queued(scope, 'optimal', [near, far]);
    const prepared = await runner.prepare(row);
    expect(prepared.needs.map((n) => n.row.id).sort()).toEqual(needs.map((n) => n.id).sort());
    expect(prepared.needs.map((n) => n.row.id)).not.toContain(outOfScope.id);
    const solved = await runner.solve(prepared);
    expect(solved.plan.total).toBe(solved.plan.bound);
    expect(solved.greedy.total).toBeLessThanOrEqual(solved.plan.total);
    await runner.save(prepared, solved);

    const stored = await repository.row(row.id);
    expect(stored).toMatchObject({ state: 'done', needCount: 4, offerCount: 2, assigned: 3, phase: null });
    expect(Number(stored!.total)).toBe(solved.plan.total);
    expect(Number(stored!.optimalTotal)).toBe(Number(stored!.bound));
    expect(Number(stored!.greedyTotal)).toBeLessThanOrEqual(Number(stored!.optimalTotal));
    const all = await lines(row.id);
    expect(all).toHaveLength(4);
    expect(all.filter((l) => l.offerId === near)).toHaveLength(2);
    expect(all.filter((l) => l.offerId === far)).toHaveLength(1);
    expect(all.filter((l) => l.offerId === null).map((l) => l.reason)).toEqual(['capacity_taken']);
    // The emergency need is never the one left out.
    expect(all.find((l) => l.needId === needs[0]!.id)!.offerId).not.toBeNull();
    const assigned = all.find((l) => l.offerId !== null)!;
    expect(assigned.breakdown!.map((b) => b.factor)).toEqual([
      'text',
      'item',
      'proximity',
      'hardship',
      'waiting',
      'fairness',
      'capacity',
    ]);
    await expectWithinCapacity(row.id);
    const [audit] = await ds.query(
      `SELECT details FROM audit_logs WHERE action = 'allocation.solve' AND target_id = $1`,
      [row.id],
    );
    expect(audit.details).toMatchObject({ assigned: 3, needCount: 4 });
  });

  it('gives one household at most its per-household limit of an offer', async () => {
    const unit = await freshUnit();
    const electrician = (await createMenuItem(ds, { name: '电工技能培训', category: 'training' })).id;
    const first = await openNeed(unit);
    await openNeed(unit, { archiveId: first.archiveId, item: electrician });
    // Both items, five places, one per household (the default limit).
    const roomy = await offer({ capacity: 5, scopeOrgUnitId: unit.id }, [welderItem, electrician]);
    const row = await queued(unit, 'optimal', [roomy]);
    const prepared = await runner.prepare(row);
    const solved = await runner.solve(prepared);
    await runner.save(prepared, solved);
    const all = await lines(row.id);
    expect(all).toHaveLength(2);
    expect(all.filter((l) => l.offerId === roomy)).toHaveLength(1);
    expect(all.filter((l) => l.offerId === null).map((l) => l.reason)).toEqual(['capacity_taken']);
  });

  it('never stores a line that would overbook: needs and offers that changed while the job ran', async () => {
    const unit = await freshUnit();
    const welderCourse = await offer({ capacity: 3, scopeOrgUnitId: unit.id });
    const needs = [await openNeed(unit), await openNeed(unit), await openNeed(unit)];
    const row = await queued(unit, 'optimal', [welderCourse]);
    const prepared = await runner.prepare(row);
    const solved = await runner.solve(prepared);
    expect(solved.plan.assigned).toBe(3);
    // Meanwhile two places are reserved elsewhere and one need is withdrawn.
    await ds.query(`UPDATE offers SET reserved = 2, remaining = 1, version = version + 1 WHERE id = $1`, [
      welderCourse,
    ]);
    await ds.query(`UPDATE needs SET state = 'withdrawn', version = version + 1 WHERE id = $1`, [
      needs[2]!.id,
    ]);
    await runner.save(prepared, solved);
    const all = await lines(row.id);
    expect(all.filter((l) => l.offerId === welderCourse)).toHaveLength(1);
    expect(all.filter((l) => l.reason === 'changed_during_run')).toHaveLength(2);
    expect(all.find((l) => l.needId === needs[2]!.id)!.reason).toBe('changed_during_run');
    expect(await repository.row(row.id)).toMatchObject({ state: 'done', assigned: 1 });
    await expectWithinCapacity(row.id);
  });

  it('stores nothing for an allocation discarded while it ran', async () => {
    const unit = await freshUnit();
    await offer({ capacity: 1, scopeOrgUnitId: unit.id });
    const row = await queued(unit);
    const prepared = await runner.prepare(row);
    const solved = await runner.solve(prepared);
    await service.discard(caseworker, row.id);
    await runner.save(prepared, solved);
    expect(await lines(row.id)).toEqual([]);
    expect(await repository.row(row.id)).toMatchObject({ state: 'discarded', total: null });
    // A discarded allocation's job does nothing at all.
    await runner.run(row.id);
    expect(await repository.row(row.id)).toMatchObject({ state: 'discarded' });
  });

  it('answers an empty scope with an empty plan, not an error', async () => {
    const row = await queued(await freshUnit());
    await runner.run(row.id);
    expect(await repository.row(row.id)).toMatchObject({
      state: 'done',
      needCount: 0,
      assigned: 0,
      total: '0',
      bound: '0',
    });
  });

  it('runs greedy alone when asked, and says which needs had no eligible offer', async () => {
    const unit = await freshUnit();
    const cook = (await createMenuItem(ds, { name: '中式烹调培训', category: 'training' })).id;
    await openNeed(unit);
    const lonely = await openNeed(unit, { item: cook });
    const course = await offer({ capacity: 2, scopeOrgUnitId: unit.id });
    const row = await queued(unit, 'greedy', [course]);
    await runner.run(row.id);
    const stored = await repository.row(row.id);
    expect(stored).toMatchObject({
      state: 'done',
      strategy: 'greedy',
      optimalTotal: null,
      bound: null,
      assigned: 1,
    });
    expect(stored!.total).toBe(stored!.greedyTotal);
    expect((await lines(row.id)).find((l) => l.needId === lonely.id)!.reason).toBe('no_eligible_offer');
  });

  it('marks a plan stale once it is older than planMaxAgeMinutes', async () => {
    const row = await queued(tree.grassroots);
    await runner.run(row.id);
    expect(await service.get(caseworker, row.id)).toMatchObject({ state: 'done', stale: false });
    const reviewer = await staff(ds, tree.district, ['reviewer'], '区审核');
    await expect(service.approvable(reviewer, row.id)).resolves.toMatchObject({ allocationId: row.id });
    clock.advance((t.config.matching.allocation.planMaxAgeMinutes + 1) * 60_000);
    expect(await service.get(caseworker, row.id)).toMatchObject({ state: 'done', stale: true });
    // A stale plan is run again before its lines are approved.
    await expect(service.approvable(reviewer, row.id)).rejects.toMatchObject({ code: 'ALLOCATION_STALE' });
  });
});
