import { ApiBool, ApiDateTime, ApiEnum, ApiNested, ApiText } from '../../common/openapi/api-field';

export const HEALTH_STATUSES = ['ok', 'degraded', 'down'] as const;

/** GET /health/live: the process answers (no dependency is asked). */
export class HealthLiveDto {
  @ApiEnum(['ok'], { description: '进程存活' }) status!: 'ok';
}

/**
 * One dependency. Anonymous callers get `ok` only; staff with the admin role also get what it is and
 * why it is not ok (error messages name hosts and drivers).
 */
export class DependencyHealthDto {
  @ApiBool() ok!: boolean;
  @ApiText({ optional: true, description: '失败原因（仅系统管理员可见）' }) detail?: string;
  @ApiText({ optional: true, description: 'database: embedded | external' }) kind?: string;
  @ApiText({ optional: true, description: 'queue: in-process | bullmq' }) driver?: string;
  @ApiText({ optional: true, description: 'search: the engine in use' }) engine?: string;
  @ApiText({ optional: true, description: 'search: the configured primary engine' }) primary?: string;
  @ApiBool({ optional: true, description: 'search: serving from the PostgreSQL fallback' })
  fallbackActive?: boolean;
  @ApiDateTime({ optional: true, description: 'search: primary down since' }) downSince?: string;
  @ApiEnum(['ok', 'warn', 'fail'], {
    optional: true,
    description: 'calendar: warn = 12 月起缺下一年节假日安排；fail = 缺当年安排',
  })
  coverage?: 'ok' | 'warn' | 'fail';
}

export class HealthChecksDto {
  @ApiNested(() => DependencyHealthDto) database!: DependencyHealthDto;
  @ApiNested(() => DependencyHealthDto) queue!: DependencyHealthDto;
  @ApiNested(() => DependencyHealthDto) search!: DependencyHealthDto;
  @ApiNested(() => DependencyHealthDto, { description: '法定节假日日历（config/holidays.yml）' })
  calendar!: DependencyHealthDto;
}

/** GET /health/ready and GET /health: 200 while serving (ok or degraded), 503 when down. */
export class HealthReportDto {
  @ApiEnum(HEALTH_STATUSES, {
    description:
      'ok：全部正常；degraded：可服务，但搜索在用 PostgreSQL 备用或缺当年节假日安排；down：不能服务',
  })
  status!: (typeof HEALTH_STATUSES)[number];
  @ApiDateTime({ description: '检查时间（就绪结果会缓存 health.readyCacheMs）' }) checkedAt!: string;
  @ApiNested(() => HealthChecksDto) checks!: HealthChecksDto;
}
