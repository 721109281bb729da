import { IsIn, IsString } from 'class-validator';
import { DomainError } from '../errors';
import {
  createValidationPipe,
  flattenValidationErrors,
  nulBytePaths,
  toValidDto,
  validateAs,
} from './validation.pipe';

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

describe('walks over untrusted input are iterative', () => {
  function nested(depth: number, leaf: unknown): unknown {
    let value = leaf;
    for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { a: value } : [value];
    return value;
  }

  it('nulBytePaths finds a NUL 200,000 levels down without a stack overflow', () => {
    const paths = nulBytePaths(nested(200_000, 'x\u0000'));
    expect(paths).toHaveLength(1);
    expect(paths[0].startsWith('0.a.0.a.')).toBe(true);
    expect(paths[0].split('.')).toHaveLength(200_000);
  });

  it('nulBytePaths keeps the order of the input', () => {
    expect(nulBytePaths({ b: '\u0000', a: ['ok', '\u0000'], c: { d: '\u0000' } })).toEqual([
      'b',
      'a.1',
      'c.d',
    ]);
  });

  it('flattenValidationErrors lists nested problems in order, parents first', () => {
    const leaf = (property: string) => ({ property, constraints: { x: `${property} bad` }, children: [] });
    const errors = [
      { property: 'a', constraints: { x: 'a bad' }, children: [leaf('b'), leaf('c')] },
      leaf('d'),
    ];
    expect(flattenValidationErrors(errors)).toEqual([
      { field: 'a', problems: ['a bad'] },
      { field: 'a.b', problems: ['b bad'] },
      { field: 'a.c', problems: ['c bad'] },
      { field: 'd', problems: ['d bad'] },
    ]);
  });
});
