import { IsIn, IsString } from 'class-validator';
import { DomainError } from '../errors';
import { createValidationPipe, toValidDto, validateAs } from './validation.pipe';

class KindDto {
  @IsString() @IsIn(['a', 'b']) kind!: string;
}

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('validation outside the HTTP pipe', () => {
  it('validateAs applies the pipe rules: unknown fields are refused', () => {
    expect(validateAs(KindDto, { kind: 'a' }).errors).toEqual([]);
    expect(validateAs(KindDto, { kind: 'a', extra: 1 }).errors.map((e) => e.property)).toEqual(['extra']);
  });

  it('toValidDto answers exactly as the pipe does (same code and field list)', async () => {
    const direct = errorOf(() => toValidDto(KindDto, { kind: 'c', extra: 1 }));
    const viaPipe = await createValidationPipe()
      .transform({ kind: 'c', extra: 1 }, { type: 'body', metatype: KindDto })
      .catch((e: unknown) => e as DomainError);
    expect(direct.code).toBe('VALIDATION_FAILED');
    expect(direct.details).toEqual((viaPipe as DomainError).details);
  });

  it('toValidDto refuses a NUL character like the pipe', () => {
    const error = errorOf(() => toValidDto(KindDto, { kind: 'a\u0000' }));
    expect(error.details).toEqual({ fields: [{ field: 'kind', problems: ['不得包含空字符 (U+0000)'] }] });
  });
});
