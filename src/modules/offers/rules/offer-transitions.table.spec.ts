import { OFFER_STATES, type OfferState } from '../offers.enums';
import {
  allowedOfferStatePairs,
  availableOfferCommands,
  CLOSE_DECISIONS,
  findOfferTransition,
  OFFER_AUTHORS,
  OFFER_COMMANDS,
  OFFER_REVIEWERS,
  OFFER_TRANSITIONS,
  offerActorMay,
  OfferActorFacts,
  offerEditEffect,
} from './offer-transitions.rule';

/**
 * The whole offer state machine written out by hand (not derived from OFFER_TRANSITIONS): for every
 * command, every close reason (and none), and every state, the cell is the state the offer moves to or
 * `-` (refused: 409 OFFER_INVALID_TRANSITION naming the state).
 */
const _ = '-';
type Cell = OfferState | typeof _;
// prettier-ignore
const TABLE: Record<string, Cell[]> = {
  //                           draft             pending_review    published         paused       closed
  submit:                     ['pending_review', _,                _,                _,           _],
  publish:                    [_,                'published',      _,                _,           _],
  return:                     [_,                'draft',          _,                _,           _],
  pause:                      [_,                _,                'paused',         _,           _],
  resume:                     [_,                _,                _,                'published', _],
  revise:                     [_,                _,                'pending_review', 'pending_review', _],
  'close:withdrawn':          ['closed',         'closed',         'closed',         'closed',    _],
  'close:partner_suspended':  ['closed',         'closed',         'closed',         'closed',    _],
  'close:expired':            [_,                _,                'closed',         'closed',    _],
  'close:exhausted':          [_,                _,                'closed',         'closed',    _],
};

const DECISIONS = [undefined, ...CLOSE_DECISIONS, 'nonsense'];

describe('offer state machine, cell by cell', () => {
  it('the table lists the states in OFFER_STATES order', () => {
    expect(OFFER_STATES).toEqual(['draft', 'pending_review', 'published', 'paused', 'closed']);
  });

  const cells: Array<[string, string | undefined, OfferState, Cell]> = [];
  for (const command of OFFER_COMMANDS)
    for (const decision of DECISIONS)
      OFFER_STATES.forEach((state, i) => {
        const key = decision ? `${command}:${decision}` : command;
        const hasDecisions = Object.keys(TABLE).some((k) => k.startsWith(`${command}:`));
        // A command with decisions refuses every other decision (and none); one without ignores it.
        const row = TABLE[key] ?? (hasDecisions ? undefined : TABLE[command]);
        cells.push([command, decision, state, row ? row[i]! : _]);
      });

  it.each(cells)('%s (%s) from %s → %s', (command, decision, state, expected) => {
    const transition = findOfferTransition(state, command as (typeof OFFER_COMMANDS)[number], decision);
    expect(transition?.to ?? _).toBe(expected);
  });

  it('closed leaves by no command', () => {
    for (const command of OFFER_COMMANDS)
      for (const decision of DECISIONS) expect(findOfferTransition('closed', command, decision)).toBeNull();
  });

  it('the allowed state pairs are exactly the table’s moves (the database holds the same)', () => {
    const pairs = new Set<string>();
    for (const row of Object.values(TABLE))
      row.forEach((to, i) => {
        if (to !== _) pairs.add(`${OFFER_STATES[i]}>${to}`);
      });
    expect(allowedOfferStatePairs().map(([from, to]) => `${from}>${to}`)).toEqual([...pairs].sort());
  });

  it.each([
    ['draft', ['submit', 'close']],
    ['pending_review', ['publish', 'return', 'close']],
    ['published', ['pause', 'close']],
    ['paused', ['resume', 'close']],
    ['closed', []],
  ] as const)('in %s people may give %j', (state, commands) => {
    expect(availableOfferCommands(state)).toEqual(commands);
  });
});

describe('who may give an offer command', () => {
  const facts = (over: Partial<OfferActorFacts>): OfferActorFacts => ({
    kind: 'staff',
    roles: [],
    isOwner: false,
    inScope: true,
    unionProgramme: false,
    ...over,
  });
  const closeSuspended = OFFER_TRANSITIONS.find((t) => t.decision === 'partner_suspended')!.actors;
  const closeExpired = OFFER_TRANSITIONS.find((t) => t.decision === 'expired')!.actors;

  // prettier-ignore
  it.each([
    // actors             who                                                             → answer
    ['authors',  OFFER_AUTHORS,   { kind: 'partner', isOwner: true },                          'ok'],
    ['authors',  OFFER_AUTHORS,   { kind: 'partner', isOwner: false },                         'scope'],
    ['authors',  OFFER_AUTHORS,   { kind: 'partner', isOwner: true, unionProgramme: true },    'scope'],
    ['authors',  OFFER_AUTHORS,   { roles: ['caseworker'] },                                   'role'],
    ['authors',  OFFER_AUTHORS,   { roles: ['caseworker'], unionProgramme: true },             'ok'],
    ['authors',  OFFER_AUTHORS,   { roles: ['caseworker'], unionProgramme: true, inScope: false }, 'scope'],
    ['authors',  OFFER_AUTHORS,   { roles: ['reviewer'], unionProgramme: true },               'role'],
    ['authors',  OFFER_AUTHORS,   { kind: 'worker' },                                          'role'],
    ['reviewers', OFFER_REVIEWERS, { roles: ['reviewer'] },                                    'ok'],
    ['reviewers', OFFER_REVIEWERS, { roles: ['reviewer'], inScope: false },                    'scope'],
    ['reviewers', OFFER_REVIEWERS, { roles: ['reviewer'], unionProgramme: true },              'role'],
    ['reviewers', OFFER_REVIEWERS, { roles: ['approver'], unionProgramme: true },              'ok'],
    ['reviewers', OFFER_REVIEWERS, { roles: ['approver'] },                                    'role'],
    ['reviewers', OFFER_REVIEWERS, { roles: ['caseworker'], unionProgramme: true },            'role'],
    ['reviewers', OFFER_REVIEWERS, { kind: 'partner', isOwner: true },                         'role'],
    ['close:partner_suspended', closeSuspended, { roles: ['reviewer'] },                       'ok'],
    ['close:partner_suspended', closeSuspended, { roles: ['reviewer'], unionProgramme: true }, 'ok'],
    ['close:partner_suspended', closeSuspended, { roles: ['reviewer'], inScope: false },       'scope'],
    ['close:partner_suspended', closeSuspended, { kind: 'partner', isOwner: true },            'role'],
    ['close:expired', closeExpired, { kind: 'system' },                                        'ok'],
    ['close:expired', closeExpired, { roles: ['reviewer', 'approver', 'caseworker'] },         'role'],
  ] as const)('%s: %j → %s', (_name, actors, over, answer) => {
    const result = offerActorMay(actors, facts(over as Partial<OfferActorFacts>));
    expect(result.ok ? 'ok' : result.reason).toBe(answer);
  });
});

describe('what an edit does', () => {
  // prettier-ignore
  it.each([
    ['draft',          true,  'in_place'],
    ['draft',          false, 'in_place'],
    ['pending_review', false, 'in_place'],
    ['published',      true,  'in_place'],
    ['published',      false, 'revise'],
    ['paused',         true,  'in_place'],
    ['paused',         false, 'revise'],
    ['closed',         true,  'refused'],
    ['closed',         false, 'refused'],
  ] as const)('%s, only growth %s → %s', (state, onlyGrowth, effect) => {
    expect(offerEditEffect(state, { onlyGrowth })).toBe(effect);
  });
});
