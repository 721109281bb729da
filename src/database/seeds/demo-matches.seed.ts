import type { INestApplicationContext } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../../common/clock/clock';
import { AppConfig } from '../../config';
import type { Principal } from '../../modules/auth/principal';
import type {
  DeclineReason,
  FollowUpChannel,
  MatchOutcome,
  MatchState,
} from '../../modules/matches/matches.enums';
import type { MatchDto } from '../../modules/matches/dto/matches.dto';
import { MatchesService } from '../../modules/matches/matches.service';
import { slaDeadlines, SLA_STATES } from '../../modules/matches/rules/match-sla.rule';
import type { MatchCommand } from '../../modules/matches/rules/match-transitions.rule';
import { SuggestionsService } from '../../modules/matching/suggestions.service';
import type { NeedUrgency } from '../../modules/needs/needs.enums';
import { Random } from './demo-random';

/**
 * Demo matches (匹配) in every state a match can reach — proposed, approved, accepted, in_progress,
 * delivered, confirmed, followed_up, closed with each outcome, rejected, declined, cancelled, expired —
 * some of them overdue, for open needs of the demo world's 杭州市 households, served by the partners'
 * offers and the unions' own programmes (demo-offers.seed.ts).
 *
 * Every match is made and moved through MatchesService, exactly as the API would (propose, approve, accept,
 * start, deliver, confirm, follow-up, close, reject, decline, cancel, and expire as the SLA job does), by
 * the demo accounts whose roles allow each step, so history rows, audit rows, the offer's reserved/used
 * capacity, the need's state (matched, fulfilled, closed, back to open) and the notifications are what the
 * services write — never raw inserts.
 *
 * Time: the services read the time only from the app's one injected Clock. The seed points that clock
 * at each step's moment before the step (and back to the real clock afterwards), running the steps of all
 * matches in time order, so every row a step writes (the match's state_changed_at, its history, the audit
 * row, the need's history, the notification) says when the step happened — the same path tests take with
 * a FakeClock. An overdue match is one whose last step lies further back than its state's SLA
 * (config/matching.yml `sla`, through slaDeadlines): past the deadline, before the hard limit at which the
 * SLA job would expire it. Only the columns the database fills itself (created_at, updated_at) carry the
 * real time of the run.
 *
 * A household has at most one match that was ever approved, so the aid ledger's rules (one-off and annual
 * caps, 不重复救助 — approved aid is what they count) never stand between two demo approvals; proposals
 * that were never approved may share a household. Cash stays at most 10,000 元 (one-off cap 20,000 元).
 * Idempotent: nothing is written when the database has matches already. The pairs are all chosen (and
 * checked against the matcher's hard filters) before the first write, so a world that cannot hold the
 * plan fails before any match exists; a refusal during the steps names the step and stops the run (the
 * matches made until then stay: start again from an empty database).
 */

interface PlanEntry {
  /** The commands after the proposal, in order. */
  steps: readonly Exclude<MatchCommand, 'propose'>[];
  overdue?: boolean;
  outcome?: MatchOutcome;
  declineReason?: DeclineReason;
}

const TO_DELIVERY = ['approve', 'accept', 'deliver'] as const;
const TO_CLOSE = [...TO_DELIVERY, 'confirm', 'follow-up', 'close'] as const;

/** What the demo shows; the states of the matches follow from it (DEMO_MATCH_COUNTS). */
export const DEMO_MATCH_PLAN: readonly PlanEntry[] = [
  { steps: [] },
  { steps: [], overdue: true },
  { steps: ['approve'] },
  { steps: ['approve'], overdue: true },
  { steps: ['approve', 'accept'] },
  { steps: ['approve', 'accept'], overdue: true },
  { steps: ['approve', 'accept', 'start'] },
  { steps: TO_DELIVERY },
  { steps: TO_DELIVERY, overdue: true },
  { steps: [...TO_DELIVERY, 'confirm'] },
  { steps: [...TO_DELIVERY, 'confirm', 'follow-up'] },
  { steps: [...TO_DELIVERY, 'confirm', 'follow-up'], overdue: true },
  { steps: TO_CLOSE, outcome: 'resolved' },
  { steps: TO_CLOSE, outcome: 'resolved' },
  { steps: TO_CLOSE, outcome: 'partially_resolved' },
  { steps: TO_CLOSE, outcome: 'unresolved' },
  { steps: ['reject'] },
  { steps: ['approve', 'reject'] },
  { steps: ['approve', 'decline'], declineReason: 'no_longer_available' },
  { steps: ['approve', 'accept', 'decline'], declineReason: 'worker_refused' },
  { steps: ['cancel'] },
  { steps: ['approve', 'accept', 'cancel'] },
  { steps: ['expire'] },
  { steps: ['approve', 'expire'] },
];

const NEXT: Record<Exclude<MatchCommand, 'propose'>, MatchState> = {
  approve: 'approved',
  reject: 'rejected',
  accept: 'accepted',
  decline: 'declined',
  start: 'in_progress',
  deliver: 'delivered',
  confirm: 'confirmed',
  'follow-up': 'followed_up',
  close: 'closed',
  cancel: 'cancelled',
  expire: 'expired',
};

function finalState(entry: PlanEntry): MatchState {
  return entry.steps.length ? NEXT[entry.steps[entry.steps.length - 1]!] : 'proposed';
}

export const DEMO_MATCH_COUNTS: Readonly<Partial<Record<MatchState, number>>> = DEMO_MATCH_PLAN.reduce(
  (counts, entry) => ({ ...counts, [finalState(entry)]: (counts[finalState(entry)] ?? 0) + 1 }),
  {} as Partial<Record<MatchState, number>>,
);

export interface DemoMatchesResult {
  /** 0 when matches were already there (the seed is idempotent). */
  created: number;
  byState: Partial<Record<MatchState, number>>;
  /** Of them, how many are past their state's SLA deadline at the end of the seed. */
  overdue: number;
}

const RANDOM_SEED = 20_261_207;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** The last step of a match that is not overdue lies this share of its SLA back (before the half-time reminder). */
const FRESH = [0.1, 0.4] as const;
/** An overdue match: this multiple of its SLA back (past the deadline, before the hard limit × 2). */
const OVERDUE = [1.2, 1.7] as const;
/** How long a match rests in a state it passes through: this share of the state's SLA. */
const DWELL = [0.15, 0.45] as const;

interface NeedRow {
  id: string;
  archiveId: string;
  unitPath: string;
  itemCode: string;
  urgency: NeedUrgency;
  openedAt: Date;
  menuItemId: string;
  category: string;
}

interface OfferRow {
  id: string;
  partnerId: string;
  partnerKind: string;
  kind: 'slots' | 'cash' | 'goods';
  /** First day of the window, China time. */
  validFrom: string;
  itemIds: string[];
  categories: string[];
}

interface Step {
  command: MatchCommand;
  at: Date;
}

interface Assignment {
  entry: PlanEntry;
  need: NeedRow;
  offer: OfferRow;
  steps: Step[];
  /** The match once proposed, the version its next command sends, what it reserves. */
  matchId?: string;
  version?: number;
  amountFen?: number | null;
  units?: number;
}

/** Seeds the demo matches unless the database has matches already. Needs the demo world (seedDemo). */
export async function seedDemoMatches(
  app: INestApplicationContext,
  deps: { now: Date },
): Promise<DemoMatchesResult> {
  const dataSource = app.get(DataSource);
  const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM matches`);
  if (n > 0) return { created: 0, byState: {}, overdue: 0 };
  const config = app.get(AppConfig);
  const clock = app.get(Clock);
  const matches = app.get(MatchesService);
  const suggestions = app.get(SuggestionsService);
  const staff = await principals(dataSource);
  const random = new Random(RANDOM_SEED);
  const now = deps.now;

  const city = staff.get('hz.caseworker')?.orgPath;
  if (!city) throw new Error('演示匹配需要演示账号 hz.caseworker');
  const needs: NeedRow[] = await dataSource.query(
    `SELECT n.id, n.archive_id AS "archiveId", u.path AS "unitPath", mi.code AS "itemCode", n.urgency,
            n.opened_at AS "openedAt", n.menu_item_id AS "menuItemId", mi.category
       FROM needs n JOIN archives a ON a.id = n.archive_id JOIN org_units u ON u.id = a.org_unit_id
       JOIN menu_items mi ON mi.id = n.menu_item_id
      WHERE n.state = 'open' AND starts_with(u.path, $1)
      ORDER BY n.opened_at, n.id`,
    [city],
  );
  const offers: OfferRow[] = await dataSource.query(
    `SELECT o.id, o.partner_id AS "partnerId", p.kind AS "partnerKind", o.kind,
            o.valid_from::text AS "validFrom",
            array_agg(oi.menu_item_id::text ORDER BY oi.position) AS "itemIds",
            array_agg(DISTINCT mi.category::text) AS categories
       FROM offers o JOIN partners p ON p.id = o.partner_id
       JOIN offer_items oi ON oi.offer_id = o.id JOIN menu_items mi ON mi.id = oi.menu_item_id
      WHERE o.state = 'published' AND p.status = 'approved'
      GROUP BY o.id, p.kind ORDER BY o.created_at, o.id`,
  );
  const partnersWithAccounts = new Set(
    [...staff.values()].flatMap((p) => (p.kind === 'partner' && p.partnerId ? [p.partnerId] : [])),
  );

  // The pairs, the longest paths first (they need the needs that opened longest ago).
  const order = DEMO_MATCH_PLAN.map((entry, i) => ({ entry, i })).sort(
    (a, b) => b.entry.steps.length - a.entry.steps.length || a.i - b.i,
  );
  // A household has at most one match that was ever approved (approved aid is what the ledger's caps and
  // 不重复救助 count); proposals that never were approved may share it. No need serves twice.
  const approvedArchives = new Set<string>();
  const usedNeeds = new Set<string>();
  /** archive/offer pairs taken: a household's second match on an offer would break its per-household limit. */
  const usedPairs = new Set<string>();
  const assignments: Assignment[] = [];
  for (const { entry } of order) {
    const approving = entry.steps.includes('approve');
    const candidates = needs
      .filter((nd) => !usedNeeds.has(nd.id) && !(approving && approvedArchives.has(nd.archiveId)))
      // Households without a demo match first.
      .map((nd, i) => ({ nd, rank: approvedArchives.has(nd.archiveId) ? 1 : 0, i }))
      .sort((x, y) => x.rank - y.rank || x.i - y.i)
      .map(({ nd }) => nd);
    const servedByPartner = entry.steps.some((s) => ['accept', 'decline', 'start', 'deliver'].includes(s));
    let found: Assignment | null = null;
    let tooRecent = 0;
    for (const need of candidates) {
      // Proposed at least six hours after the need opened.
      const steps = timeline(
        random,
        entry,
        need,
        config,
        now,
        new Date(need.openedAt.getTime() + 6 * HOUR_MS),
      );
      if (!steps) {
        tooRecent++;
        continue;
      }
      const proposedAt = steps[0]!.at;
      for (const offer of offers) {
        if (!offer.itemIds.includes(need.menuItemId) && !offer.categories.includes(need.category)) continue;
        if (chinaDay(proposedAt) < offer.validFrom) continue;
        if (usedPairs.has(`${need.archiveId}/${offer.id}`)) continue;
        if (servedByPartner && offer.partnerKind !== 'union' && !partnersWithAccounts.has(offer.partnerId))
          continue;
        if ((await suggestions.pairExclusions(need.id, offer.id)).length > 0) continue;
        found = { entry, need, offer, steps };
        break;
      }
      if (found) break;
    }
    if (!found)
      throw new Error(
        `演示匹配: 找不到适合的需求和供给 (${['propose', ...entry.steps].join(' → ')}; ` +
          `${candidates.length} 条开放需求, ${tooRecent} 条开放得太晚)`,
      );
    usedNeeds.add(found.need.id);
    usedPairs.add(`${found.need.archiveId}/${found.offer.id}`);
    if (approving) approvedArchives.add(found.need.archiveId);
    assignments.push(found);
  }

  // Every step of every match, in time order, each with the clock at its moment.
  const events = assignments
    .flatMap((a) => a.steps.map((step) => ({ a, step })))
    .sort((x, y) => x.step.at.getTime() - y.step.at.getTime());
  const realNow = clock.now;
  try {
    for (const { a, step } of events) {
      clock.now = () => new Date(step.at);
      const dto = await perform(matches, staff, a, step, config.matching.matches.approverAboveFen).catch(
        (error: unknown) => {
          // A refusal names the step and its code and details: the plan or the world has to change.
          const details = JSON.stringify((error as { details?: unknown }).details ?? null);
          throw new Error(
            `演示匹配: ${step.command} 被拒绝 (${['propose', ...a.entry.steps].join(' → ')}; 需求 ${a.need.id}, ` +
              `供给 ${a.offer.id}, ${step.at.toISOString()}): ${(error as Error).message} ${details}`,
          );
        },
      );
      a.matchId = dto.id;
      a.version = dto.version;
      if (step.command === 'propose') Object.assign(a, { amountFen: dto.amountFen, units: dto.units });
    }
  } finally {
    clock.now = realNow;
  }

  const byState: Partial<Record<MatchState, number>> = {};
  let overdue = 0;
  for (const a of assignments) {
    const state = finalState(a.entry);
    byState[state] = (byState[state] ?? 0) + 1;
    if (a.entry.overdue) overdue++;
  }
  return { created: assignments.length, byState, overdue };
}

/**
 * When each step of `entry` happens: the last one FRESH (or, overdue, OVERDUE) times its state's SLA
 * before `now`, each earlier one DWELL times the SLA of the state it leaves before the next (shortened,
 * never below an hour, when the need opened too recently for that); an expiry comes at the hard limit of
 * the state it ends (the SLA job's moment). Null when even then the proposal would precede `earliest`.
 */
function timeline(
  random: Random,
  entry: PlanEntry,
  need: NeedRow,
  config: AppConfig,
  now: Date,
  earliest: Date,
): Step[] | null {
  const commands: MatchCommand[] = ['propose', ...entry.steps];
  const states: MatchState[] = ['proposed', ...entry.steps.map((c) => NEXT[c])];
  const slaDays = (state: MatchState) =>
    slaDeadlines(state, now, { itemCode: need.itemCode, urgency: need.urgency }, config.matching.sla)?.days ??
    null;
  const between = ([lo, hi]: readonly [number, number]) => lo + random.next() * (hi - lo);
  const last = states[states.length - 1]!;
  const lastDays = slaDays(last);
  // In its final state for: a share of its SLA; a closed or side-exited match, 1–10 days.
  const rest =
    lastDays !== null && (SLA_STATES as readonly string[]).includes(last)
      ? lastDays * between(entry.overdue ? OVERDUE : FRESH) * DAY_MS
      : (1 + random.next() * 9) * DAY_MS;
  // How long it stayed in each earlier state (index i: from step i to step i + 1); an expiry's is fixed.
  const fixed = new Array<boolean>(commands.length - 1).fill(false);
  const dwell = states.slice(0, -1).map((state, i) => {
    const days = slaDays(state) ?? 1;
    if (commands[i + 1] !== 'expire') return days * between(DWELL) * DAY_MS;
    fixed[i] = true;
    return days * config.matching.sla.hardLimitFactor * DAY_MS + random.int(1, 6) * HOUR_MS;
  });
  const room = now.getTime() - rest - earliest.getTime();
  const fixedMs = dwell.reduce((sum, d, i) => sum + (fixed[i] ? d : 0), 0);
  const flexibleMs = dwell.reduce((sum, d, i) => sum + (fixed[i] ? 0 : d), 0);
  if (fixedMs + flexibleMs > room) {
    const factor = (room - fixedMs) / flexibleMs;
    if (!(factor > 0)) return null;
    for (let i = 0; i < dwell.length; i++) if (!fixed[i]) dwell[i] = dwell[i]! * factor;
    if (dwell.some((d, i) => !fixed[i] && d < HOUR_MS)) return null;
  }
  const at: number[] = [now.getTime() - rest];
  for (let i = dwell.length - 1; i >= 0; i--) at.unshift(at[0]! - dwell[i]!);
  return commands.map((command, i) => ({ command, at: new Date(at[i]!) }));
}

const APPROVE_NOTES = ['情况属实，同意对接', '符合条件，同意', '经核实同意帮扶'];
const DELIVERY_NOTES: Record<OfferRow['kind'], string> = {
  cash: '救助金已发放至职工本人账户',
  goods: '物资已送到职工家中',
  slots: '已按约提供服务',
};
const FINDINGS = ['职工表示帮助及时，生活困难有所缓解', '已收到帮扶，家庭情况稳定', '回访时职工反映仍有困难'];
const CLOSE_NOTES: Record<MatchOutcome, string> = {
  resolved: '困难已解决，办结',
  partially_resolved: '困难部分缓解，纳入下次帮扶计划',
  unresolved: '困难未能解决，已转介相关部门',
};

/** One step of one match, as the demo account whose role gives it. */
async function perform(
  matches: MatchesService,
  staff: Map<string, Principal>,
  a: Assignment,
  step: Step,
  approverAboveFen: number,
): Promise<Pick<MatchDto, 'id' | 'version' | 'amountFen' | 'units'>> {
  const who = (username: string) => {
    const principal = staff.get(username);
    if (!principal) throw new Error(`演示匹配需要演示账号 ${username}`);
    return principal;
  };
  const { entry, offer } = a;
  // The caseworker of the need's own union where it has one, else the city's, proposes, cancels,
  // confirms on the worker's behalf, follows up and closes. A reviewer who did not propose approves or
  // rejects: in 西湖区 the district's (its approver cash above the configured amount), elsewhere the city's
  // approver.
  const inUnit = (username: string) => {
    const path = who(username).orgPath;
    return path !== null && a.need.unitPath.startsWith(path);
  };
  const caseworker = who(inUnit('gr1.caseworker') ? 'gr1.caseworker' : 'hz.caseworker');
  const proposer = caseworker;
  const approver = who(
    !inUnit('xh.reviewer')
      ? 'hz.approver'
      : (a.amountFen ?? 0) > approverAboveFen
        ? 'xh.approver'
        : 'xh.reviewer',
  );
  // A union programme is run by union staff in scope of the need; otherwise the partner's own account.
  const server =
    offer.partnerKind === 'union'
      ? proposer
      : ([...staff.values()].find((p) => p.kind === 'partner' && p.partnerId === offer.partnerId) ?? null);
  const serve = () => {
    if (!server) throw new Error(`演示匹配: 合作方 ${offer.partnerId} 没有演示账号`);
    return server;
  };
  const version = a.version ?? 0;
  const id = a.matchId ?? '';
  switch (step.command) {
    case 'propose':
      return matches.propose(proposer, { needId: a.need.id, offerId: offer.id, note: '根据推荐结果提出' });
    case 'approve':
      return matches.approve(approver, id, { version, note: APPROVE_NOTES[version % APPROVE_NOTES.length] });
    case 'reject':
      return matches.reject(approver, id, { version, reason: '家庭情况与供给要求不符，请另行匹配' });
    case 'accept':
      return matches.accept(serve(), id, { version, note: '已安排专人对接' });
    case 'start':
      return matches.start(serve(), id, { version, note: '服务已开始' });
    case 'deliver':
      return matches.deliver(serve(), id, {
        version,
        note: DELIVERY_NOTES[offer.kind],
        // Paid in full: the cash reserved for it, the goods counted out.
        ...(offer.kind === 'cash' ? { amountFen: a.amountFen ?? 0 } : {}),
        ...(offer.kind === 'goods' ? { goodsCount: a.units } : {}),
      });
    case 'confirm':
      return matches.confirm(caseworker, id, {
        version,
        reason: '职工年老行动不便，经办人上门核实后代为确认',
      });
    case 'follow-up': {
      const channels: FollowUpChannel[] = ['phone', 'visit', 'via_union'];
      return matches.followUp(caseworker, id, {
        version,
        date: chinaDay(step.at),
        channel: channels[version % channels.length]!,
        findings: FINDINGS[entry.outcome === 'unresolved' ? 2 : version % 2]!,
        satisfaction: entry.outcome === 'unresolved' ? 3 : entry.outcome === 'partially_resolved' ? 4 : 5,
      });
    }
    case 'close':
      return matches.close(version % 2 || !inUnit('xh.reviewer') ? caseworker : who('xh.reviewer'), id, {
        version,
        outcome: entry.outcome ?? 'resolved',
        note: CLOSE_NOTES[entry.outcome ?? 'resolved'],
      });
    case 'decline':
      return matches.decline(serve(), id, {
        version,
        reason: entry.declineReason ?? 'other',
        note: entry.declineReason === 'worker_refused' ? '职工表示已有其他安排' : '本期名额已另行安排',
      });
    case 'cancel':
      return matches.cancel(proposer, id, { version, reason: '职工家庭情况变化，取消本次对接' });
    case 'expire':
      if (!(await matches.expire(id))) throw new Error(`演示匹配: ${id} 未能按时限终止`);
      return { id, version: version + 1, amountFen: a.amountFen ?? null, units: a.units ?? 1 };
  }
}

/** The demo accounts as the services see a logged-in caller. */
async function principals(dataSource: DataSource): Promise<Map<string, Principal>> {
  const rows: Array<{
    userId: string;
    username: string;
    kind: Principal['kind'];
    roles: Principal['roles'];
    orgUnitId: string | null;
    orgPath: string | null;
    partnerId: string | null;
  }> = await dataSource.query(
    `SELECT u.id AS "userId", u.username, u.kind, u.roles, u.org_unit_id AS "orgUnitId", o.path AS "orgPath",
            u.partner_id AS "partnerId"
       FROM users u LEFT JOIN org_units o ON o.id = u.org_unit_id
      WHERE u.disabled_at IS NULL`,
  );
  return new Map(
    rows.map((r) => [
      r.username,
      { ...r, sessionId: '00000000-0000-4000-8000-0000000d5eed', restriction: null } satisfies Principal,
    ]),
  );
}

/** YYYY-MM-DD in China time. */
function chinaDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
