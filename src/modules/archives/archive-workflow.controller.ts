import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PaginationQueryDto } from '../../common/pagination/pagination';
import { Authorize, CurrentPrincipal } from '../auth/authorization/decorators';
import type { Principal } from '../auth/principal';
import { ArchiveWorkflowService } from './archive-workflow.service';
import {
  AcceptTransferDto,
  ApproveArchiveDto,
  CancelArchiveDto,
  ConvertArchiveDto,
  ExitArchiveDto,
  RejectTransferDto,
  ReopenArchiveDto,
  ResolveObjectionDto,
  ReverifyArchiveDto,
  ReviewArchiveDto,
  SubmitArchiveDto,
  TransferArchiveDto,
  VerifyArchiveDto,
} from './workflow/dto/workflow-commands.dto';
import {
  ArchiveHistoryPageDto,
  ArchiveWorkflowStateDto,
  ListObjectionsQueryDto,
  ObjectionResponseDto,
} from './workflow/dto/workflow-responses.dto';
import { ApiErrors } from '../../common/openapi/api-errors';
import { ArchiveWorkflowErrorCode } from './workflow/archive-workflow.errors';
import { ArchivesErrorCode } from './archives.errors';
import { AuthorizationErrorCode } from '../auth/authorization/authorization.errors';

const uuid = new ParseUUIDPipe({ version: undefined });

/**
 * The archive workflow: each command moves one archive (and names the version it was decided on);
 * the service checks role, unit level, scope and state. Invalid transitions answer 409 with the status.
 */
@ApiTags('archives')
@ApiBearerAuth()
@Controller('archives')
export class ArchiveWorkflowController {
  constructor(private readonly workflow: ArchiveWorkflowService) {}

  @Post(':id/submit')
  @HttpCode(200)
  @Authorize('archives.submit')
  @ApiOperation({ summary: '提交建档申请（职工本人或经办人；须通过全部校验规则）' })
  @ApiOkResponse({ type: ArchiveWorkflowStateDto })
  @ApiErrors(
    ArchiveWorkflowErrorCode.ARCHIVE_INVALID_TRANSITION,
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
    ArchiveWorkflowErrorCode.ARCHIVE_NOT_TEMPORARY,
    ArchivesErrorCode.ARCHIVE_RULES_FAILED,
    ArchiveWorkflowErrorCode.ARCHIVE_TEXT_CONTAINS_PERSONAL_DATA,
    ArchivesErrorCode.ARCHIVE_VERSION_CONFLICT,
    ArchiveWorkflowErrorCode.ARCHIVE_WRONG_UNIT_LEVEL,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  submit(
    @CurrentPrincipal() p: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: SubmitArchiveDto,
  ): Promise<ArchiveWorkflowStateDto> {
    return this.workflow.submit(p, id, dto);
  }

  @Post(':id/review')
  @HttpCode(200)
  @Authorize('archives.review')
  @ApiOperation({ summary: '基层工会审查：通过 / 退回（附原因）/ 不予建档' })
  @ApiOkResponse({ type: ArchiveWorkflowStateDto })
  @ApiErrors(
    ArchiveWorkflowErrorCode.ARCHIVE_INVALID_TRANSITION,
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
    ArchiveWorkflowErrorCode.ARCHIVE_NOT_TEMPORARY,
    ArchiveWorkflowErrorCode.ARCHIVE_TEXT_CONTAINS_PERSONAL_DATA,
    ArchivesErrorCode.ARCHIVE_VERSION_CONFLICT,
    ArchiveWorkflowErrorCode.ARCHIVE_WRONG_UNIT_LEVEL,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
    AuthorizationErrorCode.SELF_APPROVAL,
  )
  review(
    @CurrentPrincipal() p: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: ReviewArchiveDto,
  ): Promise<ArchiveWorkflowStateDto> {
    return this.workflow.review(p, id, dto);
  }

  @Post(':id/verify')
  @HttpCode(200)
  @Authorize('archives.verify')
  @ApiOperation({ summary: '上一级工会复核（附入户核实记录）：通过 / 退回' })
  @ApiOkResponse({ type: ArchiveWorkflowStateDto })
  @ApiErrors(
    ArchiveWorkflowErrorCode.ARCHIVE_INVALID_TRANSITION,
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
    ArchiveWorkflowErrorCode.ARCHIVE_NOT_TEMPORARY,
    ArchiveWorkflowErrorCode.ARCHIVE_TEXT_CONTAINS_PERSONAL_DATA,
    ArchivesErrorCode.ARCHIVE_VERSION_CONFLICT,
    ArchiveWorkflowErrorCode.ARCHIVE_VISIT_DATE_INVALID,
    ArchiveWorkflowErrorCode.ARCHIVE_WRONG_UNIT_LEVEL,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
    AuthorizationErrorCode.SELF_APPROVAL,
  )
  verify(
    @CurrentPrincipal() p: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: VerifyArchiveDto,
  ): Promise<ArchiveWorkflowStateDto> {
    return this.workflow.verify(p, id, dto);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Authorize('archives.approve')
  @ApiOperation({ summary: '审定：通过后进入公示 / 退回 / 不予建档（不得审定本人提交的档案）' })
  @ApiOkResponse({ type: ArchiveWorkflowStateDto })
  @ApiErrors(
    ArchiveWorkflowErrorCode.ARCHIVE_INVALID_TRANSITION,
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
    ArchiveWorkflowErrorCode.ARCHIVE_NOT_TEMPORARY,
    ArchiveWorkflowErrorCode.ARCHIVE_SAME_PERSON_DECIDES_TWICE,
    ArchiveWorkflowErrorCode.ARCHIVE_TEXT_CONTAINS_PERSONAL_DATA,
    ArchivesErrorCode.ARCHIVE_VERSION_CONFLICT,
    ArchiveWorkflowErrorCode.ARCHIVE_WRONG_UNIT_LEVEL,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
    AuthorizationErrorCode.SELF_APPROVAL,
  )
  approve(
    @CurrentPrincipal() p: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: ApproveArchiveDto,
  ): Promise<ArchiveWorkflowStateDto> {
    return this.workflow.approve(p, id, dto);
  }

  @Post(':id/exit')
  @HttpCode(200)
  @Authorize('archives.exit')
  @ApiOperation({ summary: '脱困（记录原因，进入6个月返困观察）' })
  @ApiOkResponse({ type: ArchiveWorkflowStateDto })
  @ApiErrors(
    ArchiveWorkflowErrorCode.ARCHIVE_INVALID_TRANSITION,
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
    ArchiveWorkflowErrorCode.ARCHIVE_NOT_TEMPORARY,
    ArchiveWorkflowErrorCode.ARCHIVE_TEXT_CONTAINS_PERSONAL_DATA,
    ArchivesErrorCode.ARCHIVE_VERSION_CONFLICT,
    ArchiveWorkflowErrorCode.ARCHIVE_WRONG_UNIT_LEVEL,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  exit(
    @CurrentPrincipal() p: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: ExitArchiveDto,
  ): Promise<ArchiveWorkflowStateDto> {
    return this.workflow.exit(p, id, dto);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Authorize('archives.cancel')
  @ApiOperation({ summary: '注销（调离、死亡、失联、弄虚作假、清退、并户；退休不注销）' })
  @ApiOkResponse({ type: ArchiveWorkflowStateDto })
  @ApiErrors(
    ArchiveWorkflowErrorCode.ARCHIVE_INVALID_TRANSITION,
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
    ArchiveWorkflowErrorCode.ARCHIVE_NOT_TEMPORARY,
    ArchiveWorkflowErrorCode.ARCHIVE_TEXT_CONTAINS_PERSONAL_DATA,
    ArchivesErrorCode.ARCHIVE_VERSION_CONFLICT,
    ArchiveWorkflowErrorCode.ARCHIVE_WRONG_UNIT_LEVEL,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  cancel(
    @CurrentPrincipal() p: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: CancelArchiveDto,
  ): Promise<ArchiveWorkflowStateDto> {
    return this.workflow.cancel(p, id, dto);
  }

  @Post(':id/transfer')
  @HttpCode(200)
  @Authorize('archives.transfer')
  @ApiOperation({ summary: '移交到另一基层工会（接收单位确认后生效）' })
  @ApiOkResponse({ type: ArchiveWorkflowStateDto })
  @ApiErrors(
    ArchiveWorkflowErrorCode.ARCHIVE_INVALID_TRANSITION,
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
    ArchiveWorkflowErrorCode.ARCHIVE_NOT_TEMPORARY,
    ArchiveWorkflowErrorCode.ARCHIVE_TEXT_CONTAINS_PERSONAL_DATA,
    ArchiveWorkflowErrorCode.ARCHIVE_TRANSFER_TARGET_INVALID,
    ArchivesErrorCode.ARCHIVE_VERSION_CONFLICT,
    ArchiveWorkflowErrorCode.ARCHIVE_WRONG_UNIT_LEVEL,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  transfer(
    @CurrentPrincipal() p: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: TransferArchiveDto,
  ): Promise<ArchiveWorkflowStateDto> {
    return this.workflow.transfer(p, id, dto);
  }

  @Post(':id/accept-transfer')
  @HttpCode(200)
  @Authorize('archives.accept-transfer')
  @ApiOperation({ summary: '接收单位确认接收移交的档案' })
  @ApiOkResponse({ type: ArchiveWorkflowStateDto })
  @ApiErrors(
    ArchiveWorkflowErrorCode.ARCHIVE_INVALID_TRANSITION,
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
    ArchiveWorkflowErrorCode.ARCHIVE_NOT_TEMPORARY,
    ArchiveWorkflowErrorCode.ARCHIVE_TEXT_CONTAINS_PERSONAL_DATA,
    ArchivesErrorCode.ARCHIVE_VERSION_CONFLICT,
    ArchiveWorkflowErrorCode.ARCHIVE_WRONG_UNIT_LEVEL,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
    AuthorizationErrorCode.SELF_APPROVAL,
  )
  acceptTransfer(
    @CurrentPrincipal() p: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: AcceptTransferDto,
  ): Promise<ArchiveWorkflowStateDto> {
    return this.workflow.acceptTransfer(p, id, dto);
  }

  @Post(':id/reject-transfer')
  @HttpCode(200)
  @Authorize('archives.reject-transfer')
  @ApiOperation({ summary: '接收单位拒收移交的档案（须写明原因）' })
  @ApiOkResponse({ type: ArchiveWorkflowStateDto })
  @ApiErrors(
    ArchiveWorkflowErrorCode.ARCHIVE_INVALID_TRANSITION,
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
    ArchiveWorkflowErrorCode.ARCHIVE_NOT_TEMPORARY,
    ArchiveWorkflowErrorCode.ARCHIVE_TEXT_CONTAINS_PERSONAL_DATA,
    ArchivesErrorCode.ARCHIVE_VERSION_CONFLICT,
    ArchiveWorkflowErrorCode.ARCHIVE_WRONG_UNIT_LEVEL,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  rejectTransfer(
    @CurrentPrincipal() p: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: RejectTransferDto,
  ): Promise<ArchiveWorkflowStateDto> {
    return this.workflow.rejectTransfer(p, id, dto);
  }

  @Post(':id/convert')
  @HttpCode(200)
  @Authorize('archives.convert')
  @ApiOperation({
    summary: '临时救助档案转正：在档档案重新校验并提交，经审查、复核、审定与公示后转为正式档案',
  })
  @ApiOkResponse({ type: ArchiveWorkflowStateDto })
  @ApiErrors(
    ArchiveWorkflowErrorCode.ARCHIVE_INVALID_TRANSITION,
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
    ArchiveWorkflowErrorCode.ARCHIVE_NOT_TEMPORARY,
    ArchivesErrorCode.ARCHIVE_RULES_FAILED,
    ArchiveWorkflowErrorCode.ARCHIVE_TEXT_CONTAINS_PERSONAL_DATA,
    ArchivesErrorCode.ARCHIVE_VERSION_CONFLICT,
    ArchiveWorkflowErrorCode.ARCHIVE_WRONG_UNIT_LEVEL,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  convert(
    @CurrentPrincipal() p: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: ConvertArchiveDto,
  ): Promise<ArchiveWorkflowStateDto> {
    return this.workflow.convert(p, id, dto);
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @Authorize('archives.reopen')
  @ApiOperation({
    summary: '返困：已脱困档案重新启用（退回经办人补正，再经审查、复核、审定与公示后在档）',
  })
  @ApiOkResponse({ type: ArchiveWorkflowStateDto })
  @ApiErrors(
    ArchiveWorkflowErrorCode.ARCHIVE_INVALID_TRANSITION,
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
    ArchiveWorkflowErrorCode.ARCHIVE_NOT_TEMPORARY,
    ArchiveWorkflowErrorCode.ARCHIVE_REOPEN_PERSON_ELSEWHERE,
    ArchiveWorkflowErrorCode.ARCHIVE_TEXT_CONTAINS_PERSONAL_DATA,
    ArchivesErrorCode.ARCHIVE_VERSION_CONFLICT,
    ArchiveWorkflowErrorCode.ARCHIVE_WRONG_UNIT_LEVEL,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  reopen(
    @CurrentPrincipal() p: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: ReopenArchiveDto,
  ): Promise<ArchiveWorkflowStateDto> {
    return this.workflow.reopen(p, id, dto);
  }

  @Post(':id/reverify')
  @HttpCode(200)
  @Authorize('archives.reverify')
  @ApiOperation({
    summary: '在档档案复核（入户核实或材料核查）：更新最近核实日期，解除“长期未核实”标记',
  })
  @ApiOkResponse({ type: ArchiveWorkflowStateDto })
  @ApiErrors(
    ArchiveWorkflowErrorCode.ARCHIVE_INVALID_TRANSITION,
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
    ArchiveWorkflowErrorCode.ARCHIVE_NOT_TEMPORARY,
    ArchiveWorkflowErrorCode.ARCHIVE_REVERIFY_CHECKERS_TOO_FEW,
    ArchiveWorkflowErrorCode.ARCHIVE_REVERIFY_DATE_INVALID,
    ArchiveWorkflowErrorCode.ARCHIVE_TEXT_CONTAINS_PERSONAL_DATA,
    ArchivesErrorCode.ARCHIVE_VERSION_CONFLICT,
    ArchiveWorkflowErrorCode.ARCHIVE_WRONG_UNIT_LEVEL,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  reverify(
    @CurrentPrincipal() p: Principal,
    @Param('id', uuid) id: string,
    @Body() dto: ReverifyArchiveDto,
  ): Promise<ArchiveWorkflowStateDto> {
    return this.workflow.reverify(p, id, dto);
  }

  @Get(':id/objections')
  @Authorize('archives.list-objections')
  @ApiOperation({ summary: '档案的公示异议（联系电话已脱敏；查看被记录）' })
  @ApiOkResponse({ type: [ObjectionResponseDto] })
  @ApiErrors(ArchivesErrorCode.ARCHIVE_NOT_FOUND, AuthorizationErrorCode.OUT_OF_SCOPE)
  objections(
    @CurrentPrincipal() p: Principal,
    @Param('id', uuid) id: string,
    @Query() query: ListObjectionsQueryDto,
  ): Promise<ObjectionResponseDto[]> {
    return this.workflow.listObjections(p, id, query);
  }

  @Post(':id/objections/:objectionId/resolve')
  @HttpCode(200)
  @Authorize('archives.resolve-objection')
  @ApiOperation({ summary: '处理异议：成立（档案退回复核）/ 不成立（须写明意见）' })
  @ApiOkResponse({ type: ArchiveWorkflowStateDto })
  @ApiErrors(
    ArchiveWorkflowErrorCode.ARCHIVE_INVALID_TRANSITION,
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
    ArchiveWorkflowErrorCode.ARCHIVE_NOT_TEMPORARY,
    ArchiveWorkflowErrorCode.ARCHIVE_TEXT_CONTAINS_PERSONAL_DATA,
    ArchivesErrorCode.ARCHIVE_VERSION_CONFLICT,
    ArchiveWorkflowErrorCode.ARCHIVE_WRONG_UNIT_LEVEL,
    AuthorizationErrorCode.NOT_OWNER,
    ArchiveWorkflowErrorCode.OBJECTION_ALREADY_RESOLVED,
    ArchiveWorkflowErrorCode.OBJECTION_NOT_FOUND,
    ArchiveWorkflowErrorCode.OBJECTION_OWN_APPROVAL,
    AuthorizationErrorCode.OUT_OF_SCOPE,
    AuthorizationErrorCode.SELF_APPROVAL,
  )
  resolveObjection(
    @CurrentPrincipal() p: Principal,
    @Param('id', uuid) id: string,
    @Param('objectionId', uuid) objectionId: string,
    @Body() dto: ResolveObjectionDto,
  ): Promise<ArchiveWorkflowStateDto> {
    return this.workflow.resolveObjection(p, id, objectionId, dto);
  }

  @Get(':id/history')
  @Authorize('archives.read-history')
  @ApiOperation({ summary: '档案历史：流程环节与字段级修改记录，新的在前（查看被记录）' })
  @ApiOkResponse({ type: ArchiveHistoryPageDto })
  @ApiErrors(
    ArchivesErrorCode.ARCHIVE_NOT_FOUND,
    AuthorizationErrorCode.NOT_OWNER,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  history(
    @CurrentPrincipal() p: Principal,
    @Param('id', uuid) id: string,
    @Query() query: PaginationQueryDto,
  ): Promise<ArchiveHistoryPageDto> {
    return this.workflow.history(p, id, query);
  }
}
