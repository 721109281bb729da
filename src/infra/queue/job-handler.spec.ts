import { FoundJobHandler, JobHandlerRegistrationError, resolveJobHandlers } from './job-handler';

const handler = (name: string, owner: string): FoundJobHandler => ({
  name,
  owner,
  invoke: async () => undefined,
});
const catalog = { 'a.one': 'q1', 'a.two': 'q1', 'b.one': 'q2' };

describe('resolveJobHandlers', () => {
  it('maps each catalogued job to its one handler', () => {
    const found = [handler('a.one', 'A.one'), handler('a.two', 'A.two'), handler('b.one', 'B.one')];
    const resolved = resolveJobHandlers(catalog, found);
    expect([...resolved.keys()].sort()).toEqual(['a.one', 'a.two', 'b.one']);
    expect(resolved.get('b.one')?.owner).toBe('B.one');
  });

  it('lists every job without a handler', () => {
    expect(() => resolveJobHandlers(catalog, [handler('a.one', 'A.one')])).toThrow(
      new JobHandlerRegistrationError([
        '任务 a.two 没有处理器 (no handler)',
        '任务 b.one 没有处理器 (no handler)',
      ]),
    );
  });

  it('names both owners of a doubled handler', () => {
    const found = [
      handler('a.one', 'A.one'),
      handler('a.one', 'Other.run'),
      handler('a.two', 'A.two'),
      handler('b.one', 'B.one'),
    ];
    expect(() => resolveJobHandlers(catalog, found)).toThrow(
      /任务 a\.one 有多个处理器 \(duplicate handlers\): A\.one, Other\.run/,
    );
  });

  it('refuses a handler for a job that is not declared', () => {
    const found = [
      handler('a.one', 'A.one'),
      handler('a.two', 'A.two'),
      handler('b.one', 'B.one'),
      handler('c.typo', 'C.x'),
    ];
    expect(() => resolveJobHandlers(catalog, found)).toThrow(/处理器 C\.x 对应的任务 c\.typo 未登记/);
  });
});
