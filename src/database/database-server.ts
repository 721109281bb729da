import { DatabaseConfig } from '../config';
import { EmbeddedPostgresServer } from './embedded-postgres';

/** Where the PostgreSQL this process talks to lives: a configured server, or the embedded one. */
export class DatabaseServer {
  private constructor(
    readonly url: string,
    readonly embedded?: EmbeddedPostgresServer,
  ) {}

  static async start(config: DatabaseConfig): Promise<DatabaseServer> {
    if (config.url) return new DatabaseServer(config.url);
    const embedded = await EmbeddedPostgresServer.start(config.embedded);
    try {
      await embedded.ensureDatabase(config.embedded.database);
    } catch (error) {
      await embedded.stop();
      throw error;
    }
    return new DatabaseServer(embedded.url(config.embedded.database), embedded);
  }

  get kind(): 'embedded' | 'external' {
    return this.embedded ? 'embedded' : 'external';
  }

  /** The same server with another database name in the URL. */
  urlFor(database: string): string {
    const url = new URL(this.url);
    url.pathname = `/${database}`;
    return url.toString();
  }

  async stop(): Promise<void> {
    await this.embedded?.stop();
  }
}
