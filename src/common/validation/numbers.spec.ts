import { IsNumber, validateSync } from 'class-validator';
import { hasAtMostDecimals, IsDecimal } from './numbers';

class AreaDto {
  @IsDecimal(2, { message: '住房面积须为最多两位小数的数字' }) area!: unknown;
}

function problems(area: unknown): string[] {
  const dto = Object.assign(new AreaDto(), { area });
  return validateSync(dto).flatMap((e) => Object.values(e.constraints ?? {}));
}

describe('IsDecimal', () => {
  it.each([
    [0, true],
    [45, true],
    [45.5, true],
    [45.55, true],
    [9999.99, true],
    [-3.1, true],
    [1e21, true],
    [45.555, false],
    [0.001, false],
    [1e-7, false],
    [1.5e-7, false],
    [5e-324, false],
    [Number.NaN, false],
    [Number.POSITIVE_INFINITY, false],
    ['45.5', false],
    [null, false],
  ])('%p → %p', (value, ok) => {
    expect(hasAtMostDecimals(value, 2)).toBe(ok);
    expect(problems(value)).toEqual(ok ? [] : ['住房面积须为最多两位小数的数字']);
  });

  it("class-validator's own maxDecimalPlaces throws on 1e-7 (why this decorator exists)", () => {
    class Plain {
      @IsNumber({ maxDecimalPlaces: 2 }) area!: number;
    }
    expect(() => validateSync(Object.assign(new Plain(), { area: 1e-7 }))).toThrow(TypeError);
  });
});
