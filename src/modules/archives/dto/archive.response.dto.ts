import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type {
  ArchiveCategory,
  ArchiveFlag,
  ArchiveKind,
  ArchiveStatus,
  Cause,
  EmploymentStatus,
  HealthState,
  HousingType,
  IncomeKind,
  Relation,
  SchoolingStage,
} from '../archive.enums';
import {
  CONSENT_WITHDRAWAL_REASONS,
  type ConsentKind,
  type ConsentPurpose,
  type ConsentSubject,
  type ConsentWithdrawalReason,
} from '../consents/archive-consent.entity';
import type { FiveClearsItem, FiveClearsMissingReason } from '../rules/five-clears.rule';

/** Head of household as shown: ID number, phone and bank account masked (reveal to see one). */
export class ArchiveHeadDto {
  @ApiProperty() name!: string;
  @ApiProperty({ example: '330***********1234' }) idNumber!: string;
  @ApiProperty() birthDate!: string;
  @ApiProperty({ enum: ['male', 'female'] }) gender!: 'male' | 'female';
  @ApiProperty() age!: number;
  @ApiPropertyOptional({ example: '138****2210', nullable: true }) phone!: string | null;
  @ApiPropertyOptional({ nullable: true }) employer!: string | null;
  @ApiProperty() employmentStatus!: EmploymentStatus;
  @ApiProperty() monthlyIncomeFen!: number;
  @ApiPropertyOptional({ example: '***************0123', nullable: true }) bankAccount!: string | null;
}

export class ArchiveMemberDto {
  @ApiProperty() id!: string;
  @ApiProperty() relation!: Relation;
  @ApiProperty() name!: string;
  @ApiProperty({ example: '330***********2345' }) idNumber!: string;
  @ApiProperty() birthDate!: string;
  @ApiProperty() gender!: 'male' | 'female';
  @ApiProperty() age!: number;
  @ApiPropertyOptional({ nullable: true }) occupation!: string | null;
  @ApiProperty() monthlyIncomeFen!: number;
  @ApiProperty() health!: HealthState;
  @ApiProperty() schoolingStage!: SchoolingStage;
}

export class ArchiveIncomeItemDto {
  @ApiProperty() id!: string;
  @ApiProperty() kind!: IncomeKind;
  @ApiProperty() monthlyAmountFen!: number;
  @ApiPropertyOptional({ nullable: true }) note!: string | null;
}

export class FiveClearsStatusDto {
  @ApiProperty() item!: FiveClearsItem;
  @ApiProperty() field!: string;
  @ApiProperty() clear!: boolean;
  @ApiPropertyOptional() reason?: FiveClearsMissingReason;
  @ApiPropertyOptional() message?: string;
}

export class ArchiveConsentDto {
  @ApiProperty() id!: string;
  @ApiProperty() subject!: ConsentSubject;
  @ApiPropertyOptional({ nullable: true }) memberId!: string | null;
  @ApiProperty() purpose!: ConsentPurpose;
  @ApiProperty() kind!: ConsentKind;
  @ApiProperty() textVersion!: string;
  @ApiProperty() grantedAt!: string;
  @ApiProperty() recordedBy!: string;
  @ApiProperty() byGuardian!: boolean;
  @ApiPropertyOptional({ nullable: true }) guardianName!: string | null;
  @ApiPropertyOptional({ nullable: true }) withdrawnAt!: string | null;
  @ApiPropertyOptional({
    nullable: true,
    enum: CONSENT_WITHDRAWAL_REASONS,
    description:
      '系统撤回的原因：subject-id-changed（身份证号码已更改，不再是同一人）、member-removed（成员已移除）',
  })
  withdrawalReason!: ConsentWithdrawalReason | null;
}

/** One row of `GET /archives`: enough to pick a household, nothing more (ID masked, no phone or bank). */
export class ArchiveListItemDto {
  @ApiProperty() id!: string;
  @ApiPropertyOptional({ nullable: true }) archiveNo!: string | null;
  @ApiProperty() kind!: ArchiveKind;
  @ApiProperty() category!: ArchiveCategory;
  @ApiProperty() status!: ArchiveStatus;
  @ApiProperty() orgUnitId!: string;
  @ApiPropertyOptional({ nullable: true }) orgUnitName!: string | null;
  @ApiProperty() headName!: string;
  @ApiProperty({ example: '330***********1234' }) headIdNumber!: string;
  @ApiPropertyOptional({ nullable: true }) primaryCause!: Cause | null;
  @ApiProperty() householdSize!: number;
  @ApiProperty() perCapitaIncomeFen!: number;
  @ApiProperty({ isArray: true }) flags!: ArchiveFlag[];
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty() version!: number;
}

export class ArchivePageDto {
  @ApiProperty({ type: [ArchiveListItemDto] }) items!: ArchiveListItemDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

/** The full record, masked. */
export class ArchiveDetailDto {
  @ApiProperty() id!: string;
  @ApiPropertyOptional({ nullable: true }) archiveNo!: string | null;
  @ApiProperty() kind!: ArchiveKind;
  @ApiProperty() category!: ArchiveCategory;
  @ApiProperty() status!: ArchiveStatus;
  @ApiProperty() orgUnitId!: string;
  @ApiPropertyOptional({ nullable: true }) orgUnitName!: string | null;
  @ApiPropertyOptional({ nullable: true }) ownerUserId!: string | null;
  @ApiProperty() regionCode!: string;
  @ApiPropertyOptional({ nullable: true }) address!: string | null;
  @ApiProperty({ type: ArchiveHeadDto }) head!: ArchiveHeadDto;
  @ApiProperty({ type: [ArchiveMemberDto] }) members!: ArchiveMemberDto[];
  @ApiProperty({ type: [ArchiveIncomeItemDto] }) incomeItems!: ArchiveIncomeItemDto[];
  @ApiPropertyOptional({ nullable: true }) housingType!: HousingType | null;
  @ApiPropertyOptional({ nullable: true }) housingAreaSqm!: number | null;
  @ApiProperty() hasVehicle!: boolean;
  @ApiProperty() hasSecondProperty!: boolean;
  @ApiProperty() hasBusinessLicence!: boolean;
  @ApiPropertyOptional({ nullable: true }) assetNotes!: string | null;
  @ApiProperty({ isArray: true }) causes!: Cause[];
  @ApiPropertyOptional({ nullable: true }) primaryCause!: Cause | null;
  @ApiPropertyOptional({ nullable: true }) householdSituation!: string | null;
  @ApiPropertyOptional({ nullable: true }) causeDescription!: string | null;
  @ApiPropertyOptional({ nullable: true }) skills!: string | null;
  @ApiPropertyOptional({ nullable: true }) jobWishes!: string | null;
  @ApiPropertyOptional({ nullable: true }) stateOfMind!: string | null;
  @ApiProperty({ type: [FiveClearsStatusDto] }) fiveClears!: FiveClearsStatusDto[];
  @ApiProperty() householdSize!: number;
  @ApiProperty() monthlyIncomeFen!: number;
  @ApiProperty() perCapitaIncomeFen!: number;
  @ApiProperty({ isArray: true }) flags!: ArchiveFlag[];
  @ApiProperty({ type: [ArchiveConsentDto] }) consents!: ArchiveConsentDto[];
  @ApiPropertyOptional({ nullable: true }) createdBy!: string | null;
  @ApiPropertyOptional({ nullable: true }) submittedBy!: string | null;
  @ApiPropertyOptional({ nullable: true }) submittedAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) noticeStartsOn!: string | null;
  @ApiPropertyOptional({ nullable: true }) noticeEndsOn!: string | null;
  @ApiPropertyOptional({ nullable: true }) activatedAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) lastVerifiedAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) relapseWatchUntil!: string | null;
  @ApiPropertyOptional({ nullable: true }) nextVisitDueOn!: string | null;
  @ApiPropertyOptional({ nullable: true }) transferToUnitId!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty() version!: number;
}

export class RevealedArchiveFieldDto {
  @ApiProperty() archiveId!: string;
  @ApiProperty() field!: string;
  @ApiPropertyOptional({ nullable: true }) value!: string | null;
}
