/** `npm run reindex -- <index>`: rebuild one search index (or `--all`) from PostgreSQL. */
import 'reflect-metadata';
import { createWorkerApp } from '../../bootstrap';
import { ConfigError, loadConfig } from '../../config';
import { ReindexService } from './reindex.service';

async function main(target: string | undefined): Promise<number> {
  const config = loadConfig();
  const app = await createWorkerApp(config);
  try {
    const reindex = app.get(ReindexService);
    const known = reindex.indexNames();
    if (!target || (target !== '--all' && !known.includes(target))) {
      console.error(`用法: npm run reindex -- <index>|--all；可重建的索引: ${known.join(', ') || '(尚无)'}`);
      return 2;
    }
    for (const name of target === '--all' ? known : [target]) {
      const report = await reindex.rebuild(name);
      console.log(`reindex ${report.index}: ${report.documents} documents in ${report.ms} ms`);
    }
    return 0;
  } finally {
    await app.close();
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
