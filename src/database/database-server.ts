import { DatabaseConfig } from '../config';
import { EmbeddedPostgresServer } from './embedded-postgres';

/** Where the PostgreSQL this process talks to lives: a configured server, or the embedded one. */
export class DatabaseServer {
  private constructor(
    readonly url: string,
    /** The login migrations run as: database.migrationUrl, or the same as `url`. */
    readonly migrationUrl: string,
    readonly embedded?: EmbeddedPostgresServer,
  ) {}

  static async start(config: DatabaseConfig): Promise<DatabaseServer> {
    if (config.url) return new DatabaseServer(config.url, config.migrationUrl ?? config.url);
    if (config.migrationUrl)
      throw new Error(
        'database.migrationUrl (DATABASE_MIGRATION_URL) 只能与 database.url (DATABASE_URL) 一起设置',
      );
    const embedded = await EmbeddedPostgresServer.start(config.embedded);
    try {
      await embedded.ensureDatabase(config.embedded.database);
    } catch (error) {
      await embedded.stop();
      throw error;
    }
    const url = embedded.url(config.embedded.database);
    return new DatabaseServer(url, url, embedded);
  }

  get kind(): 'embedded' | 'external' {
    return this.embedded ? 'embedded' : 'external';
  }

  /** The same server with another database name in the URL (of `base`: the app's login by default). */
  urlFor(database: string, base = this.url): string {
    const url = new URL(base);
    url.pathname = `/${database}`;
    return url.toString();
  }

  async stop(): Promise<void> {
    await this.embedded?.stop();
  }
}
