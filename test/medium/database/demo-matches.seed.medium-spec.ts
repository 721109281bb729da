import { DataSource } from 'typeorm';
import { FakeClock } from '../../../src/common/clock/clock';
import { FieldCipher } from '../../../src/common/crypto/field-cipher';
import {
  DEMO_MATCH_COUNTS,
  DEMO_MATCH_PLAN,
  seedDemoMatches,
  type DemoMatchesResult,
} from '../../../src/database/seeds/demo-matches.seed';
import { seedDemo } from '../../../src/database/seeds/seed-demo';
import { MATCH_OUTCOMES, MATCH_STATES, type MatchState } from '../../../src/modules/matches/matches.enums';
import { slaDeadlines } from '../../../src/modules/matches/rules/match-sla.rule';
import { allowedMatchStatePairs } from '../../../src/modules/matches/rules/match-transitions.rule';
import type { NeedUrgency } from '../../../src/modules/needs/needs.enums';
import { PasswordHasher } from '../../../src/modules/users/password/password-hasher';
import { createTestApp, TestApp } from '../../helpers/test-app';

const NOW = new Date('2026-11-23T10:00:00+08:00');

interface MatchRow {
  id: string;
  need_id: string;
  offer_id: string;
  archive_id: string;
  state: MatchState;
  outcome: string | null;
  units: number;
  state_changed_at: Date;
  version: number;
  item_code: string;
  urgency: NeedUrgency;
  need_state: string;
}

/** `npm run seed:demo`'s matches: made and moved through MatchesService with the clock at each step. */
describe('demo matches (real PostgreSQL)', () => {
  let t: TestApp;
  let ds: DataSource;
  let first: DemoMatchesResult;
  let matches: MatchRow[];

  beforeAll(async () => {
    t = await createTestApp({ clock: new FakeClock(NOW) });
    ds = t.app.get(DataSource);
    await seedDemo(ds, t.config, {
      hash: (password: string) => t.app.get(PasswordHasher).hash(password),
      cipher: t.app.get(FieldCipher),
      now: NOW,
    });
    first = await seedDemoMatches(t.app, { now: NOW });
    matches = await ds.query(
      `SELECT m.*, mi.code AS item_code, n.urgency, n.state AS need_state
         FROM matches m JOIN needs n ON n.id = m.need_id JOIN menu_items mi ON mi.id = n.menu_item_id
        ORDER BY m.created_at, m.id`,
    );
  }, 300_000);

  afterAll(async () => {
    await t?.close();
  });

  it('has matches in every state, closed ones with every outcome, at most one ever approved per household', async () => {
    const counts: Partial<Record<MatchState, number>> = {};
    for (const m of matches) counts[m.state] = (counts[m.state] ?? 0) + 1;
    expect(counts).toEqual(DEMO_MATCH_COUNTS);
    expect(Object.keys(counts).sort()).toEqual([...MATCH_STATES].sort());
    expect(new Set(matches.filter((m) => m.state === 'closed').map((m) => m.outcome))).toEqual(
      new Set(MATCH_OUTCOMES),
    );
    expect(first).toMatchObject({ created: DEMO_MATCH_PLAN.length, byState: DEMO_MATCH_COUNTS });
    const approved: Array<{ archive_id: string }> = await ds.query(
      `SELECT m.archive_id FROM matches m
        WHERE EXISTS (SELECT 1 FROM match_history h WHERE h.match_id = m.id AND h.to_state = 'approved')`,
    );
    expect(approved.length).toBeGreaterThan(DEMO_MATCH_PLAN.length / 2);
    expect(new Set(approved.map((r) => r.archive_id)).size).toBe(approved.length);
  });

  it('gives every match a history along the state machine, in the past, with one audit row per move', async () => {
    const allowed = new Set(allowedMatchStatePairs().map(([a, b]) => `${a}>${b}`));
    const history: Array<{ match_id: string; at: Date; from_state: string | null; to_state: string }> =
      await ds.query(`SELECT match_id, at, from_state, to_state FROM match_history ORDER BY match_id, id`);
    const audited: Array<{ id: string; n: number }> = await ds.query(
      `SELECT target_id AS id, count(*)::int AS n FROM audit_logs
        WHERE target_type = 'match' AND action LIKE 'match.%' GROUP BY target_id`,
    );
    for (const m of matches) {
      const moves = history.filter((h) => h.match_id === m.id);
      expect(moves[0]).toMatchObject({ from_state: null, to_state: 'proposed' });
      for (let i = 1; i < moves.length; i++) {
        expect(allowed.has(`${moves[i].from_state}>${moves[i].to_state}`)).toBe(true);
        expect(moves[i].from_state).toBe(moves[i - 1].to_state);
        expect(moves[i].at.getTime()).toBeGreaterThan(moves[i - 1].at.getTime());
      }
      const last = moves[moves.length - 1];
      expect(last.to_state).toBe(m.state);
      expect(last.at.getTime()).toBe(m.state_changed_at.getTime());
      expect(last.at.getTime()).toBeLessThan(NOW.getTime());
      expect(audited.find((a) => a.id === m.id)?.n).toBe(moves.length);
    }
  });

  it("leaves each offer's capacity as the matches hold it: reserved by approved ones, used by delivered ones", async () => {
    const offers: Array<{ id: string; capacity: number; reserved: number; used: number; remaining: number }> =
      await ds.query(`SELECT id, capacity, reserved, used, remaining FROM offers WHERE id = ANY($1)`, [
        [...new Set(matches.map((m) => m.offer_id))],
      ]);
    for (const o of offers) {
      const of = matches.filter((m) => m.offer_id === o.id);
      const sum = (states: MatchState[]) =>
        of.filter((m) => states.includes(m.state)).reduce((s, m) => s + m.units, 0);
      expect(o).toEqual({
        ...o,
        reserved: sum(['approved', 'accepted', 'in_progress']),
        used: sum(['delivered', 'confirmed', 'followed_up', 'closed']),
        remaining: o.capacity - o.reserved - o.used,
      });
    }
    expect(offers.some((o) => o.reserved > 0)).toBe(true);
    expect(offers.some((o) => o.used > 0)).toBe(true);
  });

  it('moves the needs with their matches', () => {
    const expected: Record<MatchState, string[]> = {
      proposed: ['open'],
      approved: ['matched'],
      accepted: ['matched'],
      in_progress: ['matched'],
      delivered: ['matched'],
      confirmed: ['fulfilled'],
      followed_up: ['fulfilled'],
      closed: ['closed'],
      rejected: ['open', 'expired'],
      declined: ['open', 'expired'],
      cancelled: ['open', 'expired'],
      expired: ['open', 'expired'],
    };
    for (const m of matches) expect(expected[m.state]).toContain(m.need_state);
  });

  it('has overdue matches: past their state’s SLA deadline, none past the hard limit that would expire it', () => {
    let overdue = 0;
    for (const m of matches) {
      const deadlines = slaDeadlines(
        m.state,
        m.state_changed_at,
        { itemCode: m.item_code, urgency: m.urgency },
        t.config.matching.sla,
      );
      if (!deadlines) continue;
      if (deadlines.dueAt.getTime() <= NOW.getTime()) overdue++;
      if (deadlines.expireAt) expect(deadlines.expireAt.getTime()).toBeGreaterThan(NOW.getTime());
    }
    expect(overdue).toBe(DEMO_MATCH_PLAN.filter((e) => e.overdue).length);
    expect(first.overdue).toBe(overdue);
    expect(overdue).toBeGreaterThanOrEqual(3);
  });

  it('is idempotent: a second run adds no matches', async () => {
    expect(await seedDemoMatches(t.app, { now: NOW })).toEqual({ created: 0, byState: {}, overdue: 0 });
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM matches`);
    expect(n).toBe(matches.length);
  });
});
