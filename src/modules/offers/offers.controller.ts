import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SearchListErrorCode } from '../../infra/search/search-list';
import { ApiErrors } from '../../common/openapi/api-errors';
import { AuthorizationErrorCode } from '../auth/authorization/authorization.errors';
import { Authorize, CurrentPrincipal } from '../auth/authorization/decorators';
import type { Principal } from '../auth/principal';
import {
  AvailableOfferPageDto,
  AvailableOffersQueryDto,
  CloseOfferDto,
  CreateOfferDto,
  ListOffersQueryDto,
  OfferCommandDto,
  OfferDto,
  OfferHistoryDto,
  OfferPageDto,
  ReturnOfferDto,
  UpdateOfferDto,
} from './dto/offers.dto';
import { OfferDraftingService } from './offer-drafting.service';
import { OfferReadsService } from './offer-reads.service';
import { PartnersErrorCode } from '../partners/partners.errors';
import { OffersErrorCode } from './offers.errors';
import { OffersService } from './offers.service';

const uuid = new ParseUUIDPipe({ version: undefined });

const TERMS_ERRORS = [
  OffersErrorCode.OFFER_ITEM_NOT_FOUND,
  OffersErrorCode.OFFER_KIND_MISMATCH,
  OffersErrorCode.OFFER_CASH_TERMS_INVALID,
  OffersErrorCode.OFFER_CAPACITY_BELOW_COMMITTED,
  OffersErrorCode.OFFER_AGE_RANGE_INVALID,
  OffersErrorCode.OFFER_VALIDITY_INVALID,
  OffersErrorCode.OFFER_SCOPE_INVALID,
  OffersErrorCode.OFFER_TEXT_CONTAINS_PERSONAL_DATA,
] as const;

const COMMAND_ERRORS = [
  OffersErrorCode.OFFER_NOT_FOUND,
  OffersErrorCode.OFFER_VERSION_CONFLICT,
  OffersErrorCode.OFFER_INVALID_TRANSITION,
  AuthorizationErrorCode.NOT_OWNER,
  AuthorizationErrorCode.OUT_OF_SCOPE,
] as const;

/** 供给: partners (and the union's own programmes) post offers; reviewers publish; workers browse. */
@ApiTags('offers')
@ApiBearerAuth()
@Controller('offers')
export class OffersController {
  constructor(
    private readonly offers: OffersService,
    private readonly drafting: OfferDraftingService,
    private readonly reads: OfferReadsService,
  ) {}

  @Post()
  @Authorize('offers.create')
  @ApiOperation({
    summary: '新建供给草稿：合作方账号为本机构录入；经办人为本单位（或下级单位）录入工会帮扶项目',
  })
  @ApiCreatedResponse({ type: OfferDto })
  @ApiErrors(
    ...TERMS_ERRORS,
    OffersErrorCode.OFFER_PARTNER_NOT_ACTIVE,
    OffersErrorCode.OFFER_ORG_UNIT_NOT_ALLOWED,
    // Only for a unit removed between the scope check and the union partner's lookup.
    PartnersErrorCode.PARTNER_NOT_FOUND,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateOfferDto): Promise<OfferDto> {
    return this.drafting.create(principal, dto);
  }

  @Get()
  @Authorize('offers.list')
  @ApiOperation({
    summary: '供给列表：合作方看本机构的；工作人员看本单位及下级受理的合作方的、或服务范围覆盖本单位的',
  })
  @ApiOkResponse({ type: OfferPageDto })
  @ApiErrors(
    AuthorizationErrorCode.OUT_OF_SCOPE,
    AuthorizationErrorCode.NOT_OWNER,
    SearchListErrorCode.SEARCH_LIST_WINDOW_EXCEEDED,
  )
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListOffersQueryDto): Promise<OfferPageDto> {
    return this.reads.list(principal, query);
  }

  @Get('available')
  @Authorize('offers.available')
  @ApiOperation({
    summary:
      '职工可申请的供给：已发布、在有效期内、尚有名额、合作方正常、服务范围覆盖本单位（线上不限地区）；不含联系方式',
  })
  @ApiOkResponse({ type: AvailableOfferPageDto })
  @ApiErrors(AuthorizationErrorCode.OUT_OF_SCOPE)
  available(
    @CurrentPrincipal() principal: Principal,
    @Query() query: AvailableOffersQueryDto,
  ): Promise<AvailableOfferPageDto> {
    return this.reads.available(principal, query);
  }

  @Get(':id')
  @Authorize('offers.read')
  @ApiOperation({ summary: '供给详情（联系电话脱敏；查阅留痕）' })
  @ApiOkResponse({ type: OfferDto })
  @ApiErrors(
    OffersErrorCode.OFFER_NOT_FOUND,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<OfferDto> {
    return this.reads.get(principal, id);
  }

  @Get(':id/history')
  @Authorize('offers.read')
  @ApiOperation({ summary: '供给的办理记录（谁、何时、从何状态到何状态、原因、说明）' })
  @ApiOkResponse({ type: OfferHistoryDto, isArray: true })
  @ApiErrors(
    OffersErrorCode.OFFER_NOT_FOUND,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  history(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
  ): Promise<OfferHistoryDto[]> {
    return this.reads.history(principal, id);
  }

  @Patch(':id')
  @Authorize('offers.update')
  @ApiOperation({
    summary:
      '修改供给（带版本号）：草稿、待审核直接修改；已发布的只增加名额或延长有效期无需审核，其他修改重新送审',
  })
  @ApiOkResponse({ type: OfferDto })
  @ApiErrors(...COMMAND_ERRORS, ...TERMS_ERRORS)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: UpdateOfferDto,
  ): Promise<OfferDto> {
    return this.drafting.update(principal, id, dto);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Authorize('offers.submit')
  @ApiOperation({ summary: '提交审核（草稿 → 待审核）' })
  @ApiOkResponse({ type: OfferDto })
  @ApiErrors(
    ...COMMAND_ERRORS,
    OffersErrorCode.OFFER_PARTNER_NOT_ACTIVE,
    OffersErrorCode.OFFER_VALIDITY_INVALID,
  )
  submit(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: OfferCommandDto,
  ): Promise<OfferDto> {
    return this.offers.submit(principal, id, dto);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @Authorize('offers.review')
  @ApiOperation({
    summary: '审核发布：合作方受理单位或上级单位的审核人；工会帮扶项目由本单位审批人发布（不得为录入人）',
  })
  @ApiOkResponse({ type: OfferDto })
  @ApiErrors(
    ...COMMAND_ERRORS,
    OffersErrorCode.OFFER_PARTNER_NOT_ACTIVE,
    OffersErrorCode.OFFER_VALIDITY_INVALID,
    AuthorizationErrorCode.SELF_APPROVAL,
  )
  publish(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: OfferCommandDto,
  ): Promise<OfferDto> {
    return this.offers.publish(principal, id, dto);
  }

  @Post(':id/return')
  @HttpCode(200)
  @Authorize('offers.review')
  @ApiOperation({ summary: '退回修改（列明原因；待审核 → 草稿）' })
  @ApiOkResponse({ type: OfferDto })
  @ApiErrors(
    ...COMMAND_ERRORS,
    OffersErrorCode.OFFER_RETURN_REASONS_REQUIRED,
    AuthorizationErrorCode.SELF_APPROVAL,
  )
  returnToAuthor(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: ReturnOfferDto,
  ): Promise<OfferDto> {
    return this.offers.returnToAuthor(principal, id, dto);
  }

  @Post(':id/pause')
  @HttpCode(200)
  @Authorize('offers.pause')
  @ApiOperation({ summary: '暂停（已发布 → 已暂停）' })
  @ApiOkResponse({ type: OfferDto })
  @ApiErrors(...COMMAND_ERRORS)
  pause(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: OfferCommandDto,
  ): Promise<OfferDto> {
    return this.offers.pause(principal, id, dto);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @Authorize('offers.pause')
  @ApiOperation({ summary: '恢复（已暂停 → 已发布）' })
  @ApiOkResponse({ type: OfferDto })
  @ApiErrors(
    ...COMMAND_ERRORS,
    OffersErrorCode.OFFER_PARTNER_NOT_ACTIVE,
    OffersErrorCode.OFFER_VALIDITY_INVALID,
  )
  resume(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: OfferCommandDto,
  ): Promise<OfferDto> {
    return this.offers.resume(principal, id, dto);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Authorize('offers.close')
  @ApiOperation({
    summary: '关闭：合作方撤回（withdrawn）；或审核人关闭被暂停合作方的供给（partner_suspended）',
  })
  @ApiOkResponse({ type: OfferDto })
  @ApiErrors(...COMMAND_ERRORS, OffersErrorCode.OFFER_PARTNER_NOT_SUSPENDED)
  close(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: CloseOfferDto,
  ): Promise<OfferDto> {
    return this.offers.close(principal, id, dto);
  }
}
