import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MenuModule } from '../menu/menu.module';
import { OrgUnitsModule } from '../org-units/org-units.module';
import { PartnersModule } from '../partners/partners.module';
import { OfferHistoryEntity, OfferEntity, OfferItemEntity } from './offer.entity';
import { OfferDraftingService } from './offer-drafting.service';
import { OfferCapacityService } from './offer-capacity.service';
import { OfferMover } from './offer-mover';
import { OfferPresenter } from './offer.presenter';
import { OfferReadsService } from './offer-reads.service';
import { OffersExpiryJob } from './offers-expiry.job';
import { OffersSearchSource } from './offers-search.source';
import { OffersController } from './offers.controller';
import { OffersRepository } from './offers.repository';
import { OffersService } from './offers.service';

/**
 * Offers (供给). Uses PartnersService, MenuService and OrgUnitsService; needs the global Clock,
 * FieldCipher, AuditService, AuthorizationService, OutboxService, JobQueue, AppConfig and
 * SearchIndexRegistry (the `offers` index).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([OfferEntity, OfferItemEntity, OfferHistoryEntity]),
    PartnersModule,
    MenuModule,
    OrgUnitsModule,
  ],
  controllers: [OffersController],
  providers: [
    OffersRepository,
    OffersService,
    OfferDraftingService,
    OfferMover,
    OfferCapacityService,
    OfferReadsService,
    OfferPresenter,
    OffersSearchSource,
    OffersExpiryJob,
  ],
  exports: [OffersService, OfferDraftingService, OfferReadsService, OfferCapacityService],
})
export class OffersModule {}
