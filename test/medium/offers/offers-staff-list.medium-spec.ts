import { DataSource } from 'typeorm';
import { FieldCipher } from '../../../src/common/crypto/field-cipher';
import { ReindexService } from '../../../src/infra/outbox/reindex.service';
import { SEARCH_ENGINE, SearchEngine } from '../../../src/infra/search/search-engine';
import type { Principal } from '../../../src/modules/auth/principal';
import { ListOffersQueryDto } from '../../../src/modules/offers/dto/offers.dto';
import { OfferReadsService } from '../../../src/modules/offers/offer-reads.service';
import { OFFERS_INDEX } from '../../../src/modules/offers/offer-mover';
import { offerSearchDocument } from '../../../src/modules/offers/offers-search.source';
import { OffersRepository } from '../../../src/modules/offers/offers.repository';
import { createMenuItem } from '../../helpers/factories/menu.factory';
import { createOffer } from '../../helpers/factories/offers.factory';
import { createPartner } from '../../helpers/factories/partners.factory';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { dto, seedWorkflowTree, staff, WorkflowTree } from '../archives/workflow-fixtures';

/**
 * The staff offer list answered by the `offers` index (the PostgreSQL adapter without MEILI_URL) and
 * re-read from PostgreSQL: who sees what (the partner's unit's subtree; a covering scope once published),
 * text in the engine, and documents that lie — doctored or stale — never reaching a page.
 */
describe('the staff offer list: search index, then PostgreSQL', () => {
  let t: TestApp;
  let ds: DataSource;
  let reads: OfferReadsService;
  let engine: SearchEngine;
  let tree: WorkflowTree;
  let districtReviewer: Principal;
  let ningboReviewer: Principal;
  const o: Record<string, string> = {};

  const list = async (who: Principal, query: Record<string, unknown> = {}) => {
    const page = await reads.list(who, dto(ListOffersQueryDto, { pageSize: 100, ...query }));
    return page.items.map((i) => i.id);
  };
  const names = (ids: string[]) =>
    ids.map((id) => Object.entries(o).find(([, v]) => v === id)?.[0] ?? id).sort();

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.db.dataSource;
    reads = t.app.get(OfferReadsService);
    engine = t.app.get(SEARCH_ENGINE);
    const cipher = t.app.get(FieldCipher);
    tree = await seedWorkflowTree(ds);
    const item = (await createMenuItem(ds, { unit: 'slots' })).id;
    const xihuPartner = (await createPartner(ds, cipher, tree.district.id)).id;
    const ningboPartner = (await createPartner(ds, cipher, tree.city2.id)).id;
    districtReviewer = await staff(ds, tree.district, ['reviewer'], '赵审核');
    ningboReviewer = await staff(ds, tree.city2, ['reviewer'], '宁波审核');
    const offer = async (name: string, partner: string, overrides: Parameters<typeof createOffer>[4]) =>
      (o[name] = (await createOffer(ds, cipher, partner, [item], overrides)).id);
    await offer('xihuDraft', xihuPartner, { state: 'draft', title: '电焊工培训（草稿）' });
    await offer('xihuPublished', xihuPartner, { state: 'published', title: '家政服务员培训' });
    // Scoped to all of Zhejiang by region: Ningbo's staff see it once published.
    await offer('xihuProvince', xihuPartner, {
      state: 'published',
      scopeOrgUnitId: null,
      scopeRegionPrefix: '33',
      title: '线上法律咨询',
    });
    await offer('xihuProvinceDraft', xihuPartner, {
      state: 'pending_review',
      scopeOrgUnitId: null,
      scopeRegionPrefix: '33',
      title: '心理疏导讲座',
    });
    await offer('ningboOwn', ningboPartner, { state: 'published', title: '港口装卸岗位' });
    await t.app.get(ReindexService).rebuild(OFFERS_INDEX);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('shows staff the offers of partners vetted in their subtree, in every state, and covering published ones', async () => {
    expect(names(await list(districtReviewer))).toEqual([
      'xihuDraft',
      'xihuProvince',
      'xihuProvinceDraft',
      'xihuPublished',
    ]);
    expect(names(await list(ningboReviewer))).toEqual(['ningboOwn', 'xihuProvince']);
  });

  it('answers text and filters from the engine', async () => {
    expect(names(await list(districtReviewer, { q: '电焊' }))).toEqual(['xihuDraft']);
    expect(names(await list(districtReviewer, { q: '家政', state: ['published'] }))).toEqual([
      'xihuPublished',
    ]);
    expect(names(await list(districtReviewer, { q: '家政', state: ['draft'] }))).toEqual([]);
    expect(names(await list(ningboReviewer, { q: '法律' }))).toEqual(['xihuProvince']);
  });

  it('never shows an offer a doctored document places in scope', async () => {
    const [row] = await ds.query(`SELECT id FROM offers WHERE id = $1`, [o.ningboOwn]);
    const real = await t.app.get(OffersRepository).row(row.id);
    // The document claims the Ningbo offer's partner is vetted in 西湖区.
    const lie = {
      ...offerSearchDocument(real!),
      partnerUnits: tree.district.path.split('/').filter(Boolean),
    };
    await engine.upsert(OFFERS_INDEX, [lie]);
    expect(
      await engine.search(OFFERS_INDEX, {
        filter: { op: 'eq', field: 'partnerUnits', value: tree.district.id },
      }),
    ).toMatchObject({ total: 5 });
    expect(names(await list(districtReviewer))).not.toContain('ningboOwn');
    await t.app.get(ReindexService).rebuild(OFFERS_INDEX);
  });

  it('drops a stale document whose offer no longer fits the filter', async () => {
    // Paused in PostgreSQL behind the index's back: the document still says published.
    await ds.query(`UPDATE offers SET state = 'paused', version = version + 1 WHERE id = $1`, [
      o.xihuPublished,
    ]);
    try {
      expect(names(await list(districtReviewer, { state: ['published'] }))).toEqual(['xihuProvince']);
      expect(names(await list(districtReviewer, { state: ['paused'] }))).toEqual([]);
      await t.app.get(ReindexService).rebuild(OFFERS_INDEX);
      expect(names(await list(districtReviewer, { state: ['paused'] }))).toEqual(['xihuPublished']);
    } finally {
      // Published again for the other tests, which run in any order.
      await ds.query(`UPDATE offers SET state = 'published', version = version + 1 WHERE id = $1`, [
        o.xihuPublished,
      ]);
      await t.app.get(ReindexService).rebuild(OFFERS_INDEX);
    }
  });
});
