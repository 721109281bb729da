import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ArchiveEvidenceEntity } from './archive-evidence.entity';
import { StorageModule } from '../../../infra/storage';
import { EvidenceController } from './evidence.controller';
import { EvidenceRepository } from './evidence.repository';
import { EvidenceService } from './evidence.service';

/**
 * Evidence files of archives, stored through ObjectStorage. Imported by ArchivesModule; needs the global
 * AppConfig, Clock, AuditService and AuthorizationService. @fastify/multipart is registered in
 * configureHttpApp (src/bootstrap.ts).
 */
@Module({
  imports: [TypeOrmModule.forFeature([ArchiveEvidenceEntity]), StorageModule],
  controllers: [EvidenceController],
  providers: [EvidenceRepository, EvidenceService],
  exports: [EvidenceService],
})
export class EvidenceModule {}
