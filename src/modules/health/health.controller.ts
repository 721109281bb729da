import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/authorization/decorators';
import { HealthReport, HealthService } from './health.service';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOperation({ summary: '存活与依赖检查 (database, queue, search, fallback)' })
  @ApiOkResponse({ description: '200 when serving (status ok or degraded), 503 when down' })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    const report = await this.health.report();
    void reply.status(report.status === 'down' ? 503 : 200).header('cache-control', 'no-store');
    return report;
  }
}
