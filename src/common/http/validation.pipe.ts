import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidatorOptions } from 'class-validator';
import { CommonErrorCode, DomainError } from '../errors';

export interface FieldProblem {
  /** Dotted path of the offending field, e.g. `members.0.idNumber`. */
  field: string;
  problems: string[];
}

/** Iterative (an explicit stack): the error tree follows the input, and input is untrusted. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  const stack = [...errors].reverse().map((error) => ({ error, parent }));
  while (stack.length > 0) {
    const { error, parent: at } = stack.pop()!;
    const field = at ? `${at}.${error.property}` : error.property;
    if (error.constraints) out.push({ field, problems: Object.values(error.constraints) });
    const children = error.children ?? [];
    for (let i = children.length - 1; i >= 0; i--) stack.push({ error: children[i], parent: field });
  }
  return out;
}

/**
 * Dotted paths of every string under `value` that contains a NUL character. Iterative (an explicit
 * stack), never recursive: the value is untrusted input and may nest as deep as the body limit allows.
 */
export function nulBytePaths(value: unknown, path = ''): string[] {
  const out: string[] = [];
  const stack: { node: unknown; path: string }[] = [{ node: value, path }];
  while (stack.length > 0) {
    const { node, path: at } = stack.pop()!;
    if (typeof node === 'string') {
      if (node.includes('\u0000')) out.push(at || '(value)');
    } else if (typeof node === 'object' && node !== null) {
      const entries = Array.isArray(node)
        ? node.map((item, i) => [String(i), item] as const)
        : Object.entries(node);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, item] = entries[i];
        stack.push({ node: item, path: at ? `${at}.${key}` : key });
      }
    }
  }
  return out;
}

/** class-validator options of every input: whitelist, forbid unknown fields and values, echo no values. */
const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};

function nulByteError(paths: string[]): DomainError {
  return new DomainError(CommonErrorCode.VALIDATION_FAILED, {
    fields: paths.map((field) => ({ field, problems: ['不得包含空字符 (U+0000)'] })),
  });
}

function validationFailed(errors: ValidationError[]): DomainError {
  return new DomainError(CommonErrorCode.VALIDATION_FAILED, { fields: flattenValidationErrors(errors) });
}

/** What the global pipe does to one input, synchronously: the DTO instance and what is wrong with it. */
export function validateAs<T extends object>(
  cls: new () => T,
  plain: unknown,
): { value: T; errors: ValidationError[] } {
  const value = plainToInstance(cls, plain, { enableImplicitConversion: false });
  return { value, errors: validateSync(value, VALIDATOR_OPTIONS) };
}

/**
 * For input that does not come through a route parameter (multipart fields): the pipe's checks and its
 * 400 answer, or the DTO.
 */
export function toValidDto<T extends object>(cls: new () => T, plain: unknown): T {
  const nul = nulBytePaths(plain);
  if (nul.length > 0) throw nulByteError(nul);
  const { value, errors } = validateAs(cls, plain);
  if (errors.length > 0) throw validationFailed(errors);
  return value;
}

/**
 * The global pipe. Before class-validator runs, any string holding U+0000 is refused: PostgreSQL cannot
 * store it, and left alone it surfaces as a 500 from the driver.
 */
class BangfuValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const paths = nulBytePaths(value, metadata.type === 'param' ? (metadata.data ?? '') : '');
    if (paths.length > 0) throw nulByteError(paths);
    return super.transform(value, metadata);
  }
}

/** Whitelist, forbid unknown fields and values, transform to DTO classes; failures → 400 with the field list. */
export function createValidationPipe(): ValidationPipe {
  return new BangfuValidationPipe({
    ...VALIDATOR_OPTIONS,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: validationFailed,
  });
}
