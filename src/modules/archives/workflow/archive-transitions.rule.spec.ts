import { ARCHIVE_STATUSES, type ArchiveStatus } from '../archive.enums';
import type { StaffRole } from '../../auth/principal';
import {
  ActorFacts,
  actorMay,
  availableCommands,
  findTransition,
  targetStatus,
  WorkflowCommand,
} from './archive-transitions.rule';

function facts(overrides: Partial<ActorFacts> = {}): ActorFacts {
  return {
    kind: 'staff',
    roles: [],
    isOwner: false,
    isOwnUnit: false,
    isParentUnit: false,
    inScope: false,
    receivingInScope: false,
    ...overrides,
  };
}

const staffAt = (where: 'own' | 'parent' | 'above' | 'outside' | 'receiving', ...roles: StaffRole[]) =>
  facts({
    roles,
    isOwnUnit: where === 'own',
    isParentUnit: where === 'parent',
    inScope: where === 'own' || where === 'parent' || where === 'above',
    receivingInScope: where === 'receiving',
  });
const owner = facts({ kind: 'worker', isOwner: true });
const otherWorker = facts({ kind: 'worker', isOwner: false });
const system = facts({ kind: 'system' });

describe('archive transitions rule', () => {
  describe('allowed transitions', () => {
    it.each<[WorkflowCommand, string | undefined, ArchiveStatus, ArchiveStatus]>([
      ['submit', undefined, 'draft', 'submitted'],
      ['submit', undefined, 'returned', 'submitted'],
      ['review', 'approve', 'submitted', 'verifying'],
      ['review', 'return', 'submitted', 'returned'],
      ['review', 'reject', 'submitted', 'rejected'],
      ['verify', 'pass', 'verifying', 'approving'],
      ['verify', 'return', 'verifying', 'returned'],
      ['approve', 'approve', 'approving', 'publicizing'],
      ['approve', 'return', 'approving', 'returned'],
      ['approve', 'reject', 'approving', 'rejected'],
      ['resolve-objection', 'uphold', 'publicizing', 'verifying'],
      ['resolve-objection', 'uphold', 'verifying', 'verifying'],
      ['resolve-objection', 'dismiss', 'publicizing', 'publicizing'],
      ['activate', undefined, 'publicizing', 'active'],
      ['exit', undefined, 'active', 'exited'],
      ['cancel', undefined, 'active', 'cancelled'],
      ['cancel', undefined, 'exited', 'cancelled'],
      ['cancel', undefined, 'draft', 'cancelled'],
      ['transfer', undefined, 'active', 'transferring'],
      ['reverify', undefined, 'active', 'active'],
      ['reopen', undefined, 'exited', 'returned'],
    ])('%s %s: %s → %s', (command, decision, from, to) => {
      const lookup = findTransition(from, 'formal', command, decision);
      expect(lookup.ok).toBe(true);
      if (lookup.ok) expect(targetStatus(lookup.transition, from, null)).toBe(to);
    });

    it.each<[WorkflowCommand, ArchiveStatus]>([
      ['accept-transfer', 'active'],
      ['reject-transfer', 'active'],
    ])('%s restores the status before the transfer (%s)', (command, before) => {
      const lookup = findTransition('transferring', 'formal', command);
      expect(lookup.ok).toBe(true);
      if (lookup.ok) expect(targetStatus(lookup.transition, 'transferring', before)).toBe(before);
    });

    it.each<ArchiveStatus>(['draft', 'returned'])(
      'convert keeps the status (%s) of a temporary archive before the chain',
      (status) => {
        const lookup = findTransition(status, 'temporary', 'convert');
        expect(lookup.ok).toBe(true);
        if (lookup.ok) expect(targetStatus(lookup.transition, status, null)).toBe(status);
      },
    );

    it('convert sends an active temporary archive through the chain again; not one in the middle of it', () => {
      const lookup = findTransition('active', 'temporary', 'convert');
      expect(lookup.ok && targetStatus(lookup.transition, 'active', null)).toBe('submitted');
      for (const status of ['submitted', 'verifying', 'approving', 'publicizing'] as const)
        expect(findTransition(status, 'temporary', 'convert')).toEqual({ ok: false, reason: 'state' });
    });

    it.each<[WorkflowCommand, string, ArchiveStatus]>([
      ['review', 'return', 'submitted'],
      ['review', 'reject', 'submitted'],
      ['verify', 'return', 'verifying'],
      ['approve', 'return', 'approving'],
      ['approve', 'reject', 'approving'],
    ])('in a 转正 round, %s %s from %s goes back to active', (command, decision, from) => {
      const lookup = findTransition(from, 'temporary', command, decision);
      expect(lookup.ok && targetStatus(lookup.transition, from, null, true)).toBe('active');
      expect(lookup.ok && targetStatus(lookup.transition, from, null, false)).not.toBe('active');
    });

    it.each<ArchiveStatus>(['draft', 'publicizing', 'active', 'transferring'])(
      'the temporary expiry cancels a temporary archive in %s',
      (status) => {
        const lookup = findTransition(status, 'temporary', 'expire-temporary');
        expect(lookup.ok).toBe(true);
        if (lookup.ok) expect(targetStatus(lookup.transition, status, null)).toBe('cancelled');
      },
    );
  });

  describe('forbidden in the wrong state', () => {
    const cases: Array<[WorkflowCommand, string | undefined, ArchiveStatus[]]> = [
      ['submit', undefined, ['draft', 'returned']],
      ['review', 'approve', ['submitted']],
      ['verify', 'pass', ['verifying']],
      ['approve', 'approve', ['approving']],
      ['activate', undefined, ['publicizing']],
      ['exit', undefined, ['active']],
      ['transfer', undefined, ['active']],
      ['accept-transfer', undefined, ['transferring']],
      ['reject-transfer', undefined, ['transferring']],
      [
        'cancel',
        undefined,
        ['draft', 'returned', 'submitted', 'verifying', 'approving', 'publicizing', 'active', 'exited'],
      ],
    ];
    for (const [command, decision, allowedFrom] of cases) {
      const forbidden = ARCHIVE_STATUSES.filter((s) => !allowedFrom.includes(s));
      it.each(forbidden)(`${command} from %s is refused (state)`, (status) => {
        expect(findTransition(status, 'formal', command, decision)).toEqual({ ok: false, reason: 'state' });
      });
    }

    it('an unknown decision matches no transition', () => {
      expect(findTransition('submitted', 'formal', 'review', 'maybe')).toEqual({
        ok: false,
        reason: 'state',
      });
    });

    it.each<ArchiveStatus>(['rejected', 'cancelled', 'exited', 'transferring'])(
      'convert from %s is refused (state)',
      (status) => {
        expect(findTransition(status, 'temporary', 'convert')).toEqual({ ok: false, reason: 'state' });
      },
    );

    it.each(['formal', 'migrant'] as const)('convert of a %s archive is refused (kind)', (kind) => {
      expect(findTransition('active', kind, 'convert')).toEqual({ ok: false, reason: 'kind' });
    });

    it('the temporary expiry never touches formal archives or closed ones', () => {
      expect(findTransition('active', 'formal', 'expire-temporary')).toEqual({ ok: false, reason: 'kind' });
      expect(findTransition('rejected', 'temporary', 'expire-temporary').ok).toBe(false);
      expect(findTransition('exited', 'temporary', 'expire-temporary').ok).toBe(false);
    });
  });

  describe('who may do it', () => {
    const transition = (
      status: ArchiveStatus,
      command: WorkflowCommand,
      decision?: string,
      kind: 'formal' | 'temporary' = 'formal',
    ) => {
      const lookup = findTransition(status, kind, command, decision);
      if (!lookup.ok) throw new Error(`no transition ${command} from ${status}`);
      return lookup.transition;
    };

    it.each<[string, WorkflowCommand, ArchiveStatus, string | undefined, ActorFacts, true | 'role' | 'unit']>(
      [
        ['owner submits', 'submit', 'draft', undefined, owner, true],
        ['another worker submits', 'submit', 'draft', undefined, otherWorker, 'unit'],
        ['caseworker of the unit submits', 'submit', 'draft', undefined, staffAt('own', 'caseworker'), true],
        [
          'caseworker of the district submits',
          'submit',
          'returned',
          undefined,
          staffAt('parent', 'caseworker'),
          true,
        ],
        [
          'caseworker outside submits',
          'submit',
          'draft',
          undefined,
          staffAt('outside', 'caseworker'),
          'unit',
        ],
        ['reviewer submits', 'submit', 'draft', undefined, staffAt('own', 'reviewer'), 'role'],
        ['own reviewer reviews', 'review', 'submitted', 'approve', staffAt('own', 'reviewer'), true],
        ['parent reviewer reviews', 'review', 'submitted', 'approve', staffAt('parent', 'reviewer'), 'unit'],
        ['caseworker reviews', 'review', 'submitted', 'return', staffAt('own', 'caseworker'), 'role'],
        ['worker reviews', 'review', 'submitted', 'approve', owner, 'role'],
        ['parent reviewer verifies', 'verify', 'verifying', 'pass', staffAt('parent', 'reviewer'), true],
        ['own reviewer verifies', 'verify', 'verifying', 'pass', staffAt('own', 'reviewer'), 'unit'],
        [
          'reviewer two levels up verifies',
          'verify',
          'verifying',
          'pass',
          staffAt('above', 'reviewer'),
          'unit',
        ],
        [
          'approver of the unit approves',
          'approve',
          'approving',
          'approve',
          staffAt('own', 'approver'),
          true,
        ],
        ['approver above approves', 'approve', 'approving', 'approve', staffAt('above', 'approver'), true],
        [
          'approver outside approves',
          'approve',
          'approving',
          'approve',
          staffAt('outside', 'approver'),
          'unit',
        ],
        ['reviewer approves', 'approve', 'approving', 'approve', staffAt('own', 'reviewer'), 'role'],
        [
          'reviewer resolves an objection',
          'resolve-objection',
          'publicizing',
          'uphold',
          staffAt('own', 'reviewer'),
          true,
        ],
        [
          'caseworker resolves an objection',
          'resolve-objection',
          'publicizing',
          'dismiss',
          staffAt('own', 'caseworker'),
          'role',
        ],
        ['a person activates', 'activate', 'publicizing', undefined, staffAt('own', 'approver'), 'role'],
        ['the job activates', 'activate', 'publicizing', undefined, system, true],
        ['the job reviews', 'review', 'submitted', 'approve', system, 'role'],
        ['caseworker exits', 'exit', 'active', undefined, staffAt('own', 'caseworker'), true],
        ['archivist exits', 'exit', 'active', undefined, staffAt('own', 'archivist'), 'role'],
        ['archivist cancels', 'cancel', 'active', undefined, staffAt('above', 'archivist'), true],
        ['caseworker cancels', 'cancel', 'active', undefined, staffAt('own', 'caseworker'), 'role'],
        ['archivist transfers', 'transfer', 'active', undefined, staffAt('own', 'archivist'), true],
        [
          'archivist outside transfers',
          'transfer',
          'active',
          undefined,
          staffAt('outside', 'archivist'),
          'unit',
        ],
        [
          'receiving archivist accepts',
          'accept-transfer',
          'transferring',
          undefined,
          staffAt('receiving', 'archivist'),
          true,
        ],
        [
          'sending archivist accepts',
          'accept-transfer',
          'transferring',
          undefined,
          staffAt('own', 'archivist'),
          'unit',
        ],
        [
          'receiving caseworker accepts',
          'accept-transfer',
          'transferring',
          undefined,
          staffAt('receiving', 'caseworker'),
          'role',
        ],
        [
          'receiving archivist rejects',
          'reject-transfer',
          'transferring',
          undefined,
          staffAt('receiving', 'archivist'),
          true,
        ],
      ],
    )('%s', (_name, command, status, decision, who, expected) => {
      const answer = actorMay(transition(status, command, decision), who);
      if (expected === true) expect(answer).toEqual({ ok: true });
      else expect(answer).toEqual({ ok: false, reason: expected });
    });

    it.each<[StaffRole, boolean]>([
      ['caseworker', true],
      ['approver', false],
      ['reviewer', false],
      ['archivist', false],
    ])('convert by %s: %s', (role, allowed) => {
      expect(actorMay(transition('active', 'convert', undefined, 'temporary'), staffAt('own', role)).ok).toBe(
        allowed,
      );
    });

    it('a staff member holding several roles is allowed through any one that fits', () => {
      expect(
        actorMay(transition('submitted', 'review', 'approve'), staffAt('own', 'caseworker', 'reviewer')),
      ).toEqual({ ok: true });
    });
  });

  describe('availableCommands', () => {
    it('lists what may be done from a status, for the kind', () => {
      expect(availableCommands('active', 'temporary').sort()).toEqual(
        ['cancel', 'convert', 'exit', 'resolve-objection', 'reverify', 'transfer'].sort(),
      );
      expect(availableCommands('active', 'formal')).not.toContain('convert');
      expect(availableCommands('submitted', 'formal')).toEqual(expect.arrayContaining(['review', 'cancel']));
      expect(availableCommands('publicizing', 'formal')).not.toContain('activate');
    });
  });
});
