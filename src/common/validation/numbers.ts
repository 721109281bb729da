import { registerDecorator, ValidationOptions } from 'class-validator';

/**
 * Whether `value` is a finite number with at most `maxDecimalPlaces` decimals. Compared through
 * `toFixed`, so exponent notation is handled: `1e-7` has more than 2 decimals (class-validator's own
 * `maxDecimalPlaces` check splits `String(value)` on "." and throws on `"1e-7"`, a 500 for the client).
 */
export function hasAtMostDecimals(value: unknown, maxDecimalPlaces: number): value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  // Beyond 1e21 toFixed returns exponent notation; such a number has no fraction digits anyway.
  if (Math.abs(value) >= 1e21) return true;
  return Number(value.toFixed(maxDecimalPlaces)) === value;
}

/**
 * A finite number with at most `maxDecimalPlaces` decimals (areas, multiples). Use it instead of
 * `@IsNumber({ maxDecimalPlaces })` on every field with a decimal limit. Money is never a decimal: it is
 * integer fen (`@IsInt()`).
 */
export function IsDecimal(
  maxDecimalPlaces: number,
  validationOptions?: ValidationOptions,
): PropertyDecorator {
  return (object: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isDecimal',
      target: object.constructor,
      propertyName: propertyName as string,
      constraints: [maxDecimalPlaces],
      options: {
        message: `须为最多 ${maxDecimalPlaces} 位小数的数字`,
        ...validationOptions,
      },
      validator: { validate: (value: unknown) => hasAtMostDecimals(value, maxDecimalPlaces) },
    });
  };
}
