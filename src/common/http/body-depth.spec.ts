import { exceedsDepth } from './body-depth';

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? { a: value } : [value];
  return value;
}

describe('exceedsDepth', () => {
  it.each([
    ['a scalar', 'x', 0],
    ['null', null, 0],
    ['an empty object', {}, 1],
    ['an empty array', [], 1],
    ['an object holding an array', { a: [1] }, 2],
    ['a wide but shallow object', { a: 1, b: { c: 2 }, d: [3, 4] }, 2],
    ['32 levels', nested(32), 32],
  ])('%s nests %p levels', (_case, value, depth) => {
    expect(exceedsDepth(value, depth)).toBe(false);
    if (depth > 0) expect(exceedsDepth(value, depth - 1)).toBe(true);
  });

  it('walks 1,000,000 levels without touching the call stack', () => {
    const deep = nested(1_000_000);
    expect(exceedsDepth(deep, 32)).toBe(true);
    expect(exceedsDepth(deep, 2_000_000)).toBe(false);
  });

  it('finds the deep branch among shallow siblings', () => {
    expect(exceedsDepth({ a: 1, b: [2, 3], c: { d: nested(40) } }, 32)).toBe(true);
  });
});
