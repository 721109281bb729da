import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '../auth/principal';
import { Authorize, CurrentPrincipal } from '../auth/authorization/decorators';
import { AuditLogPageDto, AuditLogResponseDto } from './dto/audit-log.response.dto';
import { ListAuditLogsQueryDto } from './dto/list-audit-logs.query.dto';
import { AuditService } from './audit.service';

@ApiTags('audit-logs')
@ApiBearerAuth()
@Controller('audit-logs')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Authorize('audit-logs.read')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: '审计日志查询（仅审计员；按本单位管辖范围；查询本身也被记录）' })
  @ApiOkResponse({ type: AuditLogPageDto })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListAuditLogsQueryDto,
  ): Promise<AuditLogPageDto> {
    const page = await this.audit.list(principal, query);
    return { ...page, items: page.items.map((row) => AuditLogResponseDto.from(row)) };
  }
}
