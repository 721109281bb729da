import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DatabaseServer } from './database-server';

/** The readiness check's view of the database: which server, and whether the pool answers a query. */
@Injectable()
export class DatabaseProbe {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly server: DatabaseServer,
  ) {}

  get kind(): DatabaseServer['kind'] {
    return this.server.kind;
  }

  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}
