import { Injectable } from '@nestjs/common';
import { chinaToday } from '../../common/calendar/china-calendar';
import { Clock } from '../../common/clock/clock';
import { DomainError } from '../../common/errors';
import { Page, pageOf, pageWindow } from '../../common/pagination/pagination';
import { AuditService } from '../audit/audit.service';
import { AuthorizationErrorCode } from '../auth/authorization/authorization.errors';
import { AuthorizationService } from '../auth/authorization/authorization.service';
import type { Principal } from '../auth/principal';
import { SearchListService } from '../../infra/search/search-list';
import { OrgUnitsService } from '../org-units/org-units.service';
import {
  AvailableOfferDto,
  AvailableOffersQueryDto,
  ListOffersQueryDto,
  OfferDto,
  OfferHistoryDto,
} from './dto/offers.dto';
import { OfferPresenter } from './offer.presenter';
import { OFFERS_INDEX } from './offer-mover';
import { SHOWN_BY_SCOPE_STATES } from './offers.enums';
import { OffersErrorCode } from './offers.errors';
import { OFFERS_LIST_SORT, offersSearchFilter, offersStaffScopeFilter } from './offers-search.query';
import { OfferRow, OffersRepository } from './offers.repository';

/** States in which an offer is shown to staff whose unit its scope covers (drafts stay with their unit). */

/**
 * Reads of offers. A partner account sees its organisation's offers; staff see offers whose partner is
 * vetted in their subtree, and live or closed offers whose scope covers their unit; workers (and
 * caseworkers ordering for them) browse what is available to them, with no partner contact. A suspended
 * partner's offers stay visible to its own accounts and to staff (flagged inactive), never to workers.
 */
@Injectable()
export class OfferReadsService {
  constructor(
    private readonly repository: OffersRepository,
    private readonly orgUnits: OrgUnitsService,
    private readonly audit: AuditService,
    private readonly authorization: AuthorizationService,
    private readonly presenter: OfferPresenter,
    private readonly clock: Clock,
    private readonly searchLists: SearchListService,
  ) {}

  /** One offer (contact masked); the read is audited. */
  async get(principal: Principal, id: string): Promise<OfferDto> {
    const row = await this.readable(principal, 'offers.read', id);
    await this.audit.recordRead(principal, 'offer', id, { state: row.state });
    return this.presenter.offer(row);
  }

  async history(principal: Principal, id: string): Promise<OfferHistoryDto[]> {
    await this.readable(principal, 'offers.read', id);
    const rows = await this.repository.history(id);
    await this.audit.recordRead(principal, 'offer', id, { view: 'history' });
    return rows.map((h) => this.presenter.history(h));
  }

  /** A partner's own offers, or a staff member's (see the class comment). Audited with the filters. */
  async list(principal: Principal, query: ListOffersQueryDto): Promise<Page<OfferDto>> {
    const who = await this.audit.auditDenials(
      principal,
      'offers.list',
      { type: 'offer', id: null },
      async () => {
        if (principal.kind === 'partner') {
          if (!principal.partnerId) throw new DomainError(AuthorizationErrorCode.NOT_OWNER);
          return { partnerId: principal.partnerId };
        }
        const unit = await this.callerUnit(principal);
        return { staff: { scopePath: unit.path, unitPath: unit.path, unitRegion: unit.regionCode } };
      },
    );
    const criteria = {
      states: query.state,
      kind: query.kind,
      itemCode: query.itemCode,
      category: query.category,
    };
    const window = pageWindow(query);
    // A partner's own offers come from PostgreSQL; staff lists from the offers index, re-read (issue 11 §5).
    const { rows, total } =
      'partnerId' in who
        ? await this.repository.list({ ...who, ...criteria, q: query.q }, window)
        : await this.searchLists.page({
            index: OFFERS_INDEX,
            q: query.q,
            filter: offersSearchFilter(criteria),
            scope: offersStaffScopeFilter({ path: who.staff.unitPath, regionCode: who.staff.unitRegion }),
            sort: OFFERS_LIST_SORT,
            offset: window.skip,
            limit: window.take,
            reload: (ids) => this.repository.confirmRows(ids, { ...who, ...criteria }),
          });
    // The rows carry the (masked) contact: the listing is recorded like a read.
    await this.audit.record({
      action: 'offer.list',
      outcome: 'success',
      actor: principal,
      target: { type: 'offer', id: null },
      details: {
        filters: {
          state: query.state,
          kind: query.kind,
          itemCode: query.itemCode,
          category: query.category,
          q: query.q === undefined ? undefined : true,
        },
        page: query.page,
        returned: rows.length,
        total,
      },
    });
    return pageOf(
      rows.map((r) => this.presenter.offer(r)),
      total,
      query,
    );
  }

  /**
   * Published offers in their validity with something left, of active partners, whose scope covers the
   * caller's unit (its org subtree and region; online offers ignore the region). No contact is shown.
   */
  async available(principal: Principal, query: AvailableOffersQueryDto): Promise<Page<AvailableOfferDto>> {
    const unit = await this.audit.auditDenials(
      principal,
      'offers.available',
      { type: 'offer', id: null },
      () => this.callerUnit(principal),
    );
    const { rows, total } = await this.repository.available(
      {
        today: chinaToday(this.clock.now()),
        unitPath: unit.path,
        unitRegion: unit.regionCode,
        itemCode: query.itemCode,
        category: query.category,
        region: query.region,
        q: query.q,
      },
      pageWindow(query),
    );
    return pageOf(
      rows.map((r) => this.presenter.available(r)),
      total,
      query,
    );
  }

  /** For the matcher (issue 12): the rows of `ids` re-read from PostgreSQL, any order. No access check. */
  rows(ids: string[]): Promise<OfferRow[]> {
    return this.repository.rows(ids);
  }

  /** Batch allocation: offers that can take needs under a scope (offers.repository.ts). No access check. */
  allocatableIds(
    criteria: Parameters<OffersRepository['allocatableIds']>[0],
    limit: number,
  ): Promise<string[]> {
    return this.repository.allocatableIds(criteria, limit);
  }

  /** The row, if the caller may read it; else 404 (unknown) or 403 (another partner's, out of scope). */
  async readable(principal: Principal, action: string, id: string): Promise<OfferRow> {
    return this.audit.auditDenials(principal, action, { type: 'offer', id }, async () => {
      const row = await this.repository.row(id);
      if (!row) throw new DomainError(OffersErrorCode.OFFER_NOT_FOUND);
      if (principal.kind === 'partner') this.authorization.assertPartnerOwns(principal, row.partnerId);
      else if (!(await this.staffMaySee(principal, row)))
        throw new DomainError(AuthorizationErrorCode.OUT_OF_SCOPE);
      return row;
    });
  }

  private async staffMaySee(principal: Principal, row: OfferRow): Promise<boolean> {
    if (this.authorization.isInScope(principal, row.partnerUnitPath)) return true;
    if (principal.kind !== 'staff' || !principal.orgPath || !SHOWN_BY_SCOPE_STATES.includes(row.state))
      return false;
    const own = principal.orgPath;
    if (row.scopeUnitPath && (own.startsWith(row.scopeUnitPath) || row.scopeUnitPath.startsWith(own)))
      return true;
    if (!row.scopeRegionPrefix) return false;
    const unit = await this.callerUnit(principal);
    return unit.regionCode.startsWith(row.scopeRegionPrefix);
  }

  /** The caller's own unit (path and region); OUT_OF_SCOPE for accounts without one. */
  private async callerUnit(principal: Principal): Promise<{ path: string; regionCode: string }> {
    const unit = principal.orgUnitId ? await this.orgUnits.findById(principal.orgUnitId) : null;
    if (!unit) throw new DomainError(AuthorizationErrorCode.OUT_OF_SCOPE);
    return unit;
  }
}
