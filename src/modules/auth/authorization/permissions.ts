import type { StaffRole } from '../principal';

/**
 * Who may call what: the one table every endpoint's `@Authorize(action)` is checked against (by
 * AuthGuard), before any data-level check (org scope, ownership, separation of duties) in the service.
 * An action absent from this table is denied to everyone. Keep rows sorted by action.
 *
 * Separation of duties is visible here: `admin` manages accounts but holds no archive action; `auditor`
 * holds only `audit-logs.read`.
 */
export interface Grant {
  /** Staff roles allowed (any one suffices). */
  staff?: readonly StaffRole[];
  /** Worker accounts allowed (the service then restricts them to their own records). */
  worker?: boolean;
  /** Partner accounts allowed (the service then restricts them to their organisation's records). */
  partner?: boolean;
  /** Every authenticated account, whatever its kind or roles (e.g. `GET /me`). */
  anyAuthenticated?: boolean;
}

export const PERMISSIONS = {
  // Batch allocation (批量分配): staff of the unit's subtree; the service checks the unit's scope.
  /** A plan's lines become approved matches: who may approve a match, never the plan's author. */
  'allocations.approve': { staff: ['reviewer', 'approver'] },
  'allocations.create': { staff: ['caseworker', 'reviewer', 'approver'] },
  'allocations.discard': { staff: ['caseworker', 'reviewer', 'approver'] },
  'allocations.read': { staff: ['caseworker', 'reviewer', 'approver'] },
  // Archive workflow (建档立卡): the service then checks the archive's state, unit level and scope.
  'archives.accept-transfer': { staff: ['archivist'] },
  'archives.approve': { staff: ['approver'] },
  'archives.cancel': { staff: ['reviewer', 'archivist'] },
  'archives.convert': { staff: ['caseworker'] },
  'archives.exit': { staff: ['caseworker', 'reviewer'] },
  /** 本年度不纳入帮扶 (the archive stays active). */
  'archives.exclude-aid-year': { staff: ['caseworker', 'reviewer'] },
  'archives.list-objections': { staff: ['caseworker', 'reviewer', 'approver'] },
  /** The household's aid ledger (GET /archives/:id/aid): as `archives.read`. */
  'archives.read-aid': { staff: ['caseworker', 'reviewer', 'approver', 'archivist'], worker: true },
  'archives.read-history': { staff: ['caseworker', 'reviewer', 'approver', 'archivist'], worker: true },
  'archives.reject-transfer': { staff: ['archivist'] },
  'archives.reopen': { staff: ['caseworker'] },
  'archives.resolve-objection': { staff: ['reviewer', 'approver'] },
  'archives.reverify': { staff: ['reviewer'] },
  'archives.review': { staff: ['reviewer'] },
  'archives.submit': { staff: ['caseworker'], worker: true },
  'archives.transfer': { staff: ['archivist'] },
  'archives.verify': { staff: ['reviewer'] },
  // Archive data (records, consents, reveals): the service then checks ownership (workers) or scope (staff),
  // and which statuses allow an edit. Archivists read (transfers, cleanups); only caseworkers write.
  'archives.consent': { staff: ['caseworker'], worker: true },
  'archives.create': { staff: ['caseworker'], worker: true },
  // Change requests (变更申请) of active archives: caseworkers ask, reviewers decide (never their own).
  'archives.decide-change-request': { staff: ['reviewer'] },
  'archives.list-change-requests': { staff: ['caseworker', 'reviewer', 'approver'] },
  'archives.request-change': { staff: ['caseworker'] },
  'archives.list': { staff: ['caseworker', 'reviewer', 'approver', 'archivist'], worker: true },
  'archives.read': { staff: ['caseworker', 'reviewer', 'approver', 'archivist'], worker: true },
  'archives.reveal': { staff: ['caseworker', 'reviewer', 'approver'] },
  'archives.update': { staff: ['caseworker'], worker: true },
  // Archive evidence files (ID cards, medical records …): those who enter and check archives, and the
  // approver who decides on them; the service adds ownership/scope and which statuses allow a write.
  'archives.delete-evidence': { staff: ['caseworker', 'reviewer'], worker: true },
  'archives.list-evidence': { staff: ['caseworker', 'reviewer', 'approver'], worker: true },
  'archives.read-evidence': { staff: ['caseworker', 'reviewer', 'approver'], worker: true },
  'archives.upload-evidence': { staff: ['caseworker', 'reviewer'], worker: true },
  // The 低保 line table: read by everyone who checks archives; archivists add dated lines.
  /** Add, correct or withdraw lines; backdating is the approver's (checked by the service). */
  'dibao-lines.create': { staff: ['archivist', 'approver'] },
  'dibao-lines.read': { staff: ['caseworker', 'reviewer', 'approver', 'archivist'] },
  'audit-logs.read': { staff: ['auditor'] },
  // The aid ledger (帮扶台账): a household's ledger is read as its archive is (the service: the worker's own
  // household, staff in scope); the ledger over a subtree is for staff who approve and follow aid.
  'aid-ledger.list': { staff: ['caseworker', 'reviewer', 'approver'] },
  'auth.change-password': { anyAuthenticated: true },
  'auth.self': { anyAuthenticated: true },
  'auth.totp-enrol': { anyAuthenticated: true },
  // The service menu (点菜单): administrators keep it; anyone reads the active items without logging in.
  // Matches (匹配, issue 13): staff propose, reviewers and approvers approve or reject (never their own
  // proposal), partners accept, serve and deliver (staff only for a union programme), the worker or a
  // partner declines, the worker confirms (a caseworker on its behalf), caseworkers follow up, close and
  // cancel. The service then checks scope, ownership and the state machine.
  'matches.approve': { staff: ['reviewer', 'approver'] },
  'matches.cancel': { staff: ['caseworker', 'reviewer', 'approver'] },
  'matches.close': { staff: ['caseworker', 'reviewer'] },
  'matches.confirm': { staff: ['caseworker'], worker: true },
  'matches.consent': { staff: ['caseworker'], worker: true },
  'matches.decline': { staff: ['caseworker', 'reviewer', 'approver'], worker: true, partner: true },
  'matches.follow-up': { staff: ['caseworker'] },
  /** The overdue view (issue 13 §4): staff who act on matches, over their subtree. */
  'matches.overdue': { staff: ['caseworker', 'reviewer', 'approver'] },
  'matches.propose': { staff: ['caseworker', 'reviewer', 'approver'] },
  'matches.read': { staff: ['caseworker', 'reviewer', 'approver'], worker: true, partner: true },
  'matches.reveal': { worker: true, partner: true },
  'matches.serve': { staff: ['caseworker', 'reviewer', 'approver'], partner: true },
  'menu-items.manage': { staff: ['admin'] },
  'menu-items.read': { staff: ['admin'] },
  // Partner organisations (合作方): registration is public (no action); staff who work with partners read
  // those vetted in their subtree, reviewers vet them; a partner account reads its own organisation and
  // its accounts (the service lets only the first account add or disable accounts).
  'partners.accounts': { partner: true },
  'partners.list': { staff: ['caseworker', 'reviewer', 'approver'] },
  'partners.read': { staff: ['caseworker', 'reviewer', 'approver'], partner: true },
  'partners.vet': { staff: ['reviewer'] },
  // Needs (需求/点单): workers order for their household, caseworkers on a worker's behalf; reviewers of the
  // archive's unit or above screen them. The service then checks ownership (workers) or scope (staff).
  'needs.create': { staff: ['caseworker'], worker: true },
  'needs.list': { staff: ['caseworker', 'reviewer', 'approver'], worker: true },
  'needs.read': { staff: ['caseworker', 'reviewer', 'approver'], worker: true },
  'needs.screen': { staff: ['reviewer'] },
  /** Offers suggested for a need (the service: its scope / the worker's own household). */
  'needs.suggestions': { staff: ['caseworker', 'reviewer', 'approver'], worker: true },
  'needs.withdraw': { staff: ['caseworker'], worker: true },
  /** Every account's own inbox (站内消息); the service restricts each to its own messages. */
  'notifications.inbox': { anyAuthenticated: true },
  // Offers (供给): a partner's accounts write their organisation's offers; for a union programme a caseworker
  // writes and an approver publishes (reviewers publish partners' offers). The service then checks the
  // offer's partner (own organisation / its unit in the caller's subtree) and which kind of offer it is.
  /** Workers browse what is available to them; caseworkers browse it for a worker they help. */
  'offers.available': { staff: ['caseworker'], worker: true },
  'offers.close': { staff: ['caseworker', 'reviewer'], partner: true },
  'offers.create': { staff: ['caseworker'], partner: true },
  'offers.list': { staff: ['caseworker', 'reviewer', 'approver'], partner: true },
  /** Pause and resume. */
  'offers.pause': { staff: ['caseworker'], partner: true },
  'offers.read': { staff: ['caseworker', 'reviewer', 'approver'], partner: true },
  /** Publish and return. */
  'offers.review': { staff: ['reviewer', 'approver'] },
  'offers.submit': { staff: ['caseworker'], partner: true },
  /** Needs suggested for a published offer, as masked cards (the service: its scope / the partner's own). */
  'offers.suggestions': { staff: ['caseworker', 'reviewer', 'approver'], partner: true },
  'offers.update': { staff: ['caseworker'], partner: true },
  'org-units.create': { staff: ['admin'] },
  // Every staff role works inside the tree; the auditor reads only the audit log.
  'org-units.read': { staff: ['caseworker', 'reviewer', 'approver', 'archivist', 'admin'] },
  'users.create': { staff: ['admin'] },
  'users.disable': { staff: ['admin'] },
  'users.enable': { staff: ['admin'] },
  'users.list': { staff: ['admin'] },
  'users.read': { staff: ['admin'] },
  'users.reset-password': { staff: ['admin'] },
  'users.reveal': { staff: ['admin'] },
  'users.unlock': { staff: ['admin'] },
  'users.update': { staff: ['admin'] },
} as const satisfies Record<string, Grant>;

export type Action = keyof typeof PERMISSIONS;

export function grantFor(action: string): Grant | undefined {
  return (PERMISSIONS as Record<string, Grant>)[action];
}
