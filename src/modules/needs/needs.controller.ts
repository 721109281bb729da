import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/openapi/api-errors';
import { SearchListErrorCode } from '../../infra/search/search-list';
import { ArchivesErrorCode } from '../archives/archives.errors';
import { AuthorizationErrorCode } from '../auth/authorization/authorization.errors';
import { Authorize, CurrentPrincipal } from '../auth/authorization/decorators';
import type { Principal } from '../auth/principal';
import {
  CreateNeedDto,
  ListNeedsQueryDto,
  NeedCommandDto,
  NeedCreatedDto,
  NeedDto,
  NeedHistoryDto,
  NeedPageDto,
  ScreenNeedDto,
} from './dto/needs.dto';
import { NeedsErrorCode } from './needs.errors';
import { NeedsService } from './needs.service';

const uuid = new ParseUUIDPipe({ version: undefined });

/** 需求/点单: workers order from the menu; staff screen and follow them in their subtree. */
@ApiTags('needs')
@ApiBearerAuth()
@Controller('needs')
export class NeedsController {
  constructor(private readonly needs: NeedsService) {}

  @Post()
  @Authorize('needs.create')
  @ApiOperation({
    summary:
      '点单：职工为本户申请一个服务菜单项目，或经办人代为申请；提交后自动初筛（未通过即驳回并列明规则）',
  })
  @ApiCreatedResponse({ type: NeedCreatedDto })
  @ApiErrors(
    NeedsErrorCode.NEED_ITEM_NOT_FOUND,
    NeedsErrorCode.NEED_ARCHIVE_REQUIRED,
    NeedsErrorCode.NEED_ARCHIVE_ID_REQUIRED,
    NeedsErrorCode.NEED_QUANTITY_OUT_OF_RANGE,
    NeedsErrorCode.NEED_TAGS_INVALID,
    NeedsErrorCode.NEED_TEXT_CONTAINS_PERSONAL_DATA,
    NeedsErrorCode.NEED_DUPLICATE,
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateNeedDto): Promise<NeedCreatedDto> {
    return this.needs.create(principal, dto);
  }

  @Get()
  @Authorize('needs.list')
  @ApiOperation({
    summary: '需求列表：职工看本户的；工作人员看管辖范围内的（默认按紧急程度、等待时间排序）',
    description:
      '工作人员的列表由搜索索引检索、再从数据库逐条复核（管辖范围与筛选条件），只能翻阅前 1000 条；total 超过 1000 时按 1000 计。',
  })
  @ApiOkResponse({ type: NeedPageDto })
  @ApiErrors(AuthorizationErrorCode.OUT_OF_SCOPE, SearchListErrorCode.SEARCH_LIST_WINDOW_EXCEEDED)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListNeedsQueryDto): Promise<NeedPageDto> {
    return this.needs.list(principal, query);
  }

  @Get(':id')
  @Authorize('needs.read')
  @ApiOperation({ summary: '需求详情（姓名脱敏；查阅留痕）' })
  @ApiOkResponse({ type: NeedDto })
  @ApiErrors(
    NeedsErrorCode.NEED_NOT_FOUND,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<NeedDto> {
    return this.needs.get(principal, id);
  }

  @Get(':id/history')
  @Authorize('needs.read')
  @ApiOperation({ summary: '需求的办理记录（谁、何时、从何状态到何状态、说明）' })
  @ApiOkResponse({ type: NeedHistoryDto, isArray: true })
  @ApiErrors(
    NeedsErrorCode.NEED_NOT_FOUND,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  history(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
  ): Promise<NeedHistoryDto[]> {
    return this.needs.history(principal, id);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @Authorize('needs.withdraw')
  @ApiOperation({ summary: '撤回需求（职工本人或经办人代为撤回；对接成功前）' })
  @ApiOkResponse({ type: NeedDto })
  @ApiErrors(
    NeedsErrorCode.NEED_NOT_FOUND,
    NeedsErrorCode.NEED_VERSION_CONFLICT,
    NeedsErrorCode.NEED_INVALID_TRANSITION,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  withdraw(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: NeedCommandDto,
  ): Promise<NeedDto> {
    return this.needs.withdraw(principal, id, dto);
  }

  @Post(':id/screen')
  @HttpCode(200)
  @Authorize('needs.screen')
  @ApiOperation({ summary: '审核需求：档案所在单位或上级单位的审核人通过（开放对接）或驳回（列明原因）' })
  @ApiOkResponse({ type: NeedDto })
  @ApiErrors(
    NeedsErrorCode.NEED_NOT_FOUND,
    NeedsErrorCode.NEED_VERSION_CONFLICT,
    NeedsErrorCode.NEED_INVALID_TRANSITION,
    NeedsErrorCode.NEED_REJECT_REASONS_REQUIRED,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
    AuthorizationErrorCode.SELF_APPROVAL,
  )
  screen(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: ScreenNeedDto,
  ): Promise<NeedDto> {
    return this.needs.screen(principal, id, dto);
  }
}
