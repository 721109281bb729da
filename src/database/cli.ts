/**
 * Migration commands, on the configured server (as database.migrationUrl's login when set) or the
 * embedded one:
 *   npm run migration:generate -- <Name>   diff the entities against a scratch database built from
 *                                          the migrations, write src/database/migrations/<ts>-<Name>.ts
 *   npm run migration:check                the same diff; exits 1 if it is not empty (schema drift)
 *   npm run migration:run | migration:revert
 */
import 'reflect-metadata';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config';
import { DatabaseServer } from './database-server';
import { dataSourceOptions } from './data-source-options';
import { runMigrations } from './migrate';

const MIGRATIONS_DIR = join(__dirname, 'migrations');

async function main(command: string | undefined, arg: string | undefined): Promise<number> {
  const config = loadConfig({ overrides: { log: { level: 'silent' } } });
  const server = await DatabaseServer.start(config.database);
  try {
    switch (command) {
      case 'generate':
        if (!arg || !/^[A-Z][A-Za-z0-9]+$/.test(arg)) {
          console.error('用法: npm run migration:generate -- <PascalCaseName>');
          return 2;
        }
        return await generate(server, arg);
      case 'check':
        return await generate(server, undefined);
      case 'run':
        return await withDataSource(server.migrationUrl, async (ds) => {
          const ran = await runMigrations(ds, config.crypto);
          console.log(ran.length ? `已执行: ${ran.map((m) => m.name).join(', ')}` : '没有待执行的迁移');
          return 0;
        });
      case 'revert':
        return await withDataSource(server.migrationUrl, async (ds) => {
          await ds.undoLastMigration({ transaction: 'each' });
          console.log('已回滚最后一个迁移');
          return 0;
        });
      default:
        console.error('用法: cli.ts generate <Name> | check | run | revert');
        return 2;
    }
  } finally {
    await server.stop();
  }
}

async function withDataSource(url: string, fn: (ds: DataSource) => Promise<number>): Promise<number> {
  const ds = new DataSource(dataSourceOptions(url, 2));
  await ds.initialize();
  try {
    return await fn(ds);
  } finally {
    await ds.destroy();
  }
}

/** Diffs the entities against a scratch database migrated from scratch, so local data never skews it. */
async function generate(server: DatabaseServer, name: string | undefined): Promise<number> {
  const scratch = `bangfu_migration_scratch_${process.pid}`;
  await admin(server.migrationUrl, `CREATE DATABASE "${scratch}"`);
  try {
    const { up, down } = await withScratch(server.urlFor(scratch, server.migrationUrl));
    if (up.length === 0) {
      console.log('实体与迁移一致 (no schema changes)');
      return 0;
    }
    if (!name) {
      console.error(`实体与迁移不一致 (schema drift), 需要生成迁移:\n${up.map((q) => `  ${q};`).join('\n')}`);
      return 1;
    }
    const timestamp = Date.now();
    const className = `${name}${timestamp}`;
    const file = `${timestamp}-${name}.ts`;
    writeFileSync(join(MIGRATIONS_DIR, file), migrationSource(className, up, down));
    writeIndex();
    console.log(`已生成 src/database/migrations/${file}; 请阅读并按需修改`);
    return 0;
  } finally {
    await admin(server.migrationUrl, `DROP DATABASE IF EXISTS "${scratch}" WITH (FORCE)`);
  }
}

async function withScratch(url: string): Promise<{ up: string[]; down: string[] }> {
  let result: { up: string[]; down: string[] } = { up: [], down: [] };
  await withDataSource(url, async (ds) => {
    await runMigrations(ds);
    const sql = await ds.driver.createSchemaBuilder().log();
    result = {
      up: sql.upQueries.map((q) => render(q.query, q.parameters)),
      down: sql.downQueries.reverse().map((q) => render(q.query, q.parameters)),
    };
    return 0;
  });
  return result;
}

function render(query: string, parameters: unknown[] | undefined): string {
  const params = parameters?.length ? `, ${JSON.stringify(parameters)}` : '';
  const escaped = query.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${');
  return `${escaped}\`${params}`;
}

function migrationSource(className: string, up: string[], down: string[]): string {
  const lines = (qs: string[]) => qs.map((q) => `    await queryRunner.query(\`${q});`).join('\n');
  return `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${lines(up)}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${lines(down)}
  }
}
`;
}

/** Rewrites migrations/index.ts from the files in the folder, oldest first. */
function writeIndex(): void {
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d+-\w+\.ts$/.test(f))
    .sort((a, b) => Number(a.split('-')[0]) - Number(b.split('-')[0]));
  const entries = files.map((f) => {
    const [ts, rest] = f.replace(/\.ts$/, '').split('-');
    return { module: `./${ts}-${rest}`, cls: `${rest}${ts}` };
  });
  const source =
    `// Every migration, in order. \`npm run migration:generate -- Name\` adds new ones here.\n` +
    entries.map((e) => `import { ${e.cls} } from '${e.module}';`).join('\n') +
    `\n\nexport const MIGRATIONS = [${entries.map((e) => e.cls).join(', ')}];\n`;
  writeFileSync(join(MIGRATIONS_DIR, 'index.ts'), source);
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

main(process.argv[2], process.argv[3]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
