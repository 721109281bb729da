import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { NeedUrgency } from '../needs/needs.enums';
import { ACTIVE_MATCH_STATES_SQL } from './match.entity';
import type { MatchState } from './matches.enums';
import type { SlaStepName } from './rules/match-sla.rule';

/** What an SLA step reads of a match: its stay in the current state and what sets its days. */
export interface MatchSlaRow {
  id: string;
  state: MatchState;
  enteredAt: Date;
  itemCode: string;
  urgency: NeedUrgency;
}

/** An overdue match as the overdue view lists it (deadlines computed in SQL from the days lookup). */
export interface OverdueMatchRow {
  id: string;
  needId: string;
  offerId: string;
  state: MatchState;
  enteredAt: Date;
  dueAt: Date;
  itemName: string;
  unitName: string;
}

/**
 * The SQL of match SLAs (issue 13 §4): the steps-done claims, the facts a reminder or escalation needs,
 * the active matches for the daily sweep, and the overdue view. Reads matches, needs, menu items,
 * archives, org units and users; writes only match_sla_steps.
 */
@Injectable()
export class MatchSlaRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** The match's current stay (null when there is no such match). */
  async current(id: string): Promise<MatchSlaRow | null> {
    const [row] = await this.active(`m.id = $1`, [id]);
    return row ?? null;
  }

  /** One page of matches on the active path, by id after `afterId` (the sweep walks them all). */
  async activePage(afterId: string | null, take: number): Promise<MatchSlaRow[]> {
    return this.active(`m.state IN (${ACTIVE_MATCH_STATES_SQL}) AND ($1::uuid IS NULL OR m.id > $1)`, [
      afterId,
      take,
    ]);
  }

  private active(where: string, params: unknown[]): Promise<MatchSlaRow[]> {
    const limit = params.length > 1 ? `LIMIT $${params.length}` : '';
    return this.dataSource.query(
      `SELECT m.id, m.state, m.state_changed_at AS "enteredAt", mi.code AS "itemCode", n.urgency
         FROM matches m
         JOIN needs n ON n.id = m.need_id
         JOIN menu_items mi ON mi.id = n.menu_item_id
        WHERE ${where}
        ORDER BY m.id ${limit}`,
      params,
    );
  }

  /** The steps already done for the stays of `matches` (key `matchId|state|enteredAt ms`). */
  async doneSteps(
    stays: readonly { id: string; state: string; enteredAt: Date }[],
  ): Promise<Map<string, Set<SlaStepName>>> {
    const done = new Map<string, Set<SlaStepName>>();
    if (stays.length === 0) return done;
    const rows: { matchId: string; state: string; enteredAt: Date; step: SlaStepName }[] =
      await this.dataSource.query(
        `SELECT s.match_id AS "matchId", s.state, s.entered_at AS "enteredAt", s.step
           FROM match_sla_steps s
           JOIN unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS k(match_id, state, entered_at)
             ON k.match_id = s.match_id AND k.state = s.state AND k.entered_at = s.entered_at`,
        [stays.map((s) => s.id), stays.map((s) => s.state), stays.map((s) => s.enteredAt)],
      );
    for (const r of rows) {
      const key = stayKey(r.matchId, r.state, r.enteredAt);
      done.set(key, (done.get(key) ?? new Set()).add(r.step));
    }
    return done;
  }

  /**
   * The claim: true when this call recorded the step, false when it was done already (another job or
   * the sweep got there first). In the caller's transaction, so the step's own writes commit with it.
   */
  async claim(
    manager: EntityManager,
    stay: { id: string; state: string; enteredAt: Date },
    step: SlaStepName,
    by: 'job' | 'sweep',
    at: Date,
  ): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO match_sla_steps (match_id, state, entered_at, step, done_by, done_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT DO NOTHING
       RETURNING 1`,
      [stay.id, stay.state, stay.enteredAt, step, by, at],
    );
    return rows.length === 1;
  }

  /**
   * Whom an escalation goes to and the names it uses: the active reviewers of the nearest unit above the
   * need's unit that has any (the unit directly above, else the next one up), and the need's unit name.
   */
  async escalationFacts(id: string): Promise<{ unitName: string; reviewers: string[] } | null> {
    const [row] = await this.dataSource.query(
      `SELECT au.name AS "unitName",
              ARRAY(SELECT ru.id FROM users ru
                     WHERE ru.kind = 'staff' AND ru.disabled_at IS NULL AND 'reviewer' = ANY(ru.roles)
                       AND ru.org_unit_id = (
                         SELECT pu.id FROM org_units pu
                          WHERE starts_with(au.path, pu.path) AND pu.id <> au.id
                            AND EXISTS (SELECT 1 FROM users r
                                         WHERE r.org_unit_id = pu.id AND r.kind = 'staff'
                                           AND r.disabled_at IS NULL AND 'reviewer' = ANY(r.roles))
                          ORDER BY length(pu.path) DESC LIMIT 1)
                     ORDER BY ru.id) AS reviewers
         FROM matches m
         JOIN archives a ON a.id = m.archive_id
         JOIN org_units au ON au.id = a.org_unit_id
        WHERE m.id = $1`,
      [id],
    );
    return (row as { unitName: string; reviewers: string[] } | undefined) ?? null;
  }

  /**
   * One page of the matches in `scopePath`'s subtree whose deadline has passed at `now`, the most
   * overdue first. `daysLookup` is slaDaysLookup(settings): the days of each (item, state, urgency).
   */
  async overdue(
    scopePath: string,
    now: Date,
    daysLookup: Record<string, number>,
    window: { skip: number; take: number },
  ): Promise<{ rows: OverdueMatchRow[]; total: number }> {
    const params = [scopePath, now, JSON.stringify(daysLookup)];
    const rows: (OverdueMatchRow & { total: number })[] = await this.dataSource.query(
      `${OVERDUE_STAYS}
       SELECT *, count(*) OVER ()::int AS total FROM stays
        ORDER BY "dueAt", id
        LIMIT $4 OFFSET $5`,
      [...params, window.take, window.skip],
    );
    if (rows.length > 0 || window.skip === 0)
      return { rows: rows.map(({ total: _, ...row }) => row), total: rows[0]?.total ?? 0 };
    // A page past the end: the total on its own.
    const [{ total }] = await this.dataSource.query(
      `${OVERDUE_STAYS} SELECT count(*)::int AS total FROM stays`,
      params,
    );
    return { rows: [], total: total as number };
  }
}

/**
 * The stays past their deadline in subtree $1 at $2; $3 the days lookup (`code|state|urgency`, the
 * defaults under `*`). The deadline is state_changed_at + days, as slaDeadlines computes it.
 */
const OVERDUE_STAYS = `
  WITH due AS (
    SELECT m.id, m.need_id AS "needId", m.offer_id AS "offerId", m.state, m.state_changed_at AS "enteredAt",
           mi.name AS "itemName", u.name AS "unitName",
           m.state_changed_at + coalesce(($3::jsonb ->> (mi.code || '|' || m.state || '|' || n.urgency))::int,
                                         ($3::jsonb ->> ('*|' || m.state || '|' || n.urgency))::int)
                                * interval '1 day' AS "dueAt"
      FROM matches m
      JOIN needs n ON n.id = m.need_id
      JOIN menu_items mi ON mi.id = n.menu_item_id
      JOIN archives a ON a.id = m.archive_id
      JOIN org_units u ON u.id = a.org_unit_id
     WHERE m.state IN (${ACTIVE_MATCH_STATES_SQL}) AND starts_with(u.path, $1)),
  stays AS (SELECT * FROM due WHERE "dueAt" <= $2)`;

/** The key of one stay of a match in a state. */
export function stayKey(matchId: string, state: string, enteredAt: Date): string {
  return `${matchId}|${state}|${enteredAt.getTime()}`;
}
