import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsTimeZone,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsDecimal } from '../common/validation/numbers';
import { AidLedgerConfig } from './aid-ledger-config';
import { MatchingConfig } from './matching-config';
import { NotificationsConfig } from './notifications-config';

// A plain list of constants: the configuration names which income kinds the category check ignores.
import { INCOME_KINDS, type IncomeKind, type SchoolingStage } from '../modules/archives/archive.enums';
import {
  MENU_BENEFICIARIES,
  MENU_CATEGORIES,
  MENU_ITEM_CODE_PATTERN,
  MENU_LIMITS,
  MENU_SCHOOLING_STAGES,
  MENU_UNITS,
  type MenuBeneficiary,
  type MenuCategory,
  type MenuUnit,
} from '../modules/menu/menu.enums';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** An exact browser origin: scheme, host and optional port, nothing else (no wildcard, no path). */
const ORIGIN_PATTERN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/;

export class CorsConfig {
  /**
   * Browser origins allowed to call the API cross-origin. Empty = same-origin only. An env var may give
   * them comma-separated (BANGFU__HTTP__CORS__ORIGINS=https://a.example.cn,https://b.example.cn).
   */
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((origin) => origin.trim())
          .filter(Boolean)
      : value,
  )
  @IsArray()
  @Matches(ORIGIN_PATTERN, {
    each: true,
    message: 'http.cors.origins 每项必须是 https://主机[:端口] 形式的来源',
  })
  origins!: string[];
  /** Whether cross-origin requests may carry cookies. */
  @IsBoolean() credentials!: boolean;
  /** How long a browser may cache a preflight answer. */
  @IsInt() @Min(0) @Max(86400) maxAgeSeconds!: number;
}

export class HttpConfig {
  @IsInt() @Min(0) @Max(65535) port!: number;
  @IsString() host!: string;
  /** Largest accepted request body, in bytes. */
  @IsInt() @Min(1024) bodyLimit!: number;
  /**
   * Deepest nesting of objects/arrays a JSON body may have (`{}` is 1); deeper bodies get 400
   * BODY_TOO_DEEP before anything walks them. No DTO of the API nests more than a few levels.
   */
  @IsInt() @Min(4) @Max(256) maxBodyDepth!: number;
  @IsString() apiPrefix!: string;
  @IsObject() @ValidateNested() @Type(() => CorsConfig) cors!: CorsConfig;
  /**
   * Reverse proxies whose X-Forwarded-For is believed, comma-separated addresses or CIDRs
   * (`10.0.0.0/8,127.0.0.1`); empty = none. Per-IP rate limits and the audit log's client IP need it
   * behind a proxy; trusting every proxy would let any client pick its own IP.
   */
  @Matches(/^$|^[0-9a-fA-F.:/]+(,\s*[0-9a-fA-F.:/]+)*$/, {
    message: 'http.trustProxy 须为逗号分隔的 IP 或 CIDR',
  })
  trustProxy!: string;
}

/**
 * Personal-data encryption at rest (src/common/crypto FieldCipher). Strings here are checked as a whole
 * after field validation (src/config/crypto-config.check.ts): a keyring that does not parse, an active
 * key outside it, or the development keys in production stop the start.
 */
export class CryptoConfig {
  /** Keyring `k1:<base64 32 bytes>,k2:<base64 32 bytes>`; retired keys stay to decrypt old values. */
  @IsString() keys!: string;
  /** The key new values are encrypted under. */
  @Type(() => String) @IsString() activeKeyId!: string;
  /** Base64, at least 32 bytes: HMAC key of the blind indexes (exact lookup of encrypted fields). */
  @IsString() blindIndexKey!: string;
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
  /**
   * The login migrations run as (the owner of the schema), when the login in `url` is only a member of
   * the application role (production); unset → migrations use `url`. Only with `url`.
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'database.migrationUrl 必须是 postgres:// 地址' })
  migrationUrl?: string;
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
  /**
   * A key with the actions of MEILI_APP_KEY_ACTIONS (never the master key). Read from
   * `apiKeyFile` (MEILI_API_KEY_FILE) when that is set: docker compose's one-shot `meili-key` service
   * writes it there.
   */
  @IsOptional() @IsString() apiKey?: string;
  @IsOptional() @IsString() apiKeyFile?: string;
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
  /** When processed rows are purged (cron, 5 or 6 fields, in worker.timeZone). */
  @Matches(/^\S+(\s+\S+){4,5}$/, { message: 'outbox.purgeCron 必须是 5 或 6 段的 cron 表达式' })
  purgeCron!: string;
  /** Processed rows older than this many days are deleted by the purge (pending rows never are). */
  @IsInt() @Min(1) @Max(3650) retainProcessedDays!: number;
}

export class AuditConfig {
  /** How often the sealer links new audit rows into the hash chain. */
  @IsInt() @Min(100) @Max(60_000) sealIntervalMs!: number;
  /** Rows linked per sealer transaction. */
  @IsInt() @Min(1) @Max(100_000) sealBatchSize!: number;
  /** A row still unsealed this long after it was written is a fault (`npm run audit:verify` fails). */
  @IsInt() @Min(1) unsealedFaultSeconds!: number;
}

export class LogConfig {
  @IsIn(LOG_LEVELS) level!: LogLevel;
  @IsBoolean() pretty!: boolean;
}

export class WorkerConfig {
  /** `auto`: run job consumers inside the HTTP process when the queue is in-process. */
  @IsIn(['auto', 'always', 'never']) inProcess!: 'auto' | 'always' | 'never';
  @IsInt() @Min(1) @Max(64) concurrency!: number;
  /**
   * IANA time zone every cron schedule is read in, by both queue drivers: `30 0 * * *` is 00:30 there,
   * whatever the server's own zone (containers run in UTC unless TZ is set).
   */
  @IsTimeZone({ message: 'worker.timeZone 须为 IANA 时区名，如 Asia/Shanghai' }) timeZone!: string;
}

export class PasswordHashingConfig {
  /** argon2id memory in KiB (OWASP: 19456 = 19 MiB with t=2, p=1). */
  @IsInt() @Min(1024) @Max(1048576) memoryCost!: number;
  @IsInt() @Min(1) @Max(10) timeCost!: number;
  @IsInt() @Min(1) @Max(16) parallelism!: number;
}

export class PasswordConfig {
  @IsInt() @Min(8) @Max(64) minLength!: number;
  @IsInt() @Min(16) @Max(1024) maxLength!: number;
  /** The common-password list (one a line, `#` comments), resolved against the working directory. */
  @IsString() commonListPath!: string;
  /** Staff passwords older than this must be changed at the next login; 0 = never expire. */
  @IsInt() @Min(0) @Max(3650) maxAgeDays!: number;
  @IsObject() @ValidateNested() @Type(() => PasswordHashingConfig) hashing!: PasswordHashingConfig;
}

export class SessionConfig {
  /** Access token lifetime. */
  @IsInt() @Min(30) @Max(3600) accessTokenTtlSeconds!: number;
  /** A session with no activity for this long is over. */
  @IsInt() @Min(1) @Max(1440) idleTimeoutMinutes!: number;
  /** A session ends this long after login, whatever the activity. */
  @IsInt() @Min(1) @Max(720) absoluteLifetimeHours!: number;
  /** `last_seen_at` is written at most this often per session. */
  @IsInt() @Min(0) @Max(600) touchIntervalSeconds!: number;
  /**
   * How long one process may reuse a session check (session, account, token version) before reading it
   * again: a revocation by anything but this process's own logout/password change is seen this late at
   * most. Capped at one second; 0 = read on every request.
   */
  @IsInt() @Min(0) @Max(1000) verifyCacheMs!: number;
}

export class LockoutConfig {
  /** Consecutive failures that lock the account. */
  @IsInt() @Min(1) @Max(100) maxFailures!: number;
  @IsInt() @Min(1) @Max(1440) durationMinutes!: number;
}

export class TotpConfig {
  /** Shown in the authenticator app. */
  @IsString() issuer!: string;
  /** Time steps accepted either side of now. */
  @IsInt() @Min(0) @Max(3) window!: number;
  @IsInt() @Min(5) @Max(20) recoveryCodeCount!: number;
  /** Lifetime of the login challenge between password and TOTP code. */
  @IsInt() @Min(30) @Max(900) challengeTtlSeconds!: number;
}

export class RateLimitRule {
  @IsInt() @Min(1) limit!: number;
  @IsInt() @Min(1) @Max(86400) windowSeconds!: number;
}

/**
 * One endpoint's limits. Every attempt counts against all three: per account and per account from one
 * address tightly (password guessing against an account, from one place or many), per address loosely
 * (a union office behind one NAT address holds many accounts and must not lock itself out).
 */
export class RateLimitEndpointConfig {
  /** Every attempt from one client address, whatever the account (loose). */
  @IsObject() @ValidateNested() @Type(() => RateLimitRule) perIp!: RateLimitRule;
  /** Every attempt on one account (the name typed, or the session's user on refresh), from anywhere (tight). */
  @IsObject() @ValidateNested() @Type(() => RateLimitRule) perAccount!: RateLimitRule;
  /** Attempts on one account from one client address (tightest). */
  @IsObject() @ValidateNested() @Type(() => RateLimitRule) perAccountIp!: RateLimitRule;
}

export class RateLimitConfig {
  @IsBoolean() enabled!: boolean;
  @IsObject() @ValidateNested() @Type(() => RateLimitEndpointConfig) login!: RateLimitEndpointConfig;
  @IsObject() @ValidateNested() @Type(() => RateLimitEndpointConfig) loginTotp!: RateLimitEndpointConfig;
  /** The account is the session's user. */
  @IsObject() @ValidateNested() @Type(() => RateLimitEndpointConfig) refresh!: RateLimitEndpointConfig;
  /** POST /partners (self-registration, no login). The account is the credit code, else the user name. */
  @IsObject()
  @ValidateNested()
  @Type(() => RateLimitEndpointConfig)
  partnerRegistration!: RateLimitEndpointConfig;
}

export class AuthConfig {
  /** HMAC key of access tokens and login challenges; production refuses the development default. */
  @IsString() tokenSecret!: string;
  @IsObject() @ValidateNested() @Type(() => SessionConfig) session!: SessionConfig;
  @IsObject() @ValidateNested() @Type(() => PasswordConfig) password!: PasswordConfig;
  @IsObject() @ValidateNested() @Type(() => LockoutConfig) lockout!: LockoutConfig;
  @IsObject() @ValidateNested() @Type(() => TotpConfig) totp!: TotpConfig;
  @IsObject() @ValidateNested() @Type(() => RateLimitConfig) rateLimit!: RateLimitConfig;
}

export class HealthConfig {
  /**
   * GET /health/ready (and /health) answers from a report this young instead of probing every
   * dependency again (a load balancer and compose poll it; 0 = probe on every call).
   */
  @IsInt() @Min(0) @Max(10000) readyCacheMs!: number;
}

export class UsersConfig {
  /** When the sweep that disables expired temporary accounts runs (cron, 5 or 6 fields, in worker.timeZone). */
  @Matches(/^\S+(\s+\S+){4,5}$/, { message: 'users.disableExpiredCron 必须是 5 或 6 段的 cron 表达式' })
  disableExpiredCron!: string;
}

/** Needs (需求/点单): the daily job that expires open needs past their validity. */
export class NeedsConfig {
  @Matches(/^\S+(\s+\S+){4,5}$/, { message: 'needs.expireOpenCron 必须是 5 或 6 段的 cron 表达式' })
  expireOpenCron!: string;
}

/** Offers (供给): the daily job that closes offers past their validity. */
export class OffersConfig {
  @Matches(/^\S+(\s+\S+){4,5}$/, { message: 'offers.expireCron 必须是 5 或 6 段的 cron 表达式' })
  expireCron!: string;
}

/** Archives (建档立卡): category thresholds, the identification workflow's periods and its daily jobs. */
export class ArchivesConfig {
  /** `marginal` (低保边缘户) requires per-capita income ≤ 低保 line × this. */
  @IsDecimal(2) @Min(1) @Max(3) marginalMultiple!: number;
  /**
   * Income item kinds that are not household income for the category check: social-assistance payments,
   * special-care pensions, awards and scholarships (2021 national measures for 低保 household checks).
   */
  @IsArray()
  @IsIn(INCOME_KINDS, {
    each: true,
    message: `archives.excludedIncomeKinds 每项须为 ${INCOME_KINDS.join('、')} 之一`,
  })
  excludedIncomeKinds!: IncomeKind[];
  /** Length of the public notice (公示) in working days; weekends and publicHolidays are skipped. */
  @IsInt() @Min(1) @Max(30) publicNoticeWorkingDays!: number;
  /**
   * Extra local days off (YYYY-MM-DD, China time) on top of the official calendar in config/holidays.yml
   * (e.g. a provincial holiday); normally empty.
   */
  @IsArray() @Matches(/^\d{4}-\d{2}-\d{2}$/, { each: true }) publicHolidays!: string[];
  /** Extra weekend working days on top of config/holidays.yml; normally empty. */
  @IsArray() @Matches(/^\d{4}-\d{2}-\d{2}$/, { each: true }) makeUpWorkdays!: string[];
  /** Temporary archives (临时救助) are cancelled this long after activation (or creation) unless converted. */
  @IsInt() @Min(1) @Max(10) temporaryArchiveMaxAgeYears!: number;
  /** Active archives not verified for this long get the `stale_verification` flag. */
  @IsInt() @Min(1) @Max(60) staleVerificationMonths!: number;
  /**
   * An approver may enter a 低保 line with an effective date up to this many days in the past (standards
   * are often announced after the date they take effect), with a written reason.
   */
  @IsInt() @Min(0) @Max(366) dibaoBackdateMaxDays!: number;
  /** A draft not changed for this many days is cancelled (`draft_expired`) by the daily job. */
  @IsInt() @Min(7) @Max(730) draftExpiryDays!: number;
  /** After an exit (脱困), the household is watched this long for relapse (返困). */
  @IsInt() @Min(1) @Max(60) relapseWatchMonths!: number;
  /** Objections (异议) are public: counted per client IP. */
  @IsObject() @ValidateNested() @Type(() => RateLimitRule) objectionRateLimit!: RateLimitRule;
  /** Daily jobs (cron, 5 or 6 fields, in worker.timeZone). */
  @Matches(/^\S+(\s+\S+){4,5}$/) activatePublicizedCron!: string;
  @Matches(/^\S+(\s+\S+){4,5}$/) cancelExpiredTemporaryCron!: string;
  @Matches(/^\S+(\s+\S+){4,5}$/) flagStaleCron!: string;
  @Matches(/^\S+(\s+\S+){4,5}$/) endRelapseWatchCron!: string;
  @Matches(/^\S+(\s+\S+){4,5}$/) expireDraftsCron!: string;
}

/** Evidence files and other uploads (src/infra/storage). */
export class StorageConfig {
  /** Root folder of the local-disk adapter; created with owner-only permissions if missing. */
  @IsString() localDir!: string;
  /** Largest accepted uploaded file, in bytes (multipart limit and storage check). */
  @IsInt() @Min(1024) @Max(104857600) maxFileBytes!: number;
}

/** One year of the State Council's holiday notice (config/holidays.yml). */
export class CalendarYearConfig {
  @IsInt() @Min(2000) @Max(2100) year!: number;
  /** The notice the days come from (title, number, date). */
  @IsString() @MinLength(10) source!: string;
  /** Days off (YYYY-MM-DD, China time), weekends inside a holiday included. */
  @IsArray() @Matches(/^\d{4}-\d{2}-\d{2}$/, { each: true }) holidays!: string[];
  /** Saturdays and Sundays that are working days (调休上班). */
  @IsArray() @Matches(/^\d{4}-\d{2}-\d{2}$/, { each: true }) makeUpWorkdays!: string[];
}

/** The official working-day calendar, loaded from config/holidays.yml (see calendar-config.check.ts). */
export class CalendarConfig {
  @IsArray() @ValidateNested({ each: true }) @Type(() => CalendarYearConfig) years!: CalendarYearConfig[];
}

/** One item of the service menu as shipped in config/menu.yml (see the file's header). */
export class MenuItemConfig {
  @Matches(MENU_ITEM_CODE_PATTERN) code!: string;
  @IsIn(MENU_CATEGORIES) category!: MenuCategory;
  @IsString() @MinLength(2) @MaxLength(MENU_LIMITS.nameMax) name!: string;
  @IsString() @MaxLength(MENU_LIMITS.descriptionMax) description!: string;
  @IsIn(MENU_UNITS) unit!: MenuUnit;
  /** Count per need (slots, goods), or fen for `yuan`. */
  @IsInt() @Min(1) maxPerNeed!: number;
  @IsBoolean() requiresActiveArchive!: boolean;
  @IsBoolean() acceptsTemporaryArchive!: boolean;
  @IsIn(MENU_BENEFICIARIES) beneficiary!: MenuBeneficiary;
  @IsOptional() @IsArray() @IsIn(MENU_SCHOOLING_STAGES, { each: true }) stages: SchoolingStage[] = [];
  @IsInt() @Min(1) @Max(MENU_LIMITS.slaDaysMax) slaDays!: number;
  @IsInt() @Min(1) @Max(MENU_LIMITS.validityDaysMax) validityDays!: number;
  @IsArray()
  @ArrayMaxSize(MENU_LIMITS.documentsMax)
  @IsString({ each: true })
  @MaxLength(MENU_LIMITS.documentMax, { each: true })
  documents!: string[];
  @IsArray()
  @ArrayMaxSize(MENU_LIMITS.tagsMax)
  @IsString({ each: true })
  @MaxLength(MENU_LIMITS.tagMax, { each: true })
  tags!: string[];
  @IsOptional() @IsBoolean() active: boolean = true;
  @IsInt() @Min(0) @Max(100_000) sortOrder!: number;
}

/** The service menu shipped in config/menu.yml, written to the menu_items table at start. */
export class MenuConfig {
  @IsArray() @ValidateNested({ each: true }) @Type(() => MenuItemConfig) items!: MenuItemConfig[];
}

export class AppConfig {
  @IsIn(NODE_ENVS) env!: NodeEnv;
  @IsObject() @ValidateNested() @Type(() => HttpConfig) http!: HttpConfig;
  @IsObject() @ValidateNested() @Type(() => DatabaseConfig) database!: DatabaseConfig;
  @IsObject() @ValidateNested() @Type(() => RedisConfig) redis!: RedisConfig;
  @IsObject() @ValidateNested() @Type(() => SearchConfig) search!: SearchConfig;
  @IsObject() @ValidateNested() @Type(() => OutboxConfig) outbox!: OutboxConfig;
  @IsObject() @ValidateNested() @Type(() => AuditConfig) audit!: AuditConfig;
  @IsObject() @ValidateNested() @Type(() => WorkerConfig) worker!: WorkerConfig;
  @IsObject() @ValidateNested() @Type(() => LogConfig) log!: LogConfig;
  @IsObject() @ValidateNested() @Type(() => CryptoConfig) crypto!: CryptoConfig;
  @IsObject() @ValidateNested() @Type(() => AuthConfig) auth!: AuthConfig;
  @IsObject() @ValidateNested() @Type(() => UsersConfig) users!: UsersConfig;
  @IsObject() @ValidateNested() @Type(() => HealthConfig) health!: HealthConfig;
  @IsObject() @ValidateNested() @Type(() => StorageConfig) storage!: StorageConfig;
  @IsObject() @ValidateNested() @Type(() => ArchivesConfig) archives!: ArchivesConfig;
  @IsObject() @ValidateNested() @Type(() => CalendarConfig) calendar!: CalendarConfig;
  @IsObject() @ValidateNested() @Type(() => MenuConfig) menu!: MenuConfig;
  @IsObject() @ValidateNested() @Type(() => NeedsConfig) needs!: NeedsConfig;
  @IsObject() @ValidateNested() @Type(() => MatchingConfig) matching!: MatchingConfig;
  @IsObject() @ValidateNested() @Type(() => OffersConfig) offers!: OffersConfig;
  @IsObject() @ValidateNested() @Type(() => AidLedgerConfig) aidLedger!: AidLedgerConfig;
  @IsObject() @ValidateNested() @Type(() => NotificationsConfig) notifications!: NotificationsConfig;
}
