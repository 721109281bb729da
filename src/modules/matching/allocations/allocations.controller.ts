import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../common/openapi/api-errors';
import { AuthorizationErrorCode } from '../../auth/authorization/authorization.errors';
import { Authorize, CurrentPrincipal } from '../../auth/authorization/decorators';
import type { Principal } from '../../auth/principal';
import {
  AllocationDto,
  AllocationLinePageDto,
  AllocationLinesQueryDto,
  AllocationPageDto,
  CreateAllocationDto,
  ListAllocationsQueryDto,
} from '../dto/allocations.dto';
import { MatchingErrorCode } from '../matching.errors';
import { AllocationsService } from './allocations.service';

const uuid = new ParseUUIDPipe({ version: undefined });
const READ_ERRORS = [MatchingErrorCode.ALLOCATION_NOT_FOUND, AuthorizationErrorCode.OUT_OF_SCOPE] as const;

/** 批量分配: a scope's open needs against its offers, solved exactly (or greedily) as a job. */
@ApiTags('matching')
@ApiBearerAuth()
@Controller('allocations')
export class AllocationsController {
  constructor(private readonly allocations: AllocationsService) {}

  @Post()
  @HttpCode(202)
  @Authorize('allocations.create')
  @ApiOperation({
    summary: '发起批量分配：范围内的待对接需求与可覆盖该范围的供给，按总得分最大求解（后台任务）',
    description:
      '返回 queued 状态的方案；用 GET /allocations/{id} 查看进度（candidates → solving → saving）与结果。' +
      '供给可逐个指定（offerIds）或按条件筛选（offerFilter），二者择一；都不填则为全部可覆盖该范围的已发布供给。',
  })
  @ApiAcceptedResponse({ type: AllocationDto })
  @ApiErrors(
    AuthorizationErrorCode.OUT_OF_SCOPE,
    MatchingErrorCode.ALLOCATION_OFFERS_AMBIGUOUS,
    MatchingErrorCode.ALLOCATION_TOO_MANY_CANDIDATES,
    MatchingErrorCode.ALLOCATION_QUEUE_UNAVAILABLE,
  )
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateAllocationDto): Promise<AllocationDto> {
    return this.allocations.create(principal, dto);
  }

  @Get()
  @Authorize('allocations.read')
  @ApiOperation({ summary: '管辖范围内的批量分配方案（新的在前）' })
  @ApiOkResponse({ type: AllocationPageDto })
  @ApiErrors(AuthorizationErrorCode.OUT_OF_SCOPE)
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListAllocationsQueryDto,
  ): Promise<AllocationPageDto> {
    return this.allocations.list(principal, query);
  }

  @Get(':id')
  @Authorize('allocations.read')
  @ApiOperation({
    summary: '批量分配方案：状态与进度；完成后为总得分、最优解与对偶上界、贪心解、未分配需求按原因计数',
    description: '方案超过有效时长后 stale 为 true，须重新运行（POST /allocations/{id}/rerun）。',
  })
  @ApiOkResponse({ type: AllocationDto })
  @ApiErrors(...READ_ERRORS)
  get(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<AllocationDto> {
    return this.allocations.get(principal, id);
  }

  @Get(':id/lines')
  @Authorize('allocations.read')
  @ApiOperation({
    summary:
      '方案明细：每条对接的需求、供给与得分构成（lines=assigned），或未分到供给的需求及原因（lines=unassigned）',
  })
  @ApiOkResponse({ type: AllocationLinePageDto })
  @ApiErrors(...READ_ERRORS)
  lines(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Query() query: AllocationLinesQueryDto,
  ): Promise<AllocationLinePageDto> {
    return this.allocations.lines(principal, id, query);
  }

  @Post(':id/discard')
  @HttpCode(200)
  @Authorize('allocations.discard')
  @ApiOperation({ summary: '作废方案（排队、计算中或已完成的）；计算中的任务随即停止' })
  @ApiOkResponse({ type: AllocationDto })
  @ApiErrors(...READ_ERRORS, MatchingErrorCode.ALLOCATION_NOT_DISCARDABLE)
  discard(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<AllocationDto> {
    return this.allocations.discard(principal, id);
  }

  @Post(':id/rerun')
  @HttpCode(202)
  @Authorize('allocations.create')
  @ApiOperation({ summary: '以相同的范围、供给、需求与策略重新运行，生成新方案' })
  @ApiAcceptedResponse({ type: AllocationDto })
  @ApiErrors(...READ_ERRORS, MatchingErrorCode.ALLOCATION_QUEUE_UNAVAILABLE)
  rerun(@CurrentPrincipal() principal: Principal, @Param('id', uuid) id: string): Promise<AllocationDto> {
    return this.allocations.rerun(principal, id);
  }
}
