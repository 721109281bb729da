import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/openapi/api-errors';
import { AuthorizationErrorCode } from '../auth/authorization/authorization.errors';
import { Authorize, CurrentPrincipal } from '../auth/authorization/decorators';
import type { Principal } from '../auth/principal';
import { AidLedgerErrorCode } from '../aid-ledger/aid-ledger.errors';
import { ArchivesErrorCode } from '../archives/archives.errors';
import { NeedsErrorCode } from '../needs/needs.errors';
import { OffersErrorCode } from '../offers/offers.errors';
import {
  ApproveMatchDto,
  CloseMatchDto,
  ConfirmMatchDto,
  DeclineMatchDto,
  DeliverMatchDto,
  FollowUpMatchDto,
  ListMatchesQueryDto,
  MatchCommandDto,
  MatchConsentDto,
  MatchContactDto,
  MatchDto,
  MatchHistoryDto,
  MatchPageDto,
  ProposeMatchDto,
  ReasonedMatchCommandDto,
} from './dto/matches.dto';
import { PaginationQueryDto } from '../../common/pagination/pagination';
import { OverdueMatchPageDto } from './dto/match-overdue.dto';
import { MatchReadsService } from './match-reads.service';
import { MatchSlaService } from './match-sla.service';
import { MatchesErrorCode } from './matches.errors';
import { MatchesService } from './matches.service';

const uuid = new ParseUUIDPipe({ version: undefined });

const READ_ERRORS = [
  MatchesErrorCode.MATCH_NOT_FOUND,
  AuthorizationErrorCode.NOT_OWNER,
  AuthorizationErrorCode.OUT_OF_SCOPE,
] as const;

/**
 * Every command shares one path (lock, who may, version, state machine, capacity, the need following), so
 * each can reach these codes; a command's own checks add the rest.
 */
const COMMAND_ERRORS = [
  ...READ_ERRORS,
  MatchesErrorCode.MATCH_VERSION_CONFLICT,
  MatchesErrorCode.MATCH_INVALID_TRANSITION,
  MatchesErrorCode.MATCH_TEXT_CONTAINS_PERSONAL_DATA,
  MatchesErrorCode.MATCH_APPROVER_REQUIRED,
  MatchesErrorCode.MATCH_NOT_UNION_PROGRAMME,
  AuthorizationErrorCode.SELF_APPROVAL,
  OffersErrorCode.OFFER_NOT_FOUND,
  OffersErrorCode.OFFER_CAPACITY_EXHAUSTED,
  NeedsErrorCode.NEED_NOT_FOUND,
  NeedsErrorCode.NEED_INVALID_TRANSITION,
] as const;

/** 匹配: from a suggestion to closure (办结). Thin: one service call per route. */
@ApiTags('matches')
@ApiBearerAuth()
@Controller('matches')
export class MatchesController {
  constructor(
    private readonly matches: MatchesService,
    private readonly reads: MatchReadsService,
    private readonly sla: MatchSlaService,
  ) {}

  @Post()
  @Authorize('matches.propose')
  @ApiOperation({ summary: '由推荐结果提出匹配（需求所在单位或上级的工作人员；重新核验硬性条件）' })
  @ApiCreatedResponse({ type: MatchDto })
  @ApiErrors(
    MatchesErrorCode.MATCH_NEED_NOT_OPEN,
    MatchesErrorCode.MATCH_NEED_ALREADY_MATCHED,
    MatchesErrorCode.MATCH_PAIR_NOT_ELIGIBLE,
    MatchesErrorCode.MATCH_TEXT_CONTAINS_PERSONAL_DATA,
    NeedsErrorCode.NEED_NOT_FOUND,
    OffersErrorCode.OFFER_NOT_FOUND,
    AuthorizationErrorCode.OUT_OF_SCOPE,
    AuthorizationErrorCode.NOT_OWNER,
  )
  propose(@CurrentPrincipal() principal: Principal, @Body() dto: ProposeMatchDto): Promise<MatchDto> {
    return this.matches.propose(principal, dto);
  }

  @Get()
  @Authorize('matches.read')
  @ApiOperation({ summary: '匹配列表：工作人员看本单位及下级的；合作方看本机构的；职工看本户的' })
  @ApiOkResponse({ type: MatchPageDto })
  @ApiErrors(AuthorizationErrorCode.OUT_OF_SCOPE, AuthorizationErrorCode.NOT_OWNER)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListMatchesQueryDto): Promise<MatchPageDto> {
    return this.reads.list(principal, query);
  }

  @Get('overdue')
  @Authorize('matches.overdue')
  @ApiOperation({
    summary: '超时督办：本单位及下级已超过当前环节办理时限的匹配（最久的在前），含时限、超时天数和应办理方',
  })
  @ApiOkResponse({ type: OverdueMatchPageDto })
  @ApiErrors(AuthorizationErrorCode.OUT_OF_SCOPE)
  overdue(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PaginationQueryDto,
  ): Promise<OverdueMatchPageDto> {
    return this.sla.overdue(principal, query);
  }

  @Get(':id')
  @Authorize('matches.read')
  @ApiOperation({ summary: '匹配详情（需求以脱敏卡片显示；查阅留痕）' })
  @ApiOkResponse({ type: MatchDto })
  @ApiErrors(...READ_ERRORS)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<MatchDto> {
    return this.reads.get(principal, id);
  }

  @Get(':id/history')
  @Authorize('matches.read')
  @ApiOperation({ summary: '匹配的办理记录（何时、由谁（类别）、从何状态到何状态、原因、说明）' })
  @ApiOkResponse({ type: MatchHistoryDto, isArray: true })
  @ApiErrors(...READ_ERRORS)
  history(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
  ): Promise<MatchHistoryDto[]> {
    return this.reads.history(principal, id);
  }

  @Get(':id/reveal')
  @Authorize('matches.reveal')
  @ApiOperation({
    summary:
      '对方联系方式：合作方在接单且职工同意后看受助人姓名、手机、地址；职工在审批后看合作方联系方式（每次查看留痕）',
  })
  @ApiOkResponse({ type: MatchContactDto })
  @ApiErrors(
    ...READ_ERRORS,
    MatchesErrorCode.MATCH_CONTACT_NOT_DISCLOSED,
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
  )
  reveal(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<MatchContactDto> {
    return this.reads.reveal(principal, id);
  }

  @Post(':id/consent')
  @HttpCode(200)
  @Authorize('matches.consent')
  @ApiOperation({
    summary: '同意或撤回向该合作方提供联系方式（职工本人；或经办人依据已签署的同意书代为办理；交付前）',
  })
  @ApiOkResponse({ type: MatchDto })
  @ApiErrors(
    ...READ_ERRORS,
    MatchesErrorCode.MATCH_VERSION_CONFLICT,
    MatchesErrorCode.MATCH_CONSENT_NOT_ALLOWED,
    MatchesErrorCode.MATCH_CONSENT_RECORD_REQUIRED,
  )
  consent(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: MatchConsentDto,
  ): Promise<MatchDto> {
    return this.matches.consent(principal, id, dto);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Authorize('matches.approve')
  @ApiOperation({
    summary:
      '审批（名额或预算在同一事务中预留；提出人不能审批；大额资金须审批人；帮扶台账规则：一次性上限、年度上限、不重复救助）',
    description:
      '致困原因在审批时确定并记在匹配上（causeCode）。同一致困原因在规定期限内已获帮扶时，审批人可写明理由越过（duplicateCauseOverride，留痕）；金额上限不可越过。',
  })
  @ApiOkResponse({ type: MatchDto })
  @ApiErrors(
    ...COMMAND_ERRORS,
    AidLedgerErrorCode.AID_ONE_OFF_CAP,
    AidLedgerErrorCode.AID_ANNUAL_CAP,
    AidLedgerErrorCode.AID_DUPLICATE_CAUSE,
    AidLedgerErrorCode.AID_OVERRIDE_REASON_REQUIRED,
    MatchesErrorCode.MATCH_OVERRIDE_APPROVER_ONLY,
  )
  approve(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: ApproveMatchDto,
  ): Promise<MatchDto> {
    return this.matches.approve(principal, id, dto);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Authorize('matches.approve')
  @ApiOperation({ summary: '驳回（须写原因；已审批的释放预留名额，需求恢复待对接）' })
  @ApiOkResponse({ type: MatchDto })
  @ApiErrors(...COMMAND_ERRORS)
  reject(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: ReasonedMatchCommandDto,
  ): Promise<MatchDto> {
    return this.matches.reject(principal, id, dto);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @Authorize('matches.serve')
  @ApiOperation({ summary: '合作方接单（工会自有项目由工作人员代办）' })
  @ApiOkResponse({ type: MatchDto })
  @ApiErrors(...COMMAND_ERRORS)
  accept(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: MatchCommandDto,
  ): Promise<MatchDto> {
    return this.matches.accept(principal, id, dto);
  }

  @Post(':id/decline')
  @HttpCode(200)
  @Authorize('matches.decline')
  @ApiOperation({ summary: '退回（合作方或职工；按原因代码，部分原因在配置天数内不再推荐该配对或该需求）' })
  @ApiOkResponse({ type: MatchDto })
  @ApiErrors(...COMMAND_ERRORS, MatchesErrorCode.MATCH_DECLINE_NOTE_REQUIRED)
  decline(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: DeclineMatchDto,
  ): Promise<MatchDto> {
    return this.matches.decline(principal, id, dto);
  }

  @Post(':id/start')
  @HttpCode(200)
  @Authorize('matches.serve')
  @ApiOperation({ summary: '开始服务' })
  @ApiOkResponse({ type: MatchDto })
  @ApiErrors(...COMMAND_ERRORS)
  start(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: MatchCommandDto,
  ): Promise<MatchDto> {
    return this.matches.start(principal, id, dto);
  }

  @Post(':id/deliver')
  @HttpCode(200)
  @Authorize('matches.serve')
  @ApiOperation({ summary: '交付（说明；资金类填金额，物资类填件数；预留转为已使用）' })
  @ApiOkResponse({ type: MatchDto })
  @ApiErrors(...COMMAND_ERRORS, MatchesErrorCode.MATCH_DELIVERY_QUANTITY_REQUIRED)
  deliver(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: DeliverMatchDto,
  ): Promise<MatchDto> {
    return this.matches.deliver(principal, id, dto);
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @Authorize('matches.confirm')
  @ApiOperation({ summary: '确认收到（本人领取；经办人代为确认须写原因）' })
  @ApiOkResponse({ type: MatchDto })
  @ApiErrors(...COMMAND_ERRORS, MatchesErrorCode.MATCH_CONFIRM_REASON_REQUIRED)
  confirm(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: ConfirmMatchDto,
  ): Promise<MatchDto> {
    return this.matches.confirm(principal, id, dto);
  }

  @Post(':id/follow-up')
  @HttpCode(200)
  @Authorize('matches.follow-up')
  @ApiOperation({ summary: '回访（日期、方式、情况、满意度1–5）' })
  @ApiOkResponse({ type: MatchDto })
  @ApiErrors(...COMMAND_ERRORS, MatchesErrorCode.MATCH_FOLLOW_UP_DATE_INVALID)
  followUp(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: FollowUpMatchDto,
  ): Promise<MatchDto> {
    return this.matches.followUp(principal, id, dto);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Authorize('matches.close')
  @ApiOperation({ summary: '办结（结果与说明）' })
  @ApiOkResponse({ type: MatchDto })
  @ApiErrors(...COMMAND_ERRORS)
  close(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: CloseMatchDto,
  ): Promise<MatchDto> {
    return this.matches.close(principal, id, dto);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Authorize('matches.cancel')
  @ApiOperation({ summary: '取消（交付前，须写原因；释放预留名额）' })
  @ApiOkResponse({ type: MatchDto })
  @ApiErrors(...COMMAND_ERRORS)
  cancel(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: ReasonedMatchCommandDto,
  ): Promise<MatchDto> {
    return this.matches.cancel(principal, id, dto);
  }
}
