import { OutboxEntity } from '../infra/outbox/outbox.entity';
import { ArchiveIncomeItemEntity, ArchiveMemberEntity } from '../modules/archives/archive-household.entities';
import { ArchiveEntity } from '../modules/archives/archive.entity';
import { ArchiveAidExclusionEntity } from '../modules/archives/aid-exclusions/archive-aid-exclusion.entity';
import { ArchiveConsentEntity } from '../modules/archives/consents/archive-consent.entity';
import { DibaoLineEntity } from '../modules/archives/dibao-lines/dibao-line.entity';
import { ArchiveVersionEntity } from '../modules/archives/versions/archive-version.entity';
import { ARCHIVE_WORKFLOW_ENTITIES } from '../modules/archives/workflow/archive-workflow.entities';
import { ArchiveChangeRequestEntity } from '../modules/archives/change-requests/archive-change-request.entity';
import { AuditChainEntity } from '../modules/audit/audit-chain.entity';
import { AuditLogEntity } from '../modules/audit/audit-log.entity';
import { ArchiveEvidenceEntity } from '../modules/archives/evidence/archive-evidence.entity';
import { AUTH_ENTITIES } from '../modules/auth/auth.entities';
import { OrgUnitEntity } from '../modules/org-units/org-unit.entity';
import { UserEntity } from '../modules/users/user.entity';
import { MenuItemEntity } from '../modules/menu/menu-item.entity';
import { PartnerEntity } from '../modules/partners/partner.entity';
import { AidLedgerEntryEntity } from '../modules/aid-ledger/aid-ledger-entry.entity';
import { NotificationEntity } from '../modules/notifications/notification.entity';
import { NeedEntity, NeedHistoryEntity } from '../modules/needs/need.entity';
import { MatchEvidenceEntity } from '../modules/matches/evidence/match-evidence.entity';
import { MatchEntity, MatchHistoryEntity } from '../modules/matches/match.entity';
import { MatchSlaStepEntity } from '../modules/matches/match-sla-step.entity';
import { OfferEntity, OfferHistoryEntity, OfferItemEntity } from '../modules/offers/offer.entity';
import { AllocationEntity, AllocationLineEntity } from '../modules/matching/allocations/allocation.entity';

/** Every TypeORM entity of the application, listed explicitly (no globs: same in ts-jest, swc and dist). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const ENTITIES: Function[] = [
  OutboxEntity,
  OrgUnitEntity,
  UserEntity,
  ...AUTH_ENTITIES,
  AuditLogEntity,
  AuditChainEntity,
  ArchiveEntity,
  ArchiveMemberEntity,
  ArchiveIncomeItemEntity,
  DibaoLineEntity,
  ArchiveConsentEntity,
  ArchiveVersionEntity,
  ...ARCHIVE_WORKFLOW_ENTITIES,
  ArchiveChangeRequestEntity,
  ArchiveEvidenceEntity,
  ArchiveAidExclusionEntity,
  MenuItemEntity,
  PartnerEntity,
  NeedEntity,
  NeedHistoryEntity,
  OfferEntity,
  OfferItemEntity,
  OfferHistoryEntity,
  AllocationEntity,
  AllocationLineEntity,
  AidLedgerEntryEntity,
  NotificationEntity,
  MatchEntity,
  MatchHistoryEntity,
  MatchSlaStepEntity,
  MatchEvidenceEntity,
];
