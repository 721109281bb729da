import { Controller, Get, Header, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/authorization/decorators';
import type { Principal } from '../auth/principal';
import { HealthLiveDto, HealthReportDto } from './health.dto';
import { HealthReport, HealthService, publicHealthView } from './health.service';

type MaybeAuthed = FastifyRequest & { principal?: Principal };

/**
 * Staff with the admin role (on a full session, not one held at password change or TOTP enrolment) see
 * why a dependency is down; everyone else sees the states only.
 */
function isAdmin(principal: Principal | undefined): boolean {
  return principal?.kind === 'staff' && principal.roles.includes('admin') && principal.restriction === null;
}

/** Health checks, outside the API prefix: `/health/live`, `/health/ready`, and `/health` (= ready). */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('live')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: '存活检查：进程可响应（不访问任何依赖）' })
  @ApiOkResponse({ type: HealthLiveDto })
  live(): HealthLiveDto {
    return this.health.live();
  }

  @Get('ready')
  @ApiBearerAuth()
  @ApiOperation({
    summary: '就绪检查：数据库、任务队列、搜索引擎（结果缓存 health.readyCacheMs；系统管理员可见详情）',
  })
  @ApiOkResponse({ type: HealthReportDto, description: '可服务（ok 或 degraded）' })
  @ApiResponse({ status: 503, type: HealthReportDto, description: '不能服务（down）' })
  ready(@Req() request: MaybeAuthed, @Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    return this.answer(request, reply);
  }

  @Get()
  @ApiBearerAuth()
  @ApiOperation({ summary: '同 /health/ready（容器编排的健康检查用）' })
  @ApiOkResponse({ type: HealthReportDto, description: '可服务（ok 或 degraded）' })
  @ApiResponse({ status: 503, type: HealthReportDto, description: '不能服务（down）' })
  check(@Req() request: MaybeAuthed, @Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    return this.answer(request, reply);
  }

  private async answer(request: MaybeAuthed, reply: FastifyReply): Promise<HealthReport> {
    const report = await this.health.ready();
    void reply.status(report.status === 'down' ? 503 : 200).header('cache-control', 'no-store');
    return isAdmin(request.principal) ? report : publicHealthView(report);
  }
}
