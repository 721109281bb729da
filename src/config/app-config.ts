import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class HttpConfig {
  @IsInt() @Min(0) @Max(65535) port!: number;
  @IsString() host!: string;
  /** Largest accepted request body, in bytes. */
  @IsInt() @Min(1024) bodyLimit!: number;
  @IsString() apiPrefix!: string;
}

export class EmbeddedDatabaseConfig {
  /** Where the embedded PostgreSQL keeps its cluster; kept across restarts. */
  @IsString() dataDir!: string;
  /** 0 = pick a free port at every start. */
  @IsInt() @Min(0) @Max(65535) port!: number;
  @IsString() database!: string;
}

export class DatabaseConfig {
  /** postgres:// URL of a real server; when absent the embedded PostgreSQL is used. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'database.url 必须是 postgres:// 地址' })
  url?: string;
  @IsBoolean() migrationsRun!: boolean;
  @IsInt() @Min(1) @Max(200) poolSize!: number;
  @IsObject() @ValidateNested() @Type(() => EmbeddedDatabaseConfig) embedded!: EmbeddedDatabaseConfig;
}

export class RedisConfig {
  /** redis:// URL; when absent jobs run on the in-process driver. */
  @IsOptional()
  @Matches(/^rediss?:\/\//, { message: 'redis.url 必须是 redis:// 地址' })
  url?: string;
  @IsString() prefix!: string;
}

export class MeiliConfig {
  /** http(s):// URL of Meilisearch; when absent PostgreSQL full-text search is used. */
  @IsOptional()
  @Matches(/^https?:\/\//, { message: 'search.meili.url 必须是 http(s):// 地址' })
  url?: string;
  @IsOptional() @IsString() apiKey?: string;
  @IsString() indexPrefix!: string;
  @IsInt() @Min(100) taskTimeoutMs!: number;
  @IsInt() @Min(100) requestTimeoutMs!: number;
}

export class SearchConfig {
  @IsObject() @ValidateNested() @Type(() => MeiliConfig) meili!: MeiliConfig;
  /** How often the health of the primary engine is probed while it is down. */
  @IsInt() @Min(100) healthCheckIntervalMs!: number;
}

export class OutboxConfig {
  @IsInt() @Min(1) @Max(10000) batchSize!: number;
  /** How often the relay looks for pending rows (also the retry pace while an engine is down). */
  @IsInt() @Min(50) pollIntervalMs!: number;
}

export class LogConfig {
  @IsIn(LOG_LEVELS) level!: LogLevel;
  @IsBoolean() pretty!: boolean;
}

export class WorkerConfig {
  /** `auto`: run job consumers inside the HTTP process when the queue is in-process. */
  @IsIn(['auto', 'always', 'never']) inProcess!: 'auto' | 'always' | 'never';
  @IsInt() @Min(1) @Max(64) concurrency!: number;
}

export class AppConfig {
  @IsIn(NODE_ENVS) env!: NodeEnv;
  @IsObject() @ValidateNested() @Type(() => HttpConfig) http!: HttpConfig;
  @IsObject() @ValidateNested() @Type(() => DatabaseConfig) database!: DatabaseConfig;
  @IsObject() @ValidateNested() @Type(() => RedisConfig) redis!: RedisConfig;
  @IsObject() @ValidateNested() @Type(() => SearchConfig) search!: SearchConfig;
  @IsObject() @ValidateNested() @Type(() => OutboxConfig) outbox!: OutboxConfig;
  @IsObject() @ValidateNested() @Type(() => WorkerConfig) worker!: WorkerConfig;
  @IsObject() @ValidateNested() @Type(() => LogConfig) log!: LogConfig;
}
