import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { FieldCipher } from '../../../src/common/crypto/field-cipher';
import {
  MATCH_HISTORY,
  type MatchHistoryPort,
} from '../../../src/modules/matching/history/match-history.port';
import { createArchive, testCipher } from '../../helpers/factories/archives.factory';
import { createMatch, createOpenNeed } from '../../helpers/factories/matches.factory';
import { createMenuItem } from '../../helpers/factories/menu.factory';
import { createOffer } from '../../helpers/factories/offers.factory';
import { createPartner } from '../../helpers/factories/partners.factory';
import { createOrgUnit, rootOrgUnit } from '../../helpers/factories/users.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';

const TODAY = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/** MATCH_HISTORY answered from the matches table (what the suggestions and POST /matches leave out). */
describe('match history (the matcher port) on real PostgreSQL', () => {
  let t: TestApp;
  let ds: DataSource;
  let history: MatchHistoryPort;
  let unitId: string;
  let partnerId: string;

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.db.dataSource;
    history = t.app.get(MATCH_HISTORY);
    const district = await createOrgUnit(ds, { parent: await rootOrgUnit(ds), level: 'district' });
    unitId = (await createOrgUnit(ds, { parent: district, level: 'grassroots' })).id;
    partnerId = (await createPartner(ds, t.app.get(FieldCipher), district.id)).id;
  });
  afterAll(() => t?.close());

  const archive = async () =>
    (
      await createArchive(
        ds,
        {
          orgUnitId: unitId,
          status: 'active',
          archiveNo: `330106-2026-${randomBytes(3).toString('hex')}`,
          activatedAt: new Date(),
        },
        testCipher(),
      )
    ).archive.id;
  const world = async () => {
    const item = await createMenuItem(ds);
    const offerId = (
      await createOffer(ds, t.app.get(FieldCipher), partnerId, [item.id], {
        state: 'published',
        kind: 'cash',
        amountPerBeneficiaryFen: 30_000,
        validFrom: '2026-01-01',
        validUntil: '2027-06-30',
      })
    ).id;
    const archiveId = await archive();
    // Each need for another person of the household (one open need per person and item).
    const need = () =>
      createOpenNeed(ds, {
        archiveId,
        menuItemId: item.id,
        createdBy: archiveId,
        beneficiaryKey: randomUUID(),
      });
    return { offerId, archiveId, need };
  };

  it('answers "nothing" for a pair without matches', async () => {
    const { offerId, archiveId, need } = await world();
    const needId = await need();
    expect(await history.historyOf([{ needId, offerId, archiveId }], TODAY)).toEqual([
      { pairTaken: false, householdMatchesOnOffer: 0, lastAidOn: null, aidLast12MonthsFen: 0, pending: 0 },
    ]);
  });

  it('a proposal takes the pair and is pending; a delivery counts for the household, its date and cash', async () => {
    const { offerId, archiveId, need } = await world();
    const proposedNeed = await need();
    await createMatch(ds, { needId: proposedNeed, offerId });
    const [proposed] = await history.historyOf([{ needId: proposedNeed, offerId, archiveId }], TODAY);
    expect(proposed).toMatchObject({ pairTaken: true, householdMatchesOnOffer: 0, pending: 1 });

    await ds
      .query(`UPDATE needs SET state = 'withdrawn' WHERE id = $1`, [proposedNeed])
      .catch(() => undefined);
    const deliveredNeed = await need();
    const m = await createMatch(ds, { needId: deliveredNeed, offerId, state: 'delivered' });
    await ds.query(`UPDATE matches SET delivered_amount_fen = 30000 WHERE id = $1`, [m.id]);
    const other = await need();
    const [next] = await history.historyOf([{ needId: other, offerId, archiveId }], TODAY);
    expect(next).toMatchObject({
      pairTaken: false,
      householdMatchesOnOffer: 1,
      lastAidOn: TODAY,
      aidLast12MonthsFen: 30_000,
      pending: 1,
    });
  });

  it('a decline parks the pair or the whole need until its date, then frees it', async () => {
    const { offerId, archiveId, need } = await world();
    const needId = await need();
    const declined = await createMatch(ds, { needId, offerId, state: 'declined' });
    const other = (await world()).offerId;
    const ask = () =>
      history.historyOf(
        [
          { needId, offerId, archiveId },
          { needId, offerId: other, archiveId },
        ],
        TODAY,
      );
    // No park: a declined pair is free again.
    expect((await ask()).map((h) => h.pairTaken)).toEqual([false, false]);
    await ds.query(`UPDATE matches SET park_scope = 'pair', parked_until = $2 WHERE id = $1`, [
      declined.id,
      TODAY,
    ]);
    expect((await ask()).map((h) => h.pairTaken)).toEqual([true, false]);
    await ds.query(`UPDATE matches SET park_scope = 'need' WHERE id = $1`, [declined.id]);
    expect((await ask()).map((h) => h.pairTaken)).toEqual([true, true]);
    await ds.query(`UPDATE matches SET parked_until = $2::date - 1 WHERE id = $1`, [declined.id, TODAY]);
    expect((await ask()).map((h) => h.pairTaken)).toEqual([false, false]);
  });
});
