import type { StaffRole } from '../../auth/principal';
import { MATCH_STATES, type MatchState } from '../matches.enums';
import {
  allowedMatchStatePairs,
  availableMatchCommands,
  capacityEffect,
  findMatchTransition,
  MATCH_COMMANDS,
  matchActorMay,
  needCommandFor,
  type MatchActorFacts,
  type MatchCommand,
} from './match-transitions.rule';

/**
 * The whole match state machine written out by hand (not derived from MATCH_TRANSITIONS): for every
 * command and every state (and creation), the state the match moves to, or `-` (refused: 409 naming the
 * current state). A transition added, dropped or widened in the rule changes a cell and fails here.
 */
const _ = '-';
type Cell = MatchState | typeof _;
// prettier-ignore
const TABLE: Record<MatchCommand, { create: Cell; cells: Cell[] }> = {
  //                                       proposed     approved     accepted     in_progress  delivered    confirmed    followed_up    closed rejected declined cancelled expired
  propose:     { create: 'proposed', cells: [_,           _,           _,           _,           _,           _,           _,             _,     _,       _,       _,        _] },
  approve:     { create: _,          cells: ['approved',  _,           _,           _,           _,           _,           _,             _,     _,       _,       _,        _] },
  reject:      { create: _,          cells: ['rejected',  'rejected',  _,           _,           _,           _,           _,             _,     _,       _,       _,        _] },
  accept:      { create: _,          cells: [_,           'accepted',  _,           _,           _,           _,           _,             _,     _,       _,       _,        _] },
  decline:     { create: _,          cells: [_,           'declined',  'declined',  _,           _,           _,           _,             _,     _,       _,       _,        _] },
  start:       { create: _,          cells: [_,           _,           'in_progress', _,         _,           _,           _,             _,     _,       _,       _,        _] },
  deliver:     { create: _,          cells: [_,           _,           'delivered', 'delivered', _,           _,           _,             _,     _,       _,       _,        _] },
  confirm:     { create: _,          cells: [_,           _,           _,           _,           'confirmed', _,           _,             _,     _,       _,       _,        _] },
  'follow-up': { create: _,          cells: [_,           _,           _,           _,           _,           'followed_up', _,           _,     _,       _,       _,        _] },
  close:       { create: _,          cells: [_,           _,           _,           _,           _,           _,           'closed',      _,     _,       _,       _,        _] },
  cancel:      { create: _,          cells: ['cancelled', 'cancelled', 'cancelled', 'cancelled', _,           _,           _,             _,     _,       _,       _,        _] },
  expire:      { create: _,          cells: ['expired',   'expired',   'expired',   'expired',   _,           _,           _,             _,     _,       _,       _,        _] },
};

describe('match state machine, cell by cell', () => {
  it('the table lists the states in MATCH_STATES order and every command', () => {
    expect(MATCH_STATES).toEqual([
      'proposed',
      'approved',
      'accepted',
      'in_progress',
      'delivered',
      'confirmed',
      'followed_up',
      'closed',
      'rejected',
      'declined',
      'cancelled',
      'expired',
    ]);
    expect(Object.keys(TABLE).sort()).toEqual([...MATCH_COMMANDS].sort());
  });

  const cells: Array<[MatchCommand, MatchState | null, Cell]> = [];
  for (const command of MATCH_COMMANDS) {
    cells.push([command, null, TABLE[command].create]);
    MATCH_STATES.forEach((state, i) => cells.push([command, state, TABLE[command].cells[i]!]));
  }
  it.each(cells)('%s from %s → %s', (command, state, expected) => {
    expect(findMatchTransition(state, command)?.to ?? _).toBe(expected);
  });

  it('allows exactly the pairs of the table (what the database will hold)', () => {
    const pairs: string[] = [];
    for (const command of MATCH_COMMANDS)
      MATCH_STATES.forEach((from, i) => {
        const to = TABLE[command].cells[i];
        if (to !== _) pairs.push(`${from}>${to}`);
      });
    expect(allowedMatchStatePairs().map(([a, b]) => `${a}>${b}`)).toEqual([...new Set(pairs)].sort());
  });

  it('final states offer no command', () => {
    for (const state of ['closed', 'rejected', 'declined', 'cancelled', 'expired'] as const)
      expect(availableMatchCommands(state)).toEqual([]);
    expect(availableMatchCommands('approved').sort()).toEqual(['accept', 'cancel', 'decline', 'reject']);
  });
});

describe('who may give each command', () => {
  const facts = (patch: Partial<MatchActorFacts>): MatchActorFacts => ({
    kind: 'staff',
    roles: [],
    isOwner: false,
    isOfferPartner: false,
    inScope: true,
    isProposer: false,
    unionProgramme: false,
    needsApprover: false,
    ...patch,
  });
  const staffWith = (roles: StaffRole[], patch: Partial<MatchActorFacts> = {}) => facts({ roles, ...patch });
  const worker = (isOwner: boolean) => facts({ kind: 'worker', isOwner, inScope: false });
  const partnerOf = (isOfferPartner: boolean) => facts({ kind: 'partner', isOfferPartner, inScope: false });
  const system = facts({ kind: 'system', inScope: false });

  const may = (command: MatchCommand, from: MatchState | null, who: MatchActorFacts) =>
    matchActorMay(findMatchTransition(from, command)!, who);

  it.each([
    // propose
    ['propose', null, staffWith(['caseworker']), { ok: true }],
    ['propose', null, staffWith(['caseworker'], { inScope: false }), { ok: false, reason: 'scope' }],
    ['propose', null, system, { ok: true }],
    ['propose', null, staffWith(['archivist']), { ok: false, reason: 'role' }],
    ['propose', null, partnerOf(true), { ok: false, reason: 'role' }],
    // approve: a reviewer or approver, never the proposer; large cash needs an approver
    ['approve', 'proposed', staffWith(['reviewer']), { ok: true }],
    ['approve', 'proposed', staffWith(['reviewer'], { isProposer: true }), { ok: false, reason: 'proposer' }],
    [
      'approve',
      'proposed',
      staffWith(['reviewer'], { needsApprover: true }),
      { ok: false, reason: 'approver_required' },
    ],
    ['approve', 'proposed', staffWith(['approver'], { needsApprover: true }), { ok: true }],
    ['approve', 'proposed', staffWith(['caseworker']), { ok: false, reason: 'role' }],
    ['approve', 'proposed', staffWith(['reviewer'], { inScope: false }), { ok: false, reason: 'scope' }],
    ['approve', 'proposed', system, { ok: false, reason: 'role' }],
    ['reject', 'approved', staffWith(['reviewer'], { isProposer: true }), { ok: false, reason: 'proposer' }],
    ['reject', 'approved', staffWith(['approver']), { ok: true }],
    // Refusing large cash needs no approver: only its approval does.
    ['reject', 'proposed', staffWith(['reviewer'], { needsApprover: true }), { ok: true }],
    // accept / start / deliver: the offer's partner, or staff for a union programme
    ['accept', 'approved', partnerOf(true), { ok: true }],
    ['accept', 'approved', partnerOf(false), { ok: false, reason: 'scope' }],
    ['accept', 'approved', staffWith(['caseworker']), { ok: false, reason: 'not_union_programme' }],
    ['accept', 'approved', staffWith(['caseworker'], { unionProgramme: true }), { ok: true }],
    ['accept', 'approved', worker(true), { ok: false, reason: 'role' }],
    ['start', 'accepted', partnerOf(true), { ok: true }],
    [
      'deliver',
      'in_progress',
      staffWith(['reviewer'], { unionProgramme: true, inScope: false }),
      { ok: false, reason: 'scope' },
    ],
    ['deliver', 'accepted', partnerOf(true), { ok: true }],
    // decline: the partner, the worker, or staff for a union programme
    ['decline', 'approved', worker(true), { ok: true }],
    ['decline', 'approved', worker(false), { ok: false, reason: 'scope' }],
    ['decline', 'accepted', partnerOf(true), { ok: true }],
    ['decline', 'approved', staffWith(['caseworker']), { ok: false, reason: 'not_union_programme' }],
    // confirm: the worker, or a caseworker on its behalf
    ['confirm', 'delivered', worker(true), { ok: true }],
    ['confirm', 'delivered', staffWith(['caseworker']), { ok: true }],
    ['confirm', 'delivered', staffWith(['reviewer']), { ok: false, reason: 'role' }],
    ['confirm', 'delivered', partnerOf(true), { ok: false, reason: 'role' }],
    // follow up: a caseworker; close: a caseworker or reviewer
    ['follow-up', 'confirmed', staffWith(['caseworker']), { ok: true }],
    ['follow-up', 'confirmed', staffWith(['reviewer']), { ok: false, reason: 'role' }],
    ['close', 'followed_up', staffWith(['reviewer']), { ok: true }],
    ['close', 'followed_up', worker(true), { ok: false, reason: 'role' }],
    // cancel: staff in scope; expire: the system only
    ['cancel', 'in_progress', staffWith(['caseworker']), { ok: true }],
    ['cancel', 'approved', partnerOf(true), { ok: false, reason: 'role' }],
    ['expire', 'accepted', system, { ok: true }],
    ['expire', 'accepted', staffWith(['approver']), { ok: false, reason: 'role' }],
  ] as const)('%s from %s by %o → %o', (command, from, who, expected) => {
    expect(may(command, from, who)).toEqual(expected);
  });
});

describe('what follows a move', () => {
  it.each([
    [null, 'proposed', null, null],
    ['proposed', 'approved', 'reserve', 'match'],
    ['proposed', 'rejected', null, null],
    ['proposed', 'cancelled', null, null],
    ['proposed', 'expired', null, null],
    ['approved', 'rejected', 'release', 'release'],
    ['approved', 'declined', 'release', 'release'],
    ['accepted', 'cancelled', 'release', 'release'],
    ['in_progress', 'expired', 'release', 'release'],
    ['approved', 'accepted', null, null],
    ['in_progress', 'delivered', 'use', null],
    ['accepted', 'delivered', 'use', null],
    ['delivered', 'confirmed', null, 'fulfil'],
    ['confirmed', 'followed_up', null, null],
    ['followed_up', 'closed', null, 'close'],
  ] as const)('%s → %s: capacity %s, need %s', (from, to, capacity, need) => {
    expect(capacityEffect(from, to)).toBe(capacity);
    expect(needCommandFor(from, to)).toBe(need);
  });
});
