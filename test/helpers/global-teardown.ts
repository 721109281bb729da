import { DatabaseServer } from '../../src/database/database-server';

export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as { __bangfuDbServer?: DatabaseServer };
  await holder.__bangfuDbServer?.stop();
  holder.__bangfuDbServer = undefined;
}
