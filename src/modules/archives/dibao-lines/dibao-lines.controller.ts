import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorize, CurrentPrincipal } from '../../auth/authorization/decorators';
import type { Principal } from '../../auth/principal';
import {
  CreateDibaoLineDto,
  DibaoLineDto,
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
  @ApiOperation({ summary: '登记新的低保标准（按起始日期生效；已登记的不修改）' })
  @ApiCreatedResponse({ type: DibaoLineDto })
  @ApiErrors(
    DibaoLinesErrorCode.DIBAO_LINE_BACKDATED,
    ArchivesErrorCode.DIBAO_LINE_EXISTS,
    AuthorizationErrorCode.OUT_OF_SCOPE,
  )
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateDibaoLineDto): Promise<DibaoLineDto> {
    return this.lines.create(principal, dto);
  }
}
