import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '../../auth/authorization/decorators';
import type { Principal } from '../../auth/principal';
import {
  CorrectDibaoLineDto,
  CreateDibaoLineDto,
  DibaoLineCreatedDto,
  DibaoLineDto,
  WithdrawDibaoLineDto,
  DibaoLinePageDto,
  ListDibaoLinesQueryDto,
  LookupDibaoLineQueryDto,
} from './dibao-lines.dto';
import { DibaoLinesService } from './dibao-lines.service';
import { ApiErrors } from '../../../common/openapi/api-errors';
import { ArchivesErrorCode } from '../archives.errors';
import { DibaoLinesErrorCode } from './dibao-lines.errors';
import { AuthorizationErrorCode } from '../../auth/authorization/authorization.errors';

/** The dated 低保 line table (per region, per person per month). */
@ApiTags('dibao-lines')
@ApiBearerAuth()
@Controller('dibao-lines')
export class DibaoLinesController {
  constructor(private readonly lines: DibaoLinesService) {}

  @Get()
  @Authorize('dibao-lines.read')
  @ApiOperation({ summary: '低保标准列表（按地区、起始日期）' })
  @ApiOkResponse({ type: DibaoLinePageDto })
  list(@Query() query: ListDibaoLinesQueryDto): Promise<DibaoLinePageDto> {
    return this.lines.list(query);
  }

  @Get('lookup')
  @Authorize('dibao-lines.read')
  @ApiOperation({ summary: '查询某地区某日执行的低保标准（区县→市→省）' })
  @ApiOkResponse({ type: DibaoLineDto })
  @ApiErrors(ArchivesErrorCode.DIBAO_LINE_NOT_FOUND)
  lookup(@Query() query: LookupDibaoLineQueryDto): Promise<DibaoLineDto> {
    return this.lines.lookup(query);
  }

  @Post()
  @Authorize('dibao-lines.create')
  @ApiOperation({
    summary: '登记新的低保标准（按起始日期生效，最晚一年后；审批人员可在追溯期限内补录过去的日期并写明原因）',
  })
  @ApiCreatedResponse({ type: DibaoLineCreatedDto })
  @ApiErrors(
    DibaoLinesErrorCode.DIBAO_LINE_BACKDATED,
    DibaoLinesErrorCode.DIBAO_LINE_BACKDATE_TOO_FAR,
    DibaoLinesErrorCode.DIBAO_LINE_BACKDATE_REASON_REQUIRED,
    ArchivesErrorCode.DIBAO_LINE_EXISTS,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateDibaoLineDto,
  ): Promise<DibaoLineCreatedDto> {
    return this.lines.create(principal, dto);
  }

  @Patch(':id')
  @Authorize('dibao-lines.create')
  @ApiOperation({ summary: '更正尚未开始执行的低保标准（写明原因，留痕）' })
  @ApiOkResponse({ type: DibaoLineDto })
  @ApiErrors(
    DibaoLinesErrorCode.DIBAO_LINE_ID_NOT_FOUND,
    DibaoLinesErrorCode.DIBAO_LINE_IN_FORCE,
    DibaoLinesErrorCode.DIBAO_LINE_BACKDATED,
    ArchivesErrorCode.DIBAO_LINE_EXISTS,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  correct(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe({ version: undefined })) id: string,
    @Body() dto: CorrectDibaoLineDto,
  ): Promise<DibaoLineDto> {
    return this.lines.correct(principal, id, dto);
  }

  @Post(':id/withdraw')
  @HttpCode(204)
  @Authorize('dibao-lines.create')
  @ApiOperation({ summary: '撤回尚未开始执行的低保标准（写明原因，留痕）' })
  @ApiNoContentResponse({ description: '已撤回' })
  @ApiErrors(
    DibaoLinesErrorCode.DIBAO_LINE_ID_NOT_FOUND,
    DibaoLinesErrorCode.DIBAO_LINE_IN_FORCE,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  async withdraw(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe({ version: undefined })) id: string,
    @Body() dto: WithdrawDibaoLineDto,
  ): Promise<void> {
    await this.lines.withdraw(principal, id, dto);
  }
}
