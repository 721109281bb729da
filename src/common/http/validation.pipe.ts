import { ValidationError, ValidationPipe } from '@nestjs/common';
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

/** Whitelist, forbid unknown fields and values, transform to DTO classes; failures → 400 with the field list. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
