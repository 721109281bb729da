import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxEntity } from './outbox.entity';
import { OutboxPurgeJob } from './outbox-purge.job';
import { OutboxRelayService } from './outbox-relay.service';
import { OutboxRepository } from './outbox.repository';
import { OutboxService } from './outbox.service';
import { ReindexService } from './reindex.service';

/** The transactional outbox: OutboxService.record in a domain transaction; the relay job does the rest. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([OutboxEntity])],
  providers: [OutboxRepository, OutboxService, OutboxRelayService, OutboxPurgeJob, ReindexService],
  exports: [OutboxService, ReindexService],
})
export class OutboxModule {}
