import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ApiInt } from '../openapi/api-field';

export const MAX_PAGE_SIZE = 100;
/**
 * The last page anyone may ask for: with MAX_PAGE_SIZE the SQL offset stays below 10⁷ (an int4, and a
 * scan PostgreSQL finishes), where `page=1e22` used to overflow bigint and `page≈8e307` made it Infinity.
 */
export const MAX_PAGE = 100_000;

/**
 * An integer query parameter: only plain decimal digits (at most 9, so never past 2³¹) become a number.
 * Anything else — `1e22`, `0x10`, `1.5`, ` 2`, `Infinity` — stays a string and fails `@IsInt()` with 400.
 * Put it on every integer query parameter, with `@IsInt() @Min() @Max()`.
 */
export const QueryInt = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : value,
  );

/** `?page=&pageSize=` on every list endpoint; extend it with the list's own filters. */
export class PaginationQueryDto {
  @ApiInt({ optional: true, minimum: 1, maximum: MAX_PAGE, default: 1 })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page: number = 1;

  @ApiInt({ optional: true, minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  pageSize: number = 20;
}

/** The list envelope: `{ items, total, page, pageSize }`. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export function pageOf<T>(items: T[], total: number, query: PaginationQueryDto): Page<T> {
  return { items, total, page: query.page, pageSize: query.pageSize };
}

/** SQL offset/limit for a page. */
export function pageWindow(query: PaginationQueryDto): { skip: number; take: number } {
  return { skip: (query.page - 1) * query.pageSize, take: query.pageSize };
}
