import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { CommonErrorCode, DomainError } from '../errors';

export interface FieldProblem {
  /** Dotted path of the offending field, e.g. `members.0.idNumber`. */
  field: string;
  problems: string[];
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** Dotted paths of every string under `value` that contains a NUL character. */
export function nulBytePaths(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [path || '(value)'] : [];
  if (Array.isArray(value))
    return value.flatMap((item, i) => nulBytePaths(item, path ? `${path}.${i}` : String(i)));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => nulBytePaths(item, path ? `${path}.${key}` : key));
  }
  return [];
}

/**
 * The global pipe. Before class-validator runs, any string holding U+0000 is refused: PostgreSQL cannot
 * store it, and left alone it surfaces as a 500 from the driver.
 */
class BangfuValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const paths = nulBytePaths(value, metadata.type === 'param' ? (metadata.data ?? '') : '');
    if (paths.length > 0) {
      throw new DomainError(CommonErrorCode.VALIDATION_FAILED, {
        fields: paths.map((field) => ({ field, problems: ['不得包含空字符 (U+0000)'] })),
      });
    }
    return super.transform(value, metadata);
  }
}

/** Whitelist, forbid unknown fields and values, transform to DTO classes; failures → 400 with the field list. */
export function createValidationPipe(): ValidationPipe {
  return new BangfuValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      new DomainError(CommonErrorCode.VALIDATION_FAILED, { fields: flattenValidationErrors(errors) }),
  });
}
