import { DataSource } from 'typeorm';
import { FieldCipher } from '../../../src/common/crypto/field-cipher';
import { partnerMobileField } from '../../../src/common/crypto/stored-fields';
import { ReindexService } from '../../../src/infra/outbox/reindex.service';
import { DEMO_NEED_COUNTS } from '../../../src/database/seeds/demo-needs.seed';
import { DEMO_OFFER_COUNTS } from '../../../src/database/seeds/demo-offers.seed';
import { DEMO_PARTNERS } from '../../../src/database/seeds/demo-partners.seed';
import { OFFERS_INDEX } from '../../../src/modules/offers/offer-mover';
import { seedDemo, type DemoSeedResult } from '../../../src/database/seeds/seed-demo';
import { SCREENING_RULES } from '../../../src/modules/needs/needs.enums';
import { NEEDS_INDEX } from '../../../src/modules/needs/needs.service';
import { allowedNeedStatePairs } from '../../../src/modules/needs/rules/need-transitions.rule';
import { screeningViolations } from '../../../src/modules/needs/rules/need-screening.rule';
import { parseCreditCode } from '../../../src/modules/partners/rules/credit-code.rule';
import { PasswordHasher } from '../../../src/modules/users/password/password-hasher';
import { DEMO_PASSWORD } from '../../../src/database/seeds/demo-accounts.seed';
import { createTestApp, TestApp } from '../../helpers/test-app';

const NOW = new Date('2026-11-23T10:00:00+08:00');

interface NeedRow {
  id: string;
  archive_id: string;
  menu_item_id: string;
  beneficiary_key: string;
  state: string;
  reject_reasons: string[];
  opened_at: Date | null;
  expires_at: Date | null;
  state_changed_at: Date;
  version: number;
}

interface HistoryRow {
  need_id: string;
  at: Date;
  actor_kind: string;
  command: string;
  from_state: string | null;
  to_state: string;
  reasons: string[];
}

/** `npm run seed:demo`'s partners and needs, on a fresh database with the app's own menu. */
describe('demo partners, needs and offers (real PostgreSQL)', () => {
  let t: TestApp;
  let ds: DataSource;
  let first: DemoSeedResult;
  let needs: NeedRow[];
  let history: HistoryRow[];

  const seed = () =>
    seedDemo(ds, t.config, {
      hash: (password: string) => t.app.get(PasswordHasher).hash(password),
      cipher: t.app.get(FieldCipher),
      now: NOW,
    });

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.app.get(DataSource);
    first = await seed();
    needs = await ds.query(`SELECT * FROM needs ORDER BY created_at, id`);
    history = await ds.query(`SELECT * FROM need_history ORDER BY need_id, id`);
  }, 180_000);

  afterAll(async () => {
    await t?.close();
  });

  describe('partners', () => {
    it('adds the demo partners of every self-registered kind, in every vetting state', async () => {
      expect(first.partners).toBe(DEMO_PARTNERS.length);
      const rows: Array<{ id: string; kind: string; status: string; status_reason: string | null }> =
        await ds.query(`SELECT id, kind, status, status_reason FROM partners WHERE kind <> 'union'`);
      expect(rows).toHaveLength(DEMO_PARTNERS.length);
      expect(new Set(rows.map((r) => r.kind))).toEqual(
        new Set(['government', 'ngo', 'company', 'volunteer']),
      );
      const statuses = rows.map((r) => r.status).sort();
      expect(new Set(statuses)).toEqual(new Set(['approved', 'pending', 'rejected', 'suspended']));
      expect(statuses.filter((s) => s === 'suspended')).toHaveLength(1);
      for (const r of rows.filter((r) => r.status === 'rejected' || r.status === 'suspended'))
        expect(r.status_reason).toBeTruthy();
    });

    it('gives each a valid credit code (or none, for volunteer teams) and stores the contact mobile encrypted', async () => {
      const cipher = t.app.get(FieldCipher);
      const rows: Array<{ id: string; kind: string; credit_code: string | null; mobile_ciphertext: string }> =
        await ds.query(`SELECT id, kind, credit_code, mobile_ciphertext FROM partners WHERE kind <> 'union'`);
      for (const r of rows) {
        const spec = DEMO_PARTNERS.find((p) => p.id === r.id)!;
        if (r.kind === 'volunteer') expect(r.credit_code).toBeNull();
        else expect(parseCreditCode(r.credit_code!)).toEqual({ ok: true, creditCode: r.credit_code });
        expect(r.mobile_ciphertext).not.toContain(spec.mobile);
        expect(cipher.decrypt(r.mobile_ciphertext, partnerMobileField(r.id))).toBe(spec.mobile);
      }
    });

    it("gives partners accounts: an approved partner's logs in, the suspended partner's is refused", async () => {
      const login = (username: string) =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username, password: DEMO_PASSWORD },
        });
      expect((await login('partner.hongmajia')).statusCode).toBe(200);
      const refused = await login('partner.suspended');
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe('AUTH_PARTNER_NOT_APPROVED');
    });
  });

  describe('needs', () => {
    it('creates the planned number of needs in each state', () => {
      const counts: Record<string, number> = {};
      for (const n of needs) counts[n.state] = (counts[n.state] ?? 0) + 1;
      expect(counts).toEqual(DEMO_NEED_COUNTS);
      expect(first.needs).toEqual({ created: needs.length, byState: DEMO_NEED_COUNTS });
    });

    it('gives every need a history that starts with its submission and follows the state machine to its state', () => {
      const allowed = new Set(allowedNeedStatePairs().map(([a, b]) => `${a}>${b}`));
      for (const need of needs) {
        const moves = history.filter((h) => h.need_id === need.id);
        expect(moves[0]).toMatchObject({ command: 'submit', from_state: null, to_state: 'submitted' });
        for (let i = 1; i < moves.length; i++) {
          expect(moves[i].from_state).toBe(moves[i - 1].to_state);
          expect(allowed.has(`${moves[i].from_state}>${moves[i].to_state}`)).toBe(true);
          expect(moves[i].at.getTime()).toBeGreaterThanOrEqual(moves[i - 1].at.getTime());
        }
        const last = moves[moves.length - 1];
        expect(last.to_state).toBe(need.state);
        expect(last.at.getTime()).toBe(need.state_changed_at.getTime());
        expect(last.at.getTime()).toBeLessThan(NOW.getTime());
        expect(need.version).toBe(moves.length);
      }
    });

    it('screens like the API: passing needs pass the screening, auto-rejected ones fail it with their rules', async () => {
      const archives: Array<{ id: string; status: never; kind: never }> = await ds.query(
        `SELECT id, status, kind FROM archives`,
      );
      const members: Array<{ id: string; archive_id: string; schooling_stage: never }> = await ds.query(
        `SELECT id, archive_id, schooling_stage FROM archive_members`,
      );
      const items: Array<Record<string, never> & { id: string }> = await ds.query(`SELECT * FROM menu_items`);
      let autoRejected = 0;
      for (const need of needs) {
        const screen = history.find((h) => h.need_id === need.id && h.command === 'auto-screen')!;
        const archive = archives.find((a) => a.id === need.archive_id)!;
        const item = items.find((i) => i.id === need.menu_item_id)!;
        const violations = screeningViolations(
          {
            active: true,
            requiresActiveArchive: item.requires_active_archive,
            acceptsTemporaryArchive: item.accepts_temporary_archive,
            beneficiary: item.beneficiary,
            stages: item.stages,
          },
          {
            status: archive.status,
            kind: archive.kind,
            members: members
              .filter((m) => m.archive_id === archive.id)
              .map((m) => ({ id: m.id, schoolingStage: m.schooling_stage })),
          },
          { memberId: need.beneficiary_key === 'head' ? null : need.beneficiary_key },
        );
        expect(screen.reasons).toEqual(violations);
        if (violations.length > 0) {
          autoRejected++;
          expect(need.state).toBe('rejected');
          expect(need.reject_reasons).toEqual(violations);
          expect(violations.every((v) => (SCREENING_RULES as readonly string[]).includes(v))).toBe(true);
        }
      }
      expect(autoRejected).toBeGreaterThan(0);
      expect(autoRejected).toBeLessThan(DEMO_NEED_COUNTS.rejected!);
    });

    it('keeps open needs within their validity and expired ones past it', () => {
      for (const need of needs.filter((n) => n.state === 'open'))
        expect(need.expires_at!.getTime()).toBeGreaterThan(NOW.getTime());
      for (const need of needs.filter((n) => n.state === 'expired')) {
        expect(need.expires_at!.getTime()).toBeLessThan(NOW.getTime());
        expect(need.state_changed_at.getTime()).toBeGreaterThan(need.expires_at!.getTime());
      }
    });

    it('puts the demo needs in the search index when it is rebuilt', async () => {
      const report = await t.app.get(ReindexService).rebuild(NEEDS_INDEX);
      expect(report.documents).toBe(needs.length);
    });
  });

  describe('offers', () => {
    interface OfferRow {
      id: string;
      partner_id: string;
      state: string;
      closed_reason: string | null;
      capacity: number;
      remaining: number;
      valid_until: string;
      contact_phone_ciphertext: string;
    }
    let offers: OfferRow[];
    beforeAll(async () => {
      offers = await ds.query(`SELECT *, valid_until::text AS valid_until FROM offers`);
    });

    it("creates about 90 offers in every state, from the partners and the unions' own programmes", async () => {
      const counts: Record<string, number> = {};
      for (const o of offers) counts[o.state] = (counts[o.state] ?? 0) + 1;
      expect(counts).toEqual(DEMO_OFFER_COUNTS);
      expect(first.offers.created).toBe(offers.length);
      const [{ n }] = await ds.query(
        `SELECT count(*)::int AS n FROM offers o JOIN partners p ON p.id = o.partner_id WHERE p.kind = 'union'`,
      );
      expect(n).toBeGreaterThan(0);
      const reasons = new Set(offers.map((o) => o.closed_reason).filter(Boolean));
      expect(reasons).toEqual(new Set(['expired', 'withdrawn', 'partner_suspended']));
    });

    it('gives offers only to approved partners, except the suspended one’s (hidden, never another)', async () => {
      const rows: Array<{ status: string; n: number }> = await ds.query(
        `SELECT p.status, count(*)::int AS n FROM offers o JOIN partners p ON p.id = o.partner_id GROUP BY p.status`,
      );
      expect(rows.map((r) => r.status).sort()).toEqual(['approved', 'suspended']);
    });

    it('moves each offer along the state machine, publishes only live windows and encrypts the contact phone', async () => {
      const history: Array<{ offer_id: string; from_state: string | null; to_state: string }> =
        await ds.query(`SELECT offer_id, from_state, to_state FROM offer_history ORDER BY offer_id, id`);
      const today = new Date(NOW.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
      for (const o of offers) {
        const moves = history.filter((h) => h.offer_id === o.id);
        expect(moves[0]).toMatchObject({ from_state: null, to_state: 'draft' });
        for (let i = 1; i < moves.length; i++) expect(moves[i].from_state).toBe(moves[i - 1].to_state);
        expect(moves[moves.length - 1].to_state).toBe(o.state);
        expect(o.remaining).toBe(o.capacity);
        if (o.state === 'published') expect(o.valid_until >= today).toBe(true);
        if (o.closed_reason === 'expired') expect(o.valid_until < today).toBe(true);
        expect(o.contact_phone_ciphertext).not.toMatch(/1[3-9]\d{9}/);
      }
    });

    it('puts every offer in the offers index when it is rebuilt', async () => {
      const report = await t.app.get(ReindexService).rebuild(OFFERS_INDEX);
      expect(report.documents).toBe(offers.length);
    });
  });

  it('is idempotent: a second run adds no partners, accounts, needs or offers', async () => {
    const again = await seed();
    expect(again.offers).toEqual({ created: 0, byState: {} });
    expect(again.partners).toBe(0);
    expect(again.accounts).toEqual([]);
    expect(again.needs).toEqual({ created: 0, byState: {} });
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM needs`);
    expect(n).toBe(needs.length);
  });
});
