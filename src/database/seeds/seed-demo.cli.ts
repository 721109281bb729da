/**
 * `npm run seed:demo`: a demo union tree, one account per role (README lists them), the 低保 lines,
 * about 200 demo archives, their needs, the partners' offers and matches in every state, on the configured
 * database (embedded by default). Idempotent; refuses to run in production.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { createWorkerApp } from '../../bootstrap';
import { Clock } from '../../common/clock/clock';
import { FieldCipher } from '../../common/crypto/field-cipher';
import { ConfigError, loadConfig } from '../../config';
import { ReindexService } from '../../infra/outbox/reindex.service';
import { NEEDS_INDEX } from '../../modules/needs/needs.service';
import { OFFERS_INDEX } from '../../modules/offers/offer-mover';
import { PasswordHasher } from '../../modules/users/password/password-hasher';
import { DEMO_PASSWORD } from './demo-accounts.seed';
import { seedDemoMatches } from './demo-matches.seed';
import { seedDemo } from './seed-demo';

async function main(): Promise<number> {
  // Start-up chatter would bury the summary: warnings and errors only.
  const config = loadConfig({ overrides: { log: { level: 'warn' } } });
  if (config.env === 'production') {
    console.error('演示数据不能写入生产环境 (seed:demo refuses to run with NODE_ENV=production)');
    return 2;
  }
  const app = await createWorkerApp(config);
  try {
    const hasher = app.get(PasswordHasher);
    const { units, partners, accounts, dibaoLines, archives, needs, offers } = await seedDemo(
      app.get(DataSource),
      config,
      {
        hash: (p: string) => hasher.hash(p),
        cipher: app.get(FieldCipher),
        now: app.get(Clock).now(),
      },
    );
    console.log(`组织树: ${units} 个单位; 新增合作方: ${partners} 家`);
    console.log(`新建账号: ${accounts.length ? accounts.join(', ') : '(均已存在)'}`);
    console.log(`低保标准: 新增 ${dibaoLines} 条`);
    console.log(
      archives.created
        ? `演示档案: 新建 ${archives.created} 份 (${Object.entries(archives.byStatus)
            .map(([status, n]) => `${status} ${n}`)
            .join(', ')})`
        : '演示档案: (已存在，未重复创建)',
    );
    console.log(
      needs.created
        ? `演示需求: 新建 ${needs.created} 条 (${Object.entries(needs.byState)
            .map(([state, n]) => `${state} ${n}`)
            .join(', ')})`
        : '演示需求: (已存在，未重复创建)',
    );
    console.log(
      offers.created
        ? `演示供给: 新建 ${offers.created} 条 (${Object.entries(offers.byState)
            .map(([state, n]) => `${state} ${n}`)
            .join(', ')})`
        : '演示供给: (已存在，未重复创建)',
    );
    // After the world is committed: the matches go through MatchesService, a transaction per step.
    const matches = await seedDemoMatches(app, { now: app.get(Clock).now() });
    console.log(
      matches.created
        ? `演示匹配: 新建 ${matches.created} 条，其中超时 ${matches.overdue} 条 (${Object.entries(
            matches.byState,
          )
            .map(([state, n]) => `${state} ${n}`)
            .join(', ')})`
        : '演示匹配: (已存在，未重复创建)',
    );
    // The seed writes rows directly, without outbox entries: rebuild the indexes from the tables.
    for (const index of [NEEDS_INDEX, OFFERS_INDEX]) {
      const report = await app.get(ReindexService).rebuild(index);
      console.log(`搜索索引 ${index}: ${report.documents} 条文档`);
    }
    console.log(`演示账号密码: ${DEMO_PASSWORD} (admin/auditor/approver 首次登录需绑定动态口令，见 README)`);
    return 0;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
