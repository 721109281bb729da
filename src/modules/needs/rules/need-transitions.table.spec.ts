import { NEED_STATES, type NeedState } from '../needs.enums';
import {
  allowedNeedStatePairs,
  availableNeedCommands,
  AUTO_SCREEN_DECISIONS,
  findNeedTransition,
  NEED_COMMANDS,
  needActorMay,
  SCREEN_DECISIONS,
  type NeedActorFacts,
  type NeedCommand,
} from './need-transitions.rule';

/**
 * The whole need state machine written out by hand (not derived from NEED_TRANSITIONS): for every command,
 * every decision any command knows (and none), and every state, the cell is the state the need moves to
 * or `-` (refused: 409 NEED_INVALID_TRANSITION naming the state). A transition added, dropped or widened
 * in the rule changes a cell and fails here.
 */
const _ = '-';
type Cell = NeedState | typeof _;
// prettier-ignore
const TABLE: Record<string, Cell[]> = {
  //                    submitted    screening    open         matched      fulfilled    closed rejected withdrawn expired
  'auto-screen:pass':  ['screening', _,           _,           _,           _,           _,     _,       _,        _],
  'auto-screen:fail':  ['rejected',  _,           _,           _,           _,           _,     _,       _,        _],
  'screen:approve':    [_,           'open',      _,           _,           _,           _,     _,       _,        _],
  'screen:reject':     [_,           'rejected',  _,           _,           _,           _,     _,       _,        _],
  withdraw:            ['withdrawn', 'withdrawn', 'withdrawn', _,           _,           _,     _,       _,        _],
  expire:              [_,           _,           'expired',   _,           _,           _,     _,       _,        _],
  match:               [_,           _,           'matched',   _,           _,           _,     _,       _,        _],
  release:             [_,           _,           _,           'open',      _,           _,     _,       _,        _],
  fulfil:              [_,           _,           _,           'fulfilled', _,           _,     _,       _,        _],
  close:               [_,           _,           _,           _,           'closed',    _,     _,       _,        _],
};

const DECISIONS = [undefined, ...AUTO_SCREEN_DECISIONS, ...SCREEN_DECISIONS];

describe('need state machine, cell by cell', () => {
  it('the table lists the states in NEED_STATES order', () => {
    expect(NEED_STATES).toEqual([
      'submitted',
      'screening',
      'open',
      'matched',
      'fulfilled',
      'closed',
      'rejected',
      'withdrawn',
      'expired',
    ]);
  });

  const cells: Array<[string, string | undefined, NeedState, Cell]> = [];
  for (const command of NEED_COMMANDS)
    for (const decision of DECISIONS)
      NEED_STATES.forEach((state, i) => {
        const key = decision ? `${command}:${decision}` : command;
        const row = TABLE[key];
        // A command with decisions refuses every other decision (and none); one without ignores it.
        const hasDecisions = Object.keys(TABLE).some((k) => k.startsWith(`${command}:`));
        const expected: Cell = row ? row[i]! : hasDecisions ? _ : TABLE[command]![i]!;
        cells.push([command, decision, state, expected]);
      });

  it.each(cells)('%s (%s) from %s → %s', (command, decision, state, expected) => {
    const transition = findNeedTransition(state, command as (typeof NEED_COMMANDS)[number], decision);
    expect(transition?.to ?? _).toBe(expected);
  });

  it('the final states (closed, rejected, withdrawn, expired) leave by no command', () => {
    for (const state of ['closed', 'rejected', 'withdrawn', 'expired'] as const)
      for (const command of NEED_COMMANDS)
        for (const decision of DECISIONS) expect(findNeedTransition(state, command, decision)).toBeNull();
  });

  it('the allowed state pairs are exactly the table’s moves (the database holds the same)', () => {
    const pairs = new Set<string>();
    for (const row of Object.values(TABLE))
      row.forEach((to, i) => {
        if (to !== _) pairs.add(`${NEED_STATES[i]}>${to}`);
      });
    expect(allowedNeedStatePairs().map(([from, to]) => `${from}>${to}`)).toEqual([...pairs].sort());
  });

  it.each([
    ['submitted', ['withdraw']],
    ['screening', ['screen', 'withdraw']],
    ['open', ['withdraw']],
    ['matched', []],
    ['closed', []],
  ] as const)('in %s people may give %j', (state, commands) => {
    expect(availableNeedCommands(state)).toEqual(commands);
  });
});

describe('needActorMay', () => {
  const facts = (patch: Partial<NeedActorFacts>): NeedActorFacts => ({
    kind: 'staff',
    roles: [],
    isOwner: false,
    inScope: true,
    ...patch,
  });
  const may = (command: NeedCommand, state: NeedState, who: NeedActorFacts, decision?: string) =>
    needActorMay(findNeedTransition(state, command, decision)!, who);

  it.each([
    ['screen', 'screening', 'approve', facts({ roles: ['reviewer'] }), { ok: true }],
    [
      'screen',
      'screening',
      'approve',
      facts({ roles: ['reviewer'], inScope: false }),
      { ok: false, reason: 'scope' },
    ],
    ['screen', 'screening', 'approve', facts({ roles: ['caseworker'] }), { ok: false, reason: 'role' }],
    ['withdraw', 'open', undefined, facts({ kind: 'worker', isOwner: true, inScope: false }), { ok: true }],
    [
      'withdraw',
      'open',
      undefined,
      facts({ kind: 'worker', inScope: false }),
      { ok: false, reason: 'scope' },
    ],
    ['withdraw', 'open', undefined, facts({ roles: ['caseworker'] }), { ok: true }],
    [
      'withdraw',
      'open',
      undefined,
      facts({ kind: 'partner', inScope: false }),
      { ok: false, reason: 'role' },
    ],
    ['expire', 'open', undefined, facts({ kind: 'system', inScope: false }), { ok: true }],
    ['expire', 'open', undefined, facts({ roles: ['reviewer'] }), { ok: false, reason: 'role' }],
  ] as const)('%s from %s (%s) by %o → %o', (command, state, decision, who, expected) => {
    expect(may(command, state, who, decision)).toEqual(expected);
  });
});
