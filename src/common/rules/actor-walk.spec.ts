import { walkActors } from './actor-walk';

describe('walkActors', () => {
  const judge = (verdicts: Record<string, true | 'scope' | 'proposer' | null>) => (actor: string) =>
    verdicts[actor] ?? null;

  it.each([
    ['no entries', [], {}, { ok: false, reason: 'role' }],
    ['no entry fits the caller', ['a', 'b'], { a: null, b: null }, { ok: false, reason: 'role' }],
    ['one entry accepts', ['a', 'b'], { a: 'scope', b: true }, { ok: true }],
    ['an entry fits but refuses', ['a', 'b'], { a: null, b: 'scope' }, { ok: false, reason: 'scope' }],
    [
      'the last refusal is the answer',
      ['a', 'b'],
      { a: 'scope', b: 'proposer' },
      { ok: false, reason: 'proposer' },
    ],
    [
      'an acceptance wins over earlier refusals',
      ['a', 'b', 'c'],
      { a: 'scope', b: true, c: 'proposer' },
      { ok: true },
    ],
  ] as const)('%s', (_, actors, verdicts, expected) => {
    expect(walkActors(actors, judge(verdicts))).toEqual(expected);
  });
});
