import type { EntityManager } from 'typeorm';
import type { ArchiveKind, ArchiveStatus, Cause, SchoolingStage } from '../../modules/archives/archive.enums';
import type { MenuBeneficiary, MenuCategory, MenuUnit } from '../../modules/menu/menu.enums';
import type { ContactPreference, NeedRejectReason, NeedState } from '../../modules/needs/needs.enums';
import { screeningViolations } from '../../modules/needs/rules/need-screening.rule';
import { findNeedTransition, type NeedCommand } from '../../modules/needs/rules/need-transitions.rule';
import { DEMO_LEDGER_RECORDER_ID } from './demo-archives.seed';
import { Random } from './demo-random';
import { drawNeedCategory, drawNeedTerms } from './synthetic/synthetic-world';

/**
 * About 400 demo needs (需求/点单) ordered from the demo archives, in every state a need can reach
 * before the match lifecycle exists: waiting for a reviewer (`screening`), `open`, `rejected` by the
 * automatic screening or by a reviewer, `withdrawn` and `expired`. (`submitted` lasts only inside the
 * ordering transaction; `matched`, `fulfilled` and `closed` come with matches.)
 *
 * Each need is ordered by a caseworker on the worker's behalf (the demo workers have no archives), runs
 * the same automatic screening as the API (screeningViolations) and then moves through the transitions
 * of the state machine, each an UPDATE the database's transition trigger checks and a history row.
 * The needs that fail the screening fail it for real reasons: an archive not yet active, or one that has
 * ended. Open needs have not expired yet; expired ones passed their validity (the item's validityDays).
 *
 * The search index is not written here: `npm run seed:demo` rebuilds the `needs` index afterwards.
 */

export const DEMO_NEED_COUNTS: Readonly<Partial<Record<NeedState, number>>> = {
  screening: 70,
  open: 170,
  rejected: 60,
  withdrawn: 40,
  expired: 60,
};

/** Of the rejected needs, how many the automatic screening rejects (the rest a reviewer). */
const AUTO_REJECTED = 30;

const RANDOM_SEED = 20_261_205;
const DAY_MS = 24 * 3600 * 1000;

export interface DemoNeedsResult {
  /** 0 when demo needs were already there (the seed is idempotent). */
  created: number;
  byState: Partial<Record<NeedState, number>>;
}

interface ArchiveRow {
  id: string;
  primary_cause: Cause | null;
  status: ArchiveStatus;
  kind: ArchiveKind;
  org_unit_id: string;
  region_code: string;
  activated_at: Date | null;
  created_at: Date;
}

interface MemberRow {
  id: string;
  archive_id: string;
  schooling_stage: SchoolingStage;
}

interface ItemRow {
  id: string;
  category: MenuCategory;
  unit: MenuUnit;
  max_per_need: number;
  requires_active_archive: boolean;
  accepts_temporary_archive: boolean;
  beneficiary: MenuBeneficiary;
  stages: SchoolingStage[];
  validity_days: number;
  tags: string[];
}

interface Staff {
  /** The demo caseworker of the unit, if the demo tree has one. */
  caseworker: (unitId: string) => string | null;
  /** A demo reviewer of the unit or an ancestor, if any. */
  reviewer: (unitId: string) => string | null;
}

/** One step of a need's life: the command, its decision, when, and by whom. */
interface Step {
  command: NeedCommand | 'submit';
  decision?: string;
  at: Date;
  actorId: string | null;
  actorKind: 'staff' | 'system';
  reasons?: NeedRejectReason[];
  note?: string;
}

/** The shape of a need's life, chosen before its archive and item. */
type Path = 'screening' | 'open' | 'auto-rejected' | 'reviewer-rejected' | 'withdrawn' | 'expired';

const DESCRIPTIONS: Record<MenuCategory, readonly string[]> = {
  training: ['想学一门手艺，尽快重新上岗', '原单位关停，希望参加培训拿证', '家里走不开，希望就近培训'],
  employment: [
    '希望找一份离家近、能照顾家人的工作',
    '身体还行，想找门卫保洁类岗位',
    '会开车，想找送货司机工作',
  ],
  donation: ['家中老人冬天怕冷，需要棉衣棉被', '孩子多，日常开销紧张', '过年前希望得到一些生活物资'],
  tuition: ['孩子今年考上学校，学费凑不齐', '两个孩子同时上学，负担很重'],
  medical: ['住院自付部分较多，家里已借了不少钱', '慢性病长期吃药，费用压力大'],
  legal: ['被拖欠工资半年，想讨回来', '工伤认定有争议，需要法律帮助'],
  counseling: ['家里出事后睡不好，情绪低落', '孩子压力大，希望有人聊聊'],
  relief: ['突发变故，这个月生活费没有着落', '房子漏雨急需修缮'],
  care: ['老人行动不便，白天没人照看', '残疾家属需要定期上门照护'],
  policy: ['不清楚自己能享受哪些帮扶政策', '想了解低保和医保报销怎么办'],
};

const WITHDRAW_NOTES = ['职工来电说明问题已自行解决，撤回申请', '职工已通过其他渠道获得帮助，撤回'];
const REVIEW_REJECT_NOTES: Partial<Record<NeedRejectReason, string>> = {
  not_in_hardship_scope: '所报困难不属于本项帮扶范围',
  insufficient_information: '情况说明不足，已告知补充后重新申请',
  already_helped: '本年度已获同类帮扶',
};

/** Seeds the demo needs unless the database has needs already. Needs the menu, the archives and the staff. */
export async function seedDemoNeeds(manager: EntityManager, deps: { now: Date }): Promise<DemoNeedsResult> {
  const [{ n }] = await manager.query(`SELECT count(*)::int AS n FROM needs`);
  if (n > 0) return { created: 0, byState: {} };

  const items: ItemRow[] = await manager.query(
    `SELECT id, category, unit, max_per_need, requires_active_archive, accepts_temporary_archive,
            beneficiary, stages, validity_days, tags
       FROM menu_items WHERE active ORDER BY sort_order, code`,
  );
  if (items.length === 0) throw new Error('演示需求需要服务菜单 (menu_items 为空)');
  const archives: ArchiveRow[] = await manager.query(
    `SELECT id, primary_cause, status, kind, org_unit_id, region_code, activated_at, created_at
       FROM archives ORDER BY created_at, id`,
  );
  const members: MemberRow[] = await manager.query(
    `SELECT id, archive_id, schooling_stage FROM archive_members ORDER BY archive_id, position`,
  );
  const staff = await findStaff(manager);
  const random = new Random(RANDOM_SEED);
  const now = deps.now;
  const membersOf = (archiveId: string) => members.filter((m) => m.archive_id === archiveId);
  /** (archive, item, beneficiary) keys of needs that have not reached a final state. */
  const activeKeys = new Set<string>();
  const byState: Partial<Record<NeedState, number>> = {};

  const paths: Path[] = [
    ...repeat('screening', DEMO_NEED_COUNTS.screening!),
    ...repeat('open', DEMO_NEED_COUNTS.open!),
    ...repeat('auto-rejected', AUTO_REJECTED),
    ...repeat('reviewer-rejected', DEMO_NEED_COUNTS.rejected! - AUTO_REJECTED),
    ...repeat('withdrawn', DEMO_NEED_COUNTS.withdrawn!),
    ...repeat('expired', DEMO_NEED_COUNTS.expired!),
  ];
  for (const path of paths) {
    const choice = choose(random, path, archives, items, membersOf, activeKeys, now);
    const { archive, item, memberId } = choice;
    const beneficiaryKey = memberId ?? 'head';
    const ordered = choice.orderedAt;
    const caseworker = staff.caseworker(archive.org_unit_id);
    const reviewer = staff.reviewer(archive.org_unit_id);
    const reviewed = new Date(ordered.getTime() + random.int(1, 5) * DAY_MS);
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
        members: membersOf(archive.id).map((m) => ({ id: m.id, schoolingStage: m.schooling_stage })),
      },
      { memberId },
    );
    const staffStep = (at: Date, id: string | null) => ({
      at,
      actorId: id,
      actorKind: 'staff' as const,
      ...(id === null ? { note: '按纸质台账补录' } : {}),
    });
    const steps: Step[] = [
      { command: 'submit', ...staffStep(ordered, caseworker), note: '工作人员代为申请' },
      violations.length > 0
        ? {
            command: 'auto-screen',
            decision: 'fail',
            at: ordered,
            actorId: null,
            actorKind: 'system',
            reasons: violations,
          }
        : { command: 'auto-screen', decision: 'pass', at: ordered, actorId: null, actorKind: 'system' },
    ];
    if ((path === 'auto-rejected') !== violations.length > 0)
      throw new Error(`演示需求的自动初筛结果与计划不符: ${path} ${violations.join(',')}`);
    let openedAt: Date | null = null;
    let expiresAt: Date | null = null;
    if (path === 'reviewer-rejected') {
      const reason = random.pick([
        'not_in_hardship_scope',
        'insufficient_information',
        'already_helped',
      ] as const);
      steps.push({
        command: 'screen',
        decision: 'reject',
        ...staffStep(reviewed, reviewer),
        reasons: [reason],
        note: REVIEW_REJECT_NOTES[reason],
      });
    } else if (path === 'withdrawn' && random.chance(0.4)) {
      steps.push({
        command: 'withdraw',
        ...staffStep(reviewed, caseworker),
        note: random.pick(WITHDRAW_NOTES),
      });
    } else if (path !== 'screening' && path !== 'auto-rejected') {
      openedAt = reviewed;
      expiresAt = new Date(openedAt.getTime() + item.validity_days * DAY_MS);
      steps.push({ command: 'screen', decision: 'approve', ...staffStep(openedAt, reviewer) });
      if (path === 'withdrawn') {
        const at = new Date(
          openedAt.getTime() + Math.floor(random.next() * (now.getTime() - openedAt.getTime())),
        );
        steps.push({ command: 'withdraw', ...staffStep(at, caseworker), note: random.pick(WITHDRAW_NOTES) });
      } else if (path === 'expired') {
        // The daily job runs in the night after the validity ends.
        steps.push({
          command: 'expire',
          at: new Date(expiresAt.getTime() + DAY_MS / 3),
          actorId: null,
          actorKind: 'system',
        });
      }
    }

    const id = await insertNeed(manager, random, { archive, item, beneficiaryKey, first: steps[0] });
    let state: NeedState = 'submitted';
    for (const step of steps.slice(1)) {
      const transition = findNeedTransition(state, step.command as NeedCommand, step.decision);
      if (!transition) throw new Error(`演示需求: ${state} 不能 ${step.command}`);
      await manager.query(
        `UPDATE needs SET state = $2, state_changed_at = $3, reject_reasons = $4, opened_at = $5,
                          expires_at = $6, updated_at = $3, version = version + 1
          WHERE id = $1`,
        [id, transition.to, step.at, transition.to === 'rejected' ? step.reasons : [], openedAt, expiresAt],
      );
      await insertHistory(manager, id, step, state, transition.to);
      state = transition.to;
    }
    if (!['rejected', 'withdrawn', 'expired'].includes(state))
      activeKeys.add(keyOf(archive.id, item.id, beneficiaryKey));
    byState[state] = (byState[state] ?? 0) + 1;
  }
  return { created: paths.length, byState };
}

interface Choice {
  archive: ArchiveRow;
  item: ItemRow;
  /** null: the head of household. */
  memberId: string | null;
  orderedAt: Date;
}

/**
 * An archive, an item and a beneficiary that fit `path`: the screening passes (or, for `auto-rejected`,
 * fails because the archive is not active yet or has ended), no active need of the same key exists, and
 * the dates fit (an open need has not expired by `now`; an expired one had its whole validity since the
 * archive was activated).
 */
function choose(
  random: Random,
  path: Path,
  archives: readonly ArchiveRow[],
  items: readonly ItemRow[],
  membersOf: (archiveId: string) => MemberRow[],
  activeKeys: ReadonlySet<string>,
  now: Date,
): Choice {
  const pool =
    path === 'auto-rejected'
      ? archives.filter((a) => ['draft', 'submitted', 'verifying', 'exited', 'cancelled'].includes(a.status))
      : archives.filter((a) => a.status === 'active' && a.activated_at !== null);
  for (let attempt = 0; attempt < 500; attempt++) {
    const archive = random.pick(pool);
    // The item: of a category the household's hardship calls for (synthetic-world.ts), else any.
    const candidates = path === 'auto-rejected' ? items.filter((i) => i.requires_active_archive) : items;
    const category = drawNeedCategory(random, archive.primary_cause);
    const ofCategory = candidates.filter((i) => i.category === category);
    const item = random.pick(ofCategory.length > 0 ? ofCategory : candidates);
    const memberId = beneficiaryFor(random, item, membersOf(archive.id));
    if (memberId === undefined) continue;
    if (activeKeys.has(keyOf(archive.id, item.id, memberId ?? 'head'))) continue;
    if (path !== 'auto-rejected' && archive.kind === 'temporary' && !item.accepts_temporary_archive) continue;
    const earliest = Math.max(
      (archive.activated_at ?? archive.created_at).getTime() + DAY_MS,
      now.getTime() - 400 * DAY_MS,
    );
    const validity = item.validity_days * DAY_MS;
    let from = earliest;
    let to = now.getTime() - 6 * DAY_MS;
    if (path === 'screening') from = Math.max(from, now.getTime() - 20 * DAY_MS);
    // Opened (ordered + up to 5 days) less than its validity ago, and not in the future.
    if (path === 'open' || path === 'withdrawn') from = Math.max(from, now.getTime() - validity + 1 * DAY_MS);
    // Its validity, and the night the job expired it, both over by now.
    if (path === 'expired') to = Math.min(to, now.getTime() - validity - 7 * DAY_MS);
    if (from >= to) continue;
    return { archive, item, memberId, orderedAt: new Date(from + Math.floor(random.next() * (to - from))) };
  }
  throw new Error(`演示需求: 找不到适合 ${path} 的档案和项目`);
}

/** The beneficiary: null for the head, a member id, or undefined when the household has nobody who fits. */
function beneficiaryFor(
  random: Random,
  item: ItemRow,
  members: readonly MemberRow[],
): string | null | undefined {
  switch (item.beneficiary) {
    case 'worker':
      return null;
    case 'any_member':
      return members.length > 0 && random.chance(0.3) ? random.pick(members).id : null;
    case 'member_in_stage': {
      const fits = members.filter((m) => item.stages.includes(m.schooling_stage));
      return fits.length > 0 ? random.pick(fits).id : undefined;
    }
  }
}

async function insertNeed(
  manager: EntityManager,
  random: Random,
  need: { archive: ArchiveRow; item: ItemRow; beneficiaryKey: string; first: Step },
): Promise<string> {
  const { archive, item, first } = need;
  const quantity =
    item.unit === 'yuan'
      ? Math.min(item.max_per_need, random.int(5, 50) * 10_000)
      : Math.min(item.max_per_need, random.int(1, 3));
  const tags = item.tags.length > 0 && random.chance(0.6) ? [random.pick(item.tags)] : [];
  const { urgency, mode } = drawNeedTerms(random, item.category);
  const contact = random.weighted<ContactPreference>([
    ['phone', 5],
    ['via_union', 3],
    ['visit', 2],
    ['sms', 1],
  ]);
  const description = random.chance(0.8) ? random.pick(DESCRIPTIONS[item.category]) : null;
  const [{ id }] = await manager.query(
    `INSERT INTO needs (archive_id, menu_item_id, beneficiary_key, quantity, urgency, tags, description,
                        preferred_mode, region_code, contact_preference, state, created_by, on_behalf,
                        state_changed_at, created_at, updated_at, version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'submitted', $11, true, $12, $12, $12, 1)
     RETURNING id`,
    [
      archive.id,
      item.id,
      need.beneficiaryKey,
      quantity,
      urgency,
      tags,
      description,
      mode,
      archive.region_code,
      contact,
      first.actorId ?? DEMO_LEDGER_RECORDER_ID,
      first.at,
    ],
  );
  await insertHistory(manager, id, first, null, 'submitted');
  return id;
}

async function insertHistory(
  manager: EntityManager,
  needId: string,
  step: Step,
  from: NeedState | null,
  to: NeedState,
): Promise<void> {
  await manager.query(
    `INSERT INTO need_history (need_id, at, actor_id, actor_kind, command, from_state, to_state, reasons, note)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      needId,
      step.at,
      step.actorId,
      step.actorKind,
      step.command,
      from,
      to,
      step.reasons ?? [],
      step.note ?? null,
    ],
  );
}

/** The demo staff who order and screen needs: a unit's own caseworker; a reviewer of the unit or above. */
async function findStaff(manager: EntityManager): Promise<Staff> {
  const users: Array<{ id: string; org_unit_id: string; roles: string[] }> = await manager.query(
    `SELECT id, org_unit_id, roles FROM users WHERE kind = 'staff' AND disabled_at IS NULL ORDER BY username`,
  );
  const parents: Array<{ id: string; parent_id: string | null }> = await manager.query(
    `SELECT id, parent_id FROM org_units`,
  );
  const parentOf = new Map(parents.map((u) => [u.id, u.parent_id]));
  const withRole = (unitId: string, role: string) =>
    users.find((u) => u.org_unit_id === unitId && u.roles.includes(role))?.id ?? null;
  return {
    caseworker: (unitId) => withRole(unitId, 'caseworker'),
    reviewer: (unitId) => {
      for (let unit: string | null | undefined = unitId; unit; unit = parentOf.get(unit)) {
        const found = withRole(unit, 'reviewer');
        if (found) return found;
      }
      return null;
    },
  };
}

function keyOf(archiveId: string, itemId: string, beneficiaryKey: string): string {
  return `${archiveId}/${itemId}/${beneficiaryKey}`;
}

function repeat<T extends string>(value: T, n: number): T[] {
  return Array.from({ length: n }, () => value);
}
