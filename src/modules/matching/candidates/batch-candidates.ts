/**
 * Candidate pairs of a batch allocation (issue 12 §4), pure: the needs and offers of a scope, re-read
 * from PostgreSQL, become the compact instance the solvers take. The same hard filters and the same
 * score as the suggestions (pair-facts.ts), with no text query (the text factor is 0 for every pair).
 *
 * Two steps, because the match history is read from the database in between:
 * 1. `candidatePairs`: every pair that passes the hard filters that do not depend on history (offers are
 *    looked up by the need's item code, and by its category when the need accepts the category);
 * 2. `buildBatch`: with each pair's history, the history filters (per-household limit, pair taken,
 *    cooldown) are applied, every pair scored, each need's best K kept, and the instance built.
 */
import type { NeedMatchRow } from '../../needs/needs.repository';
import type { OfferRow } from '../../offers/offers.repository';
import type { AllocationInstance } from '../allocation/instance';
import {
  hardFilterExclusions,
  type HistoryFacts,
  type NeedFacts,
  type OfferFacts,
} from '../filters/hard-filters.rule';
import type { ScoringSettings } from '../scoring/factors';
import { integerScore, type Score } from '../scoring/score';
import { scorePair, type PairHistory } from './pair-facts';

export interface BatchNeed {
  row: NeedMatchRow;
  facts: NeedFacts;
}

export interface BatchOffer {
  row: OfferRow;
  facts: OfferFacts;
}

/** Parallel arrays: pair p is (need[p], offer[p]), indices into the batch's needs and offers. */
export interface CandidatePairs {
  need: number[];
  offer: number[];
}

const NO_HISTORY: HistoryFacts = { pairTaken: false, householdMatchesOnOffer: 0, lastAidOn: null };

function indexBy(offers: readonly BatchOffer[], keys: (o: OfferFacts) => readonly string[]) {
  const index = new Map<string, number[]>();
  offers.forEach((offer, o) => {
    for (const key of new Set(keys(offer.facts))) {
      const list = index.get(key);
      if (list) list.push(o);
      else index.set(key, [o]);
    }
  });
  return index;
}

/**
 * A function adding one need's pairs — every offer passing the hard filters but the history's — to `out`
 * (the need's index `i`). The offers are indexed by item and category once, so a caller can walk a large
 * batch of needs in slices and yield between them.
 */
export function candidateFinder(
  offers: readonly BatchOffer[],
  today: string,
): (need: BatchNeed, i: number, out: CandidatePairs) => void {
  const byItem = indexBy(offers, (f) => f.menuItemIds);
  const byCategory = indexBy(offers, (f) => f.categories);
  return (need, i, out) => {
    const { facts } = need;
    const pool = new Set(byItem.get(facts.menuItemId) ?? []);
    if (facts.acceptsSameCategory) for (const o of byCategory.get(facts.category) ?? []) pool.add(o);
    for (const o of pool) {
      if (hardFilterExclusions(facts, offers[o]!.facts, NO_HISTORY, today).length > 0) continue;
      out.need.push(i);
      out.offer.push(o);
    }
  };
}

/** Pairs passing every hard filter but the history's, need by need; `onNeed` reports progress. */
export function candidatePairs(
  needs: readonly BatchNeed[],
  offers: readonly BatchOffer[],
  today: string,
  onNeed?: (done: number) => void,
): CandidatePairs {
  const find = candidateFinder(offers, today);
  const pairs: CandidatePairs = { need: [], offer: [] };
  needs.forEach((need, i) => {
    find(need, i, pairs);
    onNeed?.(i + 1);
  });
  return pairs;
}

export interface Batch {
  instance: AllocationInstance;
  /** Per instance edge: the candidate pair it came from (an index into the pairs and their histories). */
  edgePair: Int32Array;
  /** Per need: 1 when at least one offer passed every hard filter (else: no eligible offer). */
  hadCandidates: Uint8Array;
}

export interface BatchOptions {
  /** Each need's best K candidates enter the instance. */
  k: number;
  settings: ScoringSettings;
  now: Date;
  today: string;
}

/** The pair's score as the suggestions compute it, with no text query. */
export function batchScore(
  need: BatchNeed,
  offer: BatchOffer,
  history: PairHistory,
  settings: ScoringSettings,
  now: Date,
): Score {
  return scorePair(
    { need: need.row, offer: offer.row, engineScore: 0, bestEngineScore: 0, history, now },
    settings,
  );
}

/**
 * The instance: history filters applied, pairs scored (integer scores, at least 1 so an eligible pair
 * always counts), each need's best K by score (then offer id), capacities from the offers' remaining.
 *
 * Per-household limits: the instance carries each offer's limit over the household's needs in the batch.
 * Where the household already holds matches on the offer, only `limit − held` more may be planned: the
 * household's edges to that offer are cut to its best `limit − held`, so no plan can exceed the rest.
 */
export function buildBatch(
  needs: readonly BatchNeed[],
  offers: readonly BatchOffer[],
  pairs: CandidatePairs,
  histories: readonly PairHistory[],
  options: BatchOptions,
): Batch {
  const { k, settings, now, today } = options;
  const hadCandidates = new Uint8Array(needs.length);
  // Per need: its surviving pairs with their integer scores.
  const perNeed: { pair: number; score: number }[][] = needs.map(() => []);
  for (let p = 0; p < pairs.need.length; p++) {
    const i = pairs.need[p]!;
    const o = pairs.offer[p]!;
    const history = histories[p]!;
    if (hardFilterExclusions(needs[i]!.facts, offers[o]!.facts, history, today).length > 0) continue;
    hadCandidates[i] = 1;
    const total = batchScore(needs[i]!, offers[o]!, history, settings, now).total;
    perNeed[i]!.push({ pair: p, score: Math.max(1, integerScore(total)) });
  }

  const offerId = (p: number) => offers[pairs.offer[p]!]!.row.id;
  const byScore = (a: { pair: number; score: number }, b: { pair: number; score: number }) =>
    b.score - a.score || (offerId(a.pair) < offerId(b.pair) ? -1 : offerId(a.pair) > offerId(b.pair) ? 1 : 0);
  for (const list of perNeed) {
    list.sort(byScore);
    list.length = Math.min(list.length, k);
  }

  // Households: a dense index for those with two or more needs in the batch (−1 for the others).
  const needsOf = new Map<string, number[]>();
  needs.forEach((need, i) => {
    const list = needsOf.get(need.row.archiveId);
    if (list) list.push(i);
    else needsOf.set(need.row.archiveId, [i]);
  });
  const household = new Int32Array(needs.length).fill(-1);
  let households = 0;
  for (const members of needsOf.values()) {
    if (members.length < 2) continue;
    for (const i of members) household[i] = households;
    households += 1;
  }

  // Matches the household already holds on an offer leave fewer for the plan (see above).
  for (const members of needsOf.values()) {
    const groups = new Map<number, { need: number; pair: number; score: number }[]>();
    for (const i of members)
      for (const edge of perNeed[i]!) {
        if (histories[edge.pair]!.householdMatchesOnOffer === 0) continue;
        const o = pairs.offer[edge.pair]!;
        const group = groups.get(o);
        if (group) group.push({ need: i, ...edge });
        else groups.set(o, [{ need: i, ...edge }]);
      }
    for (const [o, group] of groups) {
      const limit = offers[o]!.row.perHouseholdLimit;
      const rest = limit - histories[group[0]!.pair]!.householdMatchesOnOffer;
      if (group.length <= rest) continue;
      group.sort(byScore);
      for (const cut of group.slice(Math.max(0, rest)))
        perNeed[cut.need] = perNeed[cut.need]!.filter((edge) => edge.pair !== cut.pair);
    }
  }

  const edgeStart = new Int32Array(needs.length + 1);
  for (let i = 0; i < needs.length; i++) edgeStart[i + 1] = edgeStart[i]! + perNeed[i]!.length;
  const edgeCount = edgeStart[needs.length]!;
  const edgeOffer = new Int32Array(edgeCount);
  const edgeScore = new Int32Array(edgeCount);
  const edgePair = new Int32Array(edgeCount);
  perNeed.forEach((list, i) => {
    list.sort((a, b) => pairs.offer[a.pair]! - pairs.offer[b.pair]!);
    list.forEach((edge, j) => {
      const e = edgeStart[i]! + j;
      edgeOffer[e] = pairs.offer[edge.pair]!;
      edgeScore[e] = edge.score;
      edgePair[e] = edge.pair;
    });
  });

  return {
    instance: {
      needCount: needs.length,
      offerCount: offers.length,
      capacity: Int32Array.from(offers, (o) => o.row.remaining),
      perHouseholdLimit: Int32Array.from(offers, (o) => o.row.perHouseholdLimit),
      household,
      edgeStart,
      edgeOffer,
      edgeScore,
    },
    edgePair,
    hadCandidates,
  };
}
