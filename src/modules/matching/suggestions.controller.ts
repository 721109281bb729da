import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/openapi/api-errors';
import { AuthorizationErrorCode } from '../auth/authorization/authorization.errors';
import { Authorize, CurrentPrincipal } from '../auth/authorization/decorators';
import type { Principal } from '../auth/principal';
import { NeedsErrorCode } from '../needs/needs.errors';
import { OffersErrorCode } from '../offers/offers.errors';
import {
  NeedSuggestionPageDto,
  NeedSuggestionsQueryDto,
  OfferSuggestionPageDto,
  OfferSuggestionsQueryDto,
} from './dto/suggestions.dto';
import { MatchingErrorCode } from './matching.errors';
import { SuggestionsService } from './suggestions.service';

const uuid = new ParseUUIDPipe({ version: undefined });

/** 智能推荐: offers for a need, needs for an offer, each with its score and why. */
@ApiTags('matching')
@ApiBearerAuth()
@Controller()
export class SuggestionsController {
  constructor(private readonly suggestions: SuggestionsService) {}

  @Get('needs/:id/suggestions')
  @Authorize('needs.suggestions')
  @ApiOperation({
    summary: '为待对接需求推荐供给（按得分排序，附各因子的权重与取值；不含合作方联系方式）',
    description:
      '工作人员看管辖范围内的需求，职工看本户的（只列可申请的供给）。explain=excluded（仅工作人员）另列得分最高的被排除供给及排除原因。',
  })
  @ApiOkResponse({ type: OfferSuggestionPageDto })
  @ApiErrors(
    NeedsErrorCode.NEED_NOT_FOUND,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
    MatchingErrorCode.SUGGESTIONS_NEED_NOT_OPEN,
    MatchingErrorCode.SUGGESTIONS_WINDOW_EXCEEDED,
  )
  forNeed(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Query() query: NeedSuggestionsQueryDto,
  ): Promise<OfferSuggestionPageDto> {
    return this.suggestions.forNeed(principal, id, query);
  }

  @Get('offers/:id/suggestions')
  @Authorize('offers.suggestions')
  @ApiOperation({
    summary: '为已发布供给推荐待对接需求（脱敏卡片：项目、紧急程度、区县、年龄段、家庭人口、困难类别）',
    description: '工作人员看供给在其管辖范围内、且需求在其管辖范围内的；合作方看本单位的供给。',
  })
  @ApiOkResponse({ type: NeedSuggestionPageDto })
  @ApiErrors(
    OffersErrorCode.OFFER_NOT_FOUND,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
    MatchingErrorCode.SUGGESTIONS_OFFER_NOT_PUBLISHED,
    MatchingErrorCode.SUGGESTIONS_WINDOW_EXCEEDED,
  )
  forOffer(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Query() query: OfferSuggestionsQueryDto,
  ): Promise<NeedSuggestionPageDto> {
    return this.suggestions.forOffer(principal, id, query);
  }
}
