import { registerDecorator, ValidationOptions } from 'class-validator';
import { chinaToday, isRealDate } from '../calendar/china-calendar';

/**
 * Sanity bounds of every date the API accepts, in one place (the README table "Date bounds" lists them).
 * A date outside its bound is a typing error or a probe (a consent "signed" in 1800, a 低保 line
 * "in force" from 3000), never a fact: the request is refused with 400 VALIDATION_FAILED and a Chinese
 * message naming the bound. Business rules may narrow a bound further (a consent not before its
 * subject's birth, a 低保 line not backdated without an approver), never widen it.
 *
 * Calendar dates (`YYYY-MM-DD`) are compared with today's date in China; instants (ISO 8601 with an
 * offset) with the current instant. Decorators read the system clock: DTO validation happens before any
 * service, and the tolerances are wide enough that a test clock a few days off does not matter.
 */

/** 《个人信息保护法》施行日: no consent under PIPL can predate it. */
export const PIPL_EFFECTIVE_DATE = '2021-11-01';
/** The instant PIPL took effect (midnight, China time). */
export const PIPL_EFFECTIVE_AT = new Date('2021-11-01T00:00:00+08:00');

/** How far a stated instant may lie ahead of the server's clock (clock skew between devices). */
export const INSTANT_FUTURE_TOLERANCE_MS = 5 * 60_000;

export type DateBoundKind =
  'birth' | 'event' | 'consent' | 'effective' | 'queryDate' | 'queryInstant' | 'accountExpiry';

export interface DateBound {
  /** `date`: `YYYY-MM-DD`; `instant`: ISO 8601 with offset (a bare date counts as China midnight). */
  type: 'date' | 'instant';
  /** Earliest accepted calendar date (China time), inclusive. */
  earliest: string;
  /** Latest accepted: days after today (China) for dates; milliseconds after now for instants. */
  latestDaysAhead?: number;
  latestMsAhead?: number;
  /** What the bound means, in Chinese: the message says "<field>须在 … 之间". */
  earliestLabel: string;
  latestLabel: string;
  /** The fields that use the bound (for the README table and reviewers). */
  usedBy: string;
}

const YEAR_DAYS = 366;

export const DATE_BOUNDS: Readonly<Record<DateBoundKind, DateBound>> = {
  birth: {
    type: 'date',
    earliest: '1900-01-01',
    latestDaysAhead: 0,
    earliestLabel: '1900-01-01',
    latestLabel: '今天',
    usedBy: '户主、家庭成员的出生日期',
  },
  event: {
    type: 'date',
    earliest: '2000-01-01',
    latestDaysAhead: 1,
    earliestLabel: '2000-01-01',
    latestLabel: '明天（时差容忍）',
    usedBy: '意外致困发生日期、入户核实日期、在档复核日期',
  },
  consent: {
    type: 'instant',
    earliest: PIPL_EFFECTIVE_DATE,
    latestMsAhead: INSTANT_FUTURE_TOLERANCE_MS,
    earliestLabel: '2021-11-01（个人信息保护法施行）',
    latestLabel: '当前时间',
    usedBy: '同意签署时间（另须不早于同意主体的出生日期）',
  },
  effective: {
    type: 'date',
    earliest: '2000-01-01',
    latestDaysAhead: YEAR_DAYS,
    earliestLabel: '2000-01-01',
    latestLabel: '一年后',
    usedBy: '低保标准起始执行日期、低保标准查询日期',
  },
  queryDate: {
    type: 'date',
    earliest: '2000-01-01',
    latestDaysAhead: YEAR_DAYS,
    earliestLabel: '2000-01-01',
    latestLabel: '一年后',
    usedBy: '列表筛选日期',
  },
  queryInstant: {
    type: 'instant',
    earliest: '2000-01-01',
    latestMsAhead: YEAR_DAYS * 86_400_000,
    earliestLabel: '2000-01-01',
    latestLabel: '一年后',
    usedBy: '审计日志 from / to',
  },
  accountExpiry: {
    type: 'instant',
    earliest: '2000-01-01',
    latestMsAhead: 5 * 365 * 86_400_000,
    earliestLabel: '2000-01-01',
    latestLabel: '五年后',
    usedBy: '临时账号到期时间（另须晚于当前时间）',
  },
};

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The latest calendar date `kind` accepts at `now` (China time). */
export function latestDate(kind: DateBoundKind, now: Date): string {
  const bound = DATE_BOUNDS[kind];
  return addDays(chinaToday(now), bound.latestDaysAhead ?? 0);
}

/** The latest instant `kind` accepts at `now`. */
export function latestInstant(kind: DateBoundKind, now: Date): Date {
  return new Date(now.getTime() + (DATE_BOUNDS[kind].latestMsAhead ?? 0));
}

/** The instant a string stands for: a bare `YYYY-MM-DD` is midnight in China. NaN time when unparsable. */
function instantOf(value: string): Date {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00+08:00`) : new Date(value);
}

/**
 * Whether `value` lies within the bound of `kind` at `now`. Values of the wrong shape pass: the format
 * validators beside this one (`@IsISO8601`, `@Matches`) report those, with their own message.
 */
export function isWithinDateBound(value: unknown, kind: DateBoundKind, now: Date): boolean {
  if (typeof value !== 'string') return true;
  const bound = DATE_BOUNDS[kind];
  if (bound.type === 'date') {
    if (!isRealDate(value)) return true;
    return value >= bound.earliest && value <= latestDate(kind, now);
  }
  const at = instantOf(value);
  if (Number.isNaN(at.getTime())) return true;
  return at.getTime() >= instantOf(bound.earliest).getTime() && at <= latestInstant(kind, now);
}

/** The Chinese message for a value outside `kind`'s bound. */
export function dateBoundMessage(kind: DateBoundKind, label: string): string {
  const bound = DATE_BOUNDS[kind];
  return `${label}须在 ${bound.earliestLabel} 至 ${bound.latestLabel} 之间`;
}

/**
 * class-validator: the value lies within `DATE_BOUNDS[kind]`. Put it beside the format check
 * (`@IsISO8601({ strict: true })`); `label` names the field in the message (`出生日期`).
 */
export function WithinDateBound(
  kind: DateBoundKind,
  label: string,
  validationOptions?: ValidationOptions,
): PropertyDecorator {
  return (object: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'withinDateBound',
      target: object.constructor,
      propertyName: propertyName as string,
      constraints: [kind],
      options: { message: dateBoundMessage(kind, label), ...validationOptions },
      validator: { validate: (value: unknown) => isWithinDateBound(value, kind, new Date()) },
    });
  };
}
