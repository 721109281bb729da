import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrgUnitsModule } from '../org-units/org-units.module';
import { UsersModule } from '../users/users.module';
import { PartnerAccountsAdminService } from './partner-accounts-admin.service';
import { PartnerPresenter } from './partner.presenter';
import { PartnerRegistrationService } from './partner-registration.service';
import { PartnerVettingService } from './partner-vetting.service';
import { PartnersController } from './partners.controller';
import { PartnersRepository } from './partners.repository';
import { PartnersService } from './partners.service';

/**
 * Partner organisations (合作方): self-registration, vetting, the partner's own accounts. Offers and
 * matches import it for PartnersService (findById, unionPartnerOf, isActive). Uses NotificationsService
 * (approved / suspended). Needs the global
 * DataSource, Clock, FieldCipher, AuditService, AuthorizationService, and from AuthModule TokensService
 * and RateLimitService.
 */
@Module({
  imports: [OrgUnitsModule, UsersModule, NotificationsModule],
  controllers: [PartnersController],
  providers: [
    PartnersRepository,
    PartnersService,
    PartnerPresenter,
    PartnerRegistrationService,
    PartnerVettingService,
    PartnerAccountsAdminService,
  ],
  exports: [PartnersService],
})
export class PartnersModule {}
