import { Inject, Injectable, Logger } from '@nestjs/common';
import { chinaToday } from '../../common/calendar/china-calendar';
import { Clock } from '../../common/clock/clock';
import { DomainError } from '../../common/errors';
import { AppConfig } from '../../config';
import { F, SEARCH_ENGINE, type SearchEngine, type SearchHit } from '../../infra/search/search-engine';
import { DibaoLinesService } from '../archives/dibao-lines/dibao-lines.service';
import { AuditService } from '../audit/audit.service';
import { AuthorizationErrorCode } from '../auth/authorization/authorization.errors';
import type { Principal } from '../auth/principal';
import { ageBand } from '../needs/needs-search.source';
import type { NeedMatchRow } from '../needs/needs.repository';
import { NeedsService, NEEDS_INDEX } from '../needs/needs.service';
import { OFFERS_INDEX } from '../offers/offer-mover';
import { OfferReadsService } from '../offers/offer-reads.service';
import type { OfferRow } from '../offers/offers.repository';
import {
  needCandidateFilter,
  needMatchesSuggestionFilter,
  needSuggestionFilters,
  offerCandidateFilter,
  offerExplainFilter,
  offerMatchesSuggestionFilter,
  offerSuggestionFilters,
} from './candidates/candidate-filters';
import { needFacts, offerFacts, scorePair, type PairHistory } from './candidates/pair-facts';
import {
  ExcludedOfferDto,
  NeedCardDto,
  NeedSuggestionPageDto,
  NeedSuggestionsQueryDto,
  OfferSuggestionDto,
  OfferSuggestionPageDto,
  OfferSuggestionsQueryDto,
  SuggestionsQueryDto,
} from './dto/suggestions.dto';
import { HARD_FILTER_MESSAGES, hardFilterExclusions, type HardFilter } from './filters/hard-filters.rule';
import { PairHistoryService } from './history/pair-history.service';
import { MatchingErrorCode } from './matching.errors';
import { compareRanked, type Score } from './scoring/score';
import { shownScore } from './scoring/shown-score';

/** Candidates the engine is asked for, ranked by the score afterwards; pages reach no further. */
export const CANDIDATE_LIMIT = 200;
/** The pool `?explain=excluded` looks at, and how many excluded candidates it lists. */
const EXPLAIN_POOL = 100;
const EXPLAIN_LIMIT = 20;

interface Scored<Row> {
  row: Row;
  score: Score;
  openedAt: Date;
  id: string;
}

/**
 * Suggestions both ways (issue 12 §3). Candidates come from the search index with every hard filter the
 * engine can hold pushed into its filter (candidate-filters.ts); the candidates are re-read from
 * PostgreSQL, every hard filter is checked again on the rows (a stale or wrong index document never
 * reaches the answer), the survivors are scored (pair-facts.ts) and ordered by compareRanked, then paged.
 * The ranking covers the engine's first CANDIDATE_LIMIT hits by relevance.
 */
@Injectable()
export class SuggestionsService {
  private readonly logger = new Logger('Suggestions');

  constructor(
    private readonly needs: NeedsService,
    private readonly offers: OfferReadsService,
    private readonly dibaoLines: DibaoLinesService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    @Inject(SEARCH_ENGINE) private readonly engine: SearchEngine,
    private readonly history: PairHistoryService,
  ) {}

  /** Offers for an open need: staff in scope of the need, or the worker for its own (no excluded list). */
  async forNeed(
    principal: Principal,
    id: string,
    query: NeedSuggestionsQueryDto,
  ): Promise<OfferSuggestionPageDto> {
    const readable = await this.needs.readable(principal, 'needs.suggestions', id);
    if (readable.state !== 'open')
      throw new DomainError(MatchingErrorCode.SUGGESTIONS_NEED_NOT_OPEN, { state: readable.state });
    this.assertWindow(query);
    const now = this.clock.now();
    const today = chinaToday(now);
    const [need] = await this.needs.matchRows([id]);
    if (!need) throw new DomainError(MatchingErrorCode.SUGGESTIONS_NEED_NOT_OPEN, { state: readable.state });
    const facts = needFacts(need, today, await this.dibaoLineFen(need.archiveRegionCode, today));
    const q = [need.itemName, ...need.tags].join(' ');

    const result = await this.engine.search(OFFERS_INDEX, {
      q,
      filter: F.and(
        offerCandidateFilter({ ...facts, itemCode: need.itemCode }, today),
        ...offerSuggestionFilters(query),
      ),
      limit: CANDIDATE_LIMIT,
    });
    const judged = (await this.judgeOffers(need, facts, result.hits, today, now)).filter((j) =>
      offerMatchesSuggestionFilter(j.row, query),
    );
    const eligible = judged
      .filter((j) => j.excludedBy.length === 0)
      .sort((a, b) => compareRanked(rank(a), rank(b)));
    const dropped = judged.length - eligible.length;
    if (dropped > 0)
      this.logger.warn(
        { need: id, dropped, engine: result.engine },
        '索引给出的候选供给未通过数据库复核，已剔除',
      );

    const start = (query.page - 1) * query.pageSize;
    const page = eligible.slice(start, start + query.pageSize);
    const answer: OfferSuggestionPageDto = {
      items: page.map((s) => offerSuggestion(s.row, s.score)),
      total: eligible.length,
      page: query.page,
      pageSize: query.pageSize,
    };
    // Workers see only offers they could take: the excluded list is for staff.
    if (query.explain === 'excluded' && principal.kind === 'staff')
      answer.excluded = await this.excludedOffers(
        need,
        facts,
        q,
        new Set(eligible.map((e) => e.id)),
        today,
        now,
        query,
      );
    await this.audit.recordRead(principal, 'need', id, {
      view: 'suggestions',
      offers: page.map((s) => s.id),
      total: eligible.length,
      ...(answer.excluded ? { excluded: answer.excluded.length } : {}),
    });
    return answer;
  }

  /** Open needs for a published offer, as masked cards: staff in scope of the offer (needs in their subtree), or its partner. */
  async forOffer(
    principal: Principal,
    id: string,
    query: OfferSuggestionsQueryDto,
  ): Promise<NeedSuggestionPageDto> {
    const offer = await this.offers.readable(principal, 'offers.suggestions', id);
    if (offer.state !== 'published')
      throw new DomainError(MatchingErrorCode.SUGGESTIONS_OFFER_NOT_PUBLISHED, { state: offer.state });
    this.assertWindow(query);
    let scopePath: string | undefined;
    if (principal.kind === 'staff') {
      if (!principal.orgPath) throw new DomainError(AuthorizationErrorCode.OUT_OF_SCOPE);
      scopePath = principal.orgPath;
    }
    const now = this.clock.now();
    const today = chinaToday(now);
    const of = offerFacts(offer);
    const filters = [
      ...needSuggestionFilters(query),
      needCandidateFilter({
        itemCodes: of.menuItemIds,
        scopeUnitId: offer.scopeOrgUnitId,
        online: of.online,
        scope: of.scope,
        eligibility: of.eligibility,
      }),
    ];
    const root = scopePath?.split('/').filter(Boolean).at(-1);
    const result = await this.engine.search(NEEDS_INDEX, {
      q: [...offer.items.map((i) => i.name), offer.title].join(' '),
      filter: root ? F.and(...filters, F.eq('units', root)) : F.and(...filters),
      limit: CANDIDATE_LIMIT,
    });
    const scores = new Map(result.hits.map((h) => [h.id, h.score]));
    const best = Math.max(0, ...result.hits.map((h) => h.score));
    const rows = await this.needs.matchRows(
      result.hits.map((h) => h.id),
      { states: ['open'], scopePath, itemCodes: of.menuItemIds },
    );
    const lines = await this.dibaoLines.monthlyFenByRegion(
      rows.map((r) => r.archiveRegionCode),
      today,
    );
    const histories = await this.history.historiesOf(
      rows.map((n) => ({ needId: n.id, offerId: offer.id, archiveId: n.archiveId })),
      today,
    );
    const eligible: Scored<NeedMatchRow>[] = [];
    rows.forEach((need, i) => {
      if (!needMatchesSuggestionFilter(need, query)) return;
      const history = histories[i]!;
      const facts = needFacts(need, today, lines.get(need.archiveRegionCode) ?? null);
      if (hardFilterExclusions(facts, of, history, today).length > 0) return;
      eligible.push({
        row: need,
        id: need.id,
        openedAt: need.openedAt ?? need.createdAt,
        score: scorePair(
          { need, offer, engineScore: scores.get(need.id) ?? 0, bestEngineScore: best, history, now },
          this.config.matching,
        ),
      });
    });
    eligible.sort((a, b) => compareRanked(rank(a), rank(b)));
    const dropped = result.hits.length - eligible.length;
    if (dropped > 0)
      this.logger.warn(
        { offer: id, dropped, engine: result.engine },
        '索引给出的候选需求未通过数据库复核，已剔除',
      );
    const start = (query.page - 1) * query.pageSize;
    const page = eligible.slice(start, start + query.pageSize);
    await this.audit.recordRead(principal, 'offer', id, {
      view: 'suggestions',
      needs: page.map((s) => s.id),
      total: eligible.length,
    });
    return {
      items: page.map((s) => needCard(s.row, s.score, now)),
      total: eligible.length,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /**
   * Every hard filter the pair fails today, on rows re-read from PostgreSQL and the match history (a
   * manual proposal re-checks its pair: POST /matches). No access check: the caller has made it.
   */
  async pairExclusions(needId: string, offerId: string): Promise<HardFilter[]> {
    const today = chinaToday(this.clock.now());
    const [need] = await this.needs.matchRows([needId]);
    const [offer] = await this.offers.rows([offerId]);
    if (!need || !offer) throw new Error(`pair ${needId}/${offerId}: need or offer missing`);
    const [history] = await this.history.historiesOf([{ needId, offerId, archiveId: need.archiveId }], today);
    const facts = needFacts(need, today, await this.dibaoLineFen(need.archiveRegionCode, today));
    return hardFilterExclusions(facts, offerFacts(offer), history!, today);
  }

  // ───────────────────────────── internals ─────────────────────────────

  private assertWindow(query: SuggestionsQueryDto): void {
    if ((query.page - 1) * query.pageSize >= CANDIDATE_LIMIT)
      throw new DomainError(MatchingErrorCode.SUGGESTIONS_WINDOW_EXCEEDED, { maxWindow: CANDIDATE_LIMIT });
  }

  /** The hits re-read from PostgreSQL, each with the filters it fails and its score. */
  private async judgeOffers(
    need: NeedMatchRow,
    facts: ReturnType<typeof needFacts>,
    hits: readonly SearchHit[],
    today: string,
    now: Date,
  ): Promise<(Scored<OfferRow> & { excludedBy: HardFilter[] })[]> {
    const scores = new Map(hits.map((h) => [h.id, h.score]));
    const best = Math.max(0, ...hits.map((h) => h.score));
    const byId = new Map((await this.offers.rows([...scores.keys()])).map((r) => [r.id, r]));
    // In the engine's order (rows the re-read does not find are gone).
    const rows = [...scores.keys()].map((oid) => byId.get(oid)).filter((r): r is OfferRow => r !== undefined);
    const histories: PairHistory[] = await this.history.historiesOf(
      rows.map((o) => ({ needId: need.id, offerId: o.id, archiveId: need.archiveId })),
      today,
    );
    return rows.map((offer, i) => {
      const history = histories[i]!;
      return {
        row: offer,
        id: offer.id,
        openedAt: need.openedAt ?? need.createdAt,
        excludedBy: hardFilterExclusions(facts, offerFacts(offer), history, today),
        score: scorePair(
          { need, offer, engineScore: scores.get(offer.id) ?? 0, bestEngineScore: best, history, now },
          this.config.matching,
        ),
      };
    });
  }

  /** The best-scoring offers of the need's item or category that a hard filter excludes, with every filter. */
  private async excludedOffers(
    need: NeedMatchRow,
    facts: ReturnType<typeof needFacts>,
    q: string,
    eligible: ReadonlySet<string>,
    today: string,
    now: Date,
    narrowed: NeedSuggestionsQueryDto,
  ): Promise<ExcludedOfferDto[]> {
    const pool = await this.engine.search(OFFERS_INDEX, {
      q,
      filter: F.and(
        offerExplainFilter({ itemCode: need.itemCode, category: need.itemCategory }),
        ...offerSuggestionFilters(narrowed),
      ),
      limit: EXPLAIN_POOL,
    });
    const judged = await this.judgeOffers(need, facts, pool.hits, today, now);
    return judged
      .filter(
        (j) =>
          j.excludedBy.length > 0 && !eligible.has(j.id) && offerMatchesSuggestionFilter(j.row, narrowed),
      )
      .sort((a, b) => compareRanked(rank(a), rank(b)))
      .slice(0, EXPLAIN_LIMIT)
      .map((j) => ({
        offerId: j.row.id,
        title: j.row.title,
        partnerName: j.row.partnerName,
        total: j.score.total,
        excludedBy: j.excludedBy.map((code) => ({ code, message: HARD_FILTER_MESSAGES[code] })),
      }));
  }

  /** The 低保 line in force on `today` for a region, in fen; null when none is known. */
  private async dibaoLineFen(regionCode: string, today: string): Promise<number | null> {
    return (await this.dibaoLines.lineFor(regionCode, today))?.monthlyAmountFen ?? null;
  }
}

function rank<Row>(s: Scored<Row>) {
  return { total: s.score.total, needOpenedAt: s.openedAt, id: s.id };
}

function offerSuggestion(row: OfferRow, score: Score): OfferSuggestionDto {
  return {
    offerId: row.id,
    title: row.title,
    partnerName: row.partnerName,
    kind: row.kind,
    remaining: row.remaining,
    validFrom: row.validFrom,
    validUntil: row.validUntil,
    regionCode: row.regionCode,
    online: row.online,
    ...shownScore(score),
  };
}

/** The masked card: never a name, ID number, phone, address or the worker's description. */
function needCard(row: NeedMatchRow, score: Score, now: Date): NeedCardDto {
  const birthDate = row.beneficiaryKey === 'head' ? row.headBirthDate : row.memberBirthDate;
  return {
    needId: row.id,
    itemCode: row.itemCode,
    itemName: row.itemName,
    urgency: row.urgency,
    district: row.regionCode,
    ageBand: birthDate ? ageBand(birthDate, now) : 'unknown',
    householdSize: row.householdSize,
    archiveCategory: row.archiveCategory,
    ...shownScore(score),
  };
}
