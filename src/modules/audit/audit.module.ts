import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditChainEntity } from './audit-chain.entity';
import { AuditLogEntity } from './audit-log.entity';
import { ClockModule } from '../../common/clock/clock.module';
import { AUTHORIZATION_AUDIT } from '../auth/authorization/authorization-audit';
import { AuditSealJob } from './audit-seal.job';
import { AuditSealer } from './audit-sealer';
import { AuditController } from './audit.controller';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { AuthorizationAuditRecorder } from './authorization-audit.recorder';

/**
 * The audit log, global: every module records through AuditService, and AuthGuard finds its
 * AUTHORIZATION_AUDIT here.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditLogEntity, AuditChainEntity]), ClockModule],
  controllers: [AuditController],
  providers: [
    AuditRepository,
    AuditService,
    AuditSealer,
    AuditSealJob,
    AuthorizationAuditRecorder,
    { provide: AUTHORIZATION_AUDIT, useExisting: AuthorizationAuditRecorder },
  ],
  exports: [AuditService, AuditSealer, AUTHORIZATION_AUDIT],
})
export class AuditModule {}
