import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UserEntity } from './user.entity';
import { OrgUnitsModule } from '../org-units/org-units.module';
import { PasswordModule } from './password';
import { UsersExpiryJob } from './users-expiry.job';
import { UsersController } from './users.controller';
import { PartnerAccountsService } from './partner-accounts.service';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

/**
 * Accounts: administration endpoints, the expiry job, and UsersService for other modules (auth reads
 * accounts through it). Needs the global Clock, FieldCipher (CryptoModule), AuditService (AuditModule),
 * AuthorizationService (AuthorizationModule) and the job queue.
 */
@Module({
  imports: [TypeOrmModule.forFeature([UserEntity]), PasswordModule, OrgUnitsModule],
  controllers: [UsersController],
  providers: [UsersRepository, UsersService, PartnerAccountsService, UsersExpiryJob],
  exports: [UsersService, PartnerAccountsService, PasswordModule],
})
export class UsersModule {}
