import {
  dueSlaSteps,
  SLA_ACTOR,
  SLA_STATES,
  slaDaysLookup,
  slaDeadlines,
  slaStepAt,
  type SlaSettings,
} from './match-sla.rule';

const SETTINGS: SlaSettings = {
  days: {
    proposed: 3,
    approved: 5,
    accepted: 7,
    in_progress: 30,
    delivered: 7,
    confirmed: 30,
    followed_up: 7,
  },
  urgency: { urgent: 0.5, emergency: 0.2 },
  hardLimitFactor: 2,
  items: { relief_temporary: { approved: 2 } },
};
const ENTERED = new Date('2026-12-01T08:00:00+08:00');
const plusDays = (d: number) => new Date(ENTERED.getTime() + d * 86_400_000);

describe('slaDeadlines', () => {
  it.each([
    ['approved', 'training_welder', 'normal', 5, 2.5, 5, 10],
    ['approved', 'training_welder', 'urgent', 3, 1.5, 3, 6], // 2.5 rounds to 3
    ['approved', 'training_welder', 'emergency', 1, 0.5, 1, 2],
    ['approved', 'relief_temporary', 'normal', 2, 1, 2, 4], // the item's own days
    ['accepted', 'relief_temporary', 'normal', 7, 3.5, 7, 14], // other states keep the defaults
    ['in_progress', 'training_welder', 'normal', 30, 15, 30, 60],
  ] as const)('%s, %s, %s: %p days', (state, itemCode, urgency, days, remind, due, expire) => {
    expect(slaDeadlines(state, ENTERED, { itemCode, urgency }, SETTINGS)).toEqual({
      days,
      remindAt: plusDays(remind),
      dueAt: plusDays(due),
      expireAt: plusDays(expire),
    });
  });

  it('states after delivery are escalated but never expire', () => {
    for (const state of ['delivered', 'confirmed', 'followed_up'] as const)
      expect(
        slaDeadlines(state, ENTERED, { itemCode: 'x', urgency: 'normal' }, SETTINGS)?.expireAt,
      ).toBeNull();
  });

  it('final states have no SLA', () => {
    for (const state of ['closed', 'rejected', 'declined', 'cancelled', 'expired'] as const)
      expect(slaDeadlines(state, ENTERED, { itemCode: 'x', urgency: 'normal' }, SETTINGS)).toBeNull();
  });
});

describe('dueSlaSteps', () => {
  const deadlines = slaDeadlines('approved', ENTERED, { itemCode: 'x', urgency: 'normal' }, SETTINGS)!;
  it.each([
    [2, [], []],
    [2.5, [], ['remind-half']],
    [5, [], ['remind-half', 'remind', 'escalate']],
    [5, ['remind-half'], ['remind', 'escalate']],
    [10, ['remind-half', 'remind', 'escalate'], ['expire']],
    [11, ['remind-half', 'remind', 'escalate', 'expire'], []],
  ] as const)('at day %p with %j done: %j', (day, done, expected) => {
    expect(dueSlaSteps(deadlines, plusDays(day), new Set(done))).toEqual(expected);
  });
});

describe('slaStepAt', () => {
  const approved = slaDeadlines('approved', ENTERED, { itemCode: 'x', urgency: 'normal' }, SETTINGS)!;
  const delivered = slaDeadlines('delivered', ENTERED, { itemCode: 'x', urgency: 'normal' }, SETTINGS)!;
  it.each([
    ['remind-half', 2.5],
    ['remind', 5],
    ['escalate', 5],
    ['expire', 10],
  ] as const)('%s of a 5-day state falls on day %p', (step, day) => {
    expect(slaStepAt(approved, step)).toEqual(plusDays(day));
  });

  it('a state after delivery has no expiry step', () => {
    expect(slaStepAt(delivered, 'expire')).toBeNull();
  });
});

describe('slaDaysLookup (the overdue view computes deadlines in SQL from it)', () => {
  const lookup = slaDaysLookup(SETTINGS);
  it.each([
    ['*|approved|normal', 5],
    ['*|approved|urgent', 3], // 2.5 rounds to 3, as slaDeadlines
    ['*|proposed|emergency', 1], // at least one day
    ['*|in_progress|emergency', 6],
    ['relief_temporary|approved|normal', 2], // the item's own days
    ['relief_temporary|accepted|normal', 7], // its other states keep the defaults
  ])('%s → %p days', (key, days) => {
    expect(lookup[key]).toBe(days);
  });

  it('agrees with slaDeadlines for every state, urgency and item', () => {
    for (const code of ['*', 'relief_temporary'])
      for (const state of SLA_STATES)
        for (const urgency of ['normal', 'urgent', 'emergency'] as const)
          expect(lookup[`${code}|${state}|${urgency}`]).toBe(
            slaDeadlines(state, ENTERED, { itemCode: code, urgency }, SETTINGS)!.days,
          );
  });
});

describe('SLA_ACTOR: who must act in each state', () => {
  it.each([
    ['proposed', 'reviewer'],
    ['approved', 'partner'],
    ['accepted', 'partner'],
    ['in_progress', 'partner'],
    ['delivered', 'worker'],
    ['confirmed', 'caseworker'],
    ['followed_up', 'caseworker'],
  ] as const)('%s: %s', (state, actor) => {
    expect(SLA_ACTOR[state]).toBe(actor);
  });
});
