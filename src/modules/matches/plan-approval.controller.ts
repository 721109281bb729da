import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/openapi/api-errors';
import { AuthorizationErrorCode } from '../auth/authorization/authorization.errors';
import { Authorize, CurrentPrincipal } from '../auth/authorization/decorators';
import type { Principal } from '../auth/principal';
import { AllocationsService } from '../matching/allocations/allocations.service';
import { MatchingErrorCode } from '../matching/matching.errors';
import { ApprovePlanDto, PlanApprovalDto } from './dto/plan-approval.dto';
import { MatchesErrorCode } from './matches.errors';
import { MatchesService } from './matches.service';

/**
 * 审批批量分配方案: a plan's lines become approved matches (the matches module owns the approval path;
 * the plan is read through AllocationsService).
 */
@ApiTags('matching')
@ApiBearerAuth()
@Controller('allocations')
export class PlanApprovalController {
  constructor(
    private readonly allocations: AllocationsService,
    private readonly matches: MatchesService,
  ) {}

  @Post(':id/approve')
  @HttpCode(200)
  @Authorize('allocations.approve')
  @ApiOperation({
    summary: '审批方案：每条对接逐条经审批流程生成（预留名额、需求转为已对接）；不再适合的行逐条说明原因',
    description:
      '仅已完成且未过有效时长的方案；方案的发起人不能审批。每行一个事务：名额不足、需求已变化、不再符合条件或违反帮扶台账规则（AID_ONE_OFF_CAP、AID_ANNUAL_CAP、AID_DUPLICATE_CAUSE）的行返回其错误代码，不影响其他行；审批人可对个别行越过“不重复救助”（duplicateCauseOverrides）。',
  })
  @ApiOkResponse({ type: PlanApprovalDto })
  @ApiErrors(
    MatchingErrorCode.ALLOCATION_NOT_FOUND,
    MatchingErrorCode.ALLOCATION_NOT_APPROVABLE,
    MatchingErrorCode.ALLOCATION_STALE,
    MatchingErrorCode.ALLOCATION_LINES_UNKNOWN,
    AuthorizationErrorCode.OUT_OF_SCOPE,
    AuthorizationErrorCode.SELF_APPROVAL,
    MatchesErrorCode.MATCH_OVERRIDE_APPROVER_ONLY,
    MatchesErrorCode.MATCH_TEXT_CONTAINS_PERSONAL_DATA,
  )
  async approve(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe({ version: undefined })) id: string,
    @Body() dto: ApprovePlanDto,
  ): Promise<PlanApprovalDto> {
    const plan = await this.allocations.approvable(principal, id, dto.needIds);
    const lines = await this.matches.approvePlanLines(principal, plan, dto.duplicateCauseOverrides);
    const approved = lines.filter((l) => l.outcome === 'approved').length;
    return { allocationId: id, approved, refused: lines.length - approved, lines };
  }
}
