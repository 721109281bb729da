import { Transform } from 'class-transformer';
import {
  registerDecorator,
  ValidationArguments,
  ValidateIf,
  ValidationOptions,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { IdNumberInvalidReason, normalizeIdNumber, parseIdNumber } from './id-number';
import { isMobile, normalizeMobile } from './mobile';

/**
 * class-validator decorators for personal identifiers. Messages are Chinese, say which check failed and
 * never contain the value (no `$value` placeholder) — the value is personal data.
 *
 * Both validators accept un-normalised input (lowercase x, full-width digits, spaces, `+86`). Put the
 * matching `Normalize…()` transform on the same property so the DTO carries the canonical form that is
 * stored and blind-indexed (the global ValidationPipe runs with `transform: true`):
 *
 *   @NormalizeIdNumber() @IsIdNumber() idNumber!: string;
 *   @NormalizeMobile() @IsMobile() phone!: string;
 */

export const ID_NUMBER_MESSAGES: Record<IdNumberInvalidReason, string> = {
  format: '身份证号码校验失败（格式错误，应为18位数字，末位可为X）',
  region: '身份证号码校验失败（地区码无效）',
  birth_date: '身份证号码校验失败（出生日期无效）',
  checksum: '身份证号码校验失败（校验位错误）',
};

export const MOBILE_MESSAGE = '手机号码校验失败（应为11位中国大陆手机号码）';

/** With `each: true` class-validator passes the whole collection to defaultMessage: find the culprit. */
function itemsOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value instanceof Set) return [...value];
  if (value instanceof Map) return [...value.values()];
  return [value];
}

@ValidatorConstraint({ name: 'isIdNumber', async: false })
export class IsIdNumberConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return parseIdNumber(value).ok;
  }

  defaultMessage(args: ValidationArguments): string {
    for (const item of itemsOf(args.value)) {
      const result = parseIdNumber(item);
      if (!result.ok) return ID_NUMBER_MESSAGES[result.reason];
    }
    return ID_NUMBER_MESSAGES.format;
  }
}

@ValidatorConstraint({ name: 'isMobile', async: false })
export class IsMobileConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return isMobile(value);
  }

  defaultMessage(): string {
    return MOBILE_MESSAGE;
  }
}

/** An 18-character GB 11643-1999 citizen identity number (format, province, birth date, check character). */
export function IsIdNumber(validationOptions?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isIdNumber',
      target: object.constructor,
      propertyName: propertyName as string,
      options: validationOptions,
      validator: IsIdNumberConstraint,
    });
  };
}

/** A mainland mobile number `1[3-9]` + 9 digits, optionally with +86 and spaces/dashes. */
export function IsMobile(validationOptions?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isMobile',
      target: object.constructor,
      propertyName: propertyName as string,
      options: validationOptions,
      validator: IsMobileConstraint,
    });
  };
}

/** class-transformer: strings become `normalizeIdNumber(value)`; anything else is left for the validator. */
export function NormalizeIdNumber(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? normalizeIdNumber(value) : value,
  );
}

/** class-transformer: strings become `normalizeMobile(value)`; anything else is left for the validator. */
export function NormalizeMobile(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? normalizeMobile(value) : value,
  );
}

const trimString = (value: unknown): unknown => (typeof value === 'string' ? value.trim() : value);

/** class-transformer: a string is trimmed; anything else is left for the validator. */
export function Trim(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => trimString(value));
}

/** class-transformer: each string of an array is trimmed; anything else is left for the validator. */
export function TrimEach(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? value.map(trimString) : value));
}

/** class-validator options for an `@IsIn`: "<label>须为以下之一：a、b、c". */
export const oneOf = (label: string, values: readonly string[]): { message: string } => ({
  message: `${label}须为以下之一：${values.join('、')}`,
});

/** class-transformer for a repeatable query parameter: `?state=a,b` or `?state=a&state=b` → `['a', 'b']`. */
export function QueryList(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean)
      : value,
  );
}

/** class-transformer: a string is trimmed and lower-cased (login names); anything else is left for the validator. */
export function TrimLowerCase(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  );
}

/**
 * For a field that may be left out but, when sent, must hold a value: `@IsOptional()` would also let
 * `null` through, and null on a NOT NULL column is a database error (500) instead of a 400 naming it.
 */
export function OmittableNotNull(): PropertyDecorator {
  return ValidateIf((_: object, value: unknown) => value !== undefined);
}
