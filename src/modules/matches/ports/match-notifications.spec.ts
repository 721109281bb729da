import type { MatchNotificationFacts } from '../matches.repository';
import { mustAct } from './match-notifications';

const FACTS: MatchNotificationFacts = {
  itemName: '焊工技能培训',
  partnerName: '绿源纺织',
  partnerKind: 'company',
  ownerUserId: 'worker-1',
  proposedBy: 'caseworker-1',
  partnerAccounts: ['partner-1', 'partner-2'],
  approvers: ['reviewer-1', 'caseworker-1', 'approver-1'],
};

describe('mustAct: whom the reminders of a state go to', () => {
  it.each([
    ['proposed', {}, ['reviewer-1', 'approver-1']], // never the proposer
    ['approved', {}, ['partner-1', 'partner-2']],
    ['in_progress', { partnerKind: 'union' }, ['partner-1', 'partner-2', 'caseworker-1']], // staff serve it
    ['delivered', {}, ['worker-1']],
    ['delivered', { ownerUserId: null }, ['caseworker-1']], // no account: confirmed on its behalf
    ['confirmed', {}, ['caseworker-1']],
    ['followed_up', { proposedBy: null }, []],
  ] as const)('%s with %j: %j', (state, overrides, expected) => {
    expect(mustAct(state, { ...FACTS, ...overrides })).toEqual(expected);
  });
});
