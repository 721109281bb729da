import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `npm run allocate` end to end: the CLI in a child process, as package.json runs it. */
describe('allocate CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'allocate-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (input: string, ...args: string[]) => {
    const file = join(dir, `input-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, input);
    return spawnSync(
      process.execPath,
      ['-r', '@swc-node/register', join(__dirname, 'allocate.cli.ts'), '--input', file, ...args],
      { encoding: 'utf8', cwd: join(__dirname, '../../../..') },
    );
  };
  const instance = JSON.stringify({
    needs: [
      {
        id: 'n1',
        edges: [
          { offer: 'o1', score: 10 },
          { offer: 'o2', score: 9 },
        ],
      },
      { id: 'n2', edges: [{ offer: 'o1', score: 8 }] },
      { id: 'n3', edges: [] },
    ],
    offers: [
      { id: 'o1', capacity: 1 },
      { id: 'o2', capacity: 1 },
    ],
  });

  it('prints the optimal plan, and the greedy one on request', () => {
    const optimal = run(instance);
    expect(optimal.status).toBe(0);
    const plan = JSON.parse(optimal.stdout) as Record<string, unknown>;
    expect(plan).toMatchObject({ strategy: 'optimal', total: 17, bound: 17, assigned: 2 });
    expect(plan.assignments).toEqual([
      { need: 'n1', offer: 'o2' },
      { need: 'n2', offer: 'o1' },
    ]);
    expect(typeof plan.seconds).toBe('number');
    const greedy = run(instance, '--strategy', 'greedy');
    expect(greedy.status).toBe(0);
    expect(JSON.parse(greedy.stdout)).toMatchObject({ strategy: 'greedy', total: 10, assigned: 1 });
  }, 60_000);

  it('refuses invalid input with the first problem and a non-zero exit', () => {
    const bad = run(instance.replace('"capacity":1', '"capacity":-2'));
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/输入无效: offers\[0\] \("o1"\)\.capacity 必须是非负整数, 得到 -2/);
    const malformed = run('{"needs": [');
    expect(malformed.status).toBe(1);
    expect(malformed.stderr).toMatch(/JSON 格式错误/);
    const usage = run(instance, '--strategy', 'fastest');
    expect(usage.status).toBe(2);
  }, 60_000);
});
