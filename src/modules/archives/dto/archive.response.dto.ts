import {
  ApiBool,
  ApiDate,
  ApiDateTime,
  ApiDecimal,
  ApiEnum,
  ApiInt,
  ApiNested,
  ApiText,
  ApiUuid,
} from '../../../common/openapi/api-field';
import {
  ARCHIVE_CATEGORIES,
  ARCHIVE_FLAGS,
  ARCHIVE_KINDS,
  ARCHIVE_STATUSES,
  CAUSES,
  EMPLOYMENT_STATUSES,
  HEALTH_STATES,
  HOUSING_TYPES,
  INCOME_KINDS,
  RELATIONS,
  SCHOOLING_STAGES,
  type ArchiveCategory,
  type ArchiveFlag,
  type ArchiveKind,
  type ArchiveStatus,
  type Cause,
  type EmploymentStatus,
  type HealthState,
  type HousingType,
  type IncomeKind,
  type Relation,
  type SchoolingStage,
} from '../archive.enums';
import {
  CONSENT_KINDS,
  CONSENT_PURPOSES,
  CONSENT_SUBJECTS,
  CONSENT_WITHDRAWAL_REASONS,
  type ConsentKind,
  type ConsentPurpose,
  type ConsentSubject,
  type ConsentWithdrawalReason,
} from '../consents/archive-consent.entity';
import {
  FIVE_CLEARS_ITEMS,
  FIVE_CLEARS_MISSING_REASONS,
  type FiveClearsItem,
  type FiveClearsMissingReason,
} from '../rules/five-clears.rule';

/** Head of household as shown: ID number, phone and bank account masked (reveal to see one). */
export class ArchiveHeadDto {
  @ApiText() name!: string;
  @ApiText({ example: '330***********1234' }) idNumber!: string;
  @ApiDate() birthDate!: string;
  @ApiEnum(['male', 'female']) gender!: 'male' | 'female';
  @ApiInt() age!: number;
  @ApiText({ example: '138****2210', nullable: true }) phone!: string | null;
  @ApiText({ nullable: true }) employer!: string | null;
  @ApiEnum(EMPLOYMENT_STATUSES, { enumName: 'EmploymentStatus' }) employmentStatus!: EmploymentStatus;
  @ApiInt() monthlyIncomeFen!: number;
  @ApiText({ example: '***************0123', nullable: true }) bankAccount!: string | null;
}

export class ArchiveMemberDto {
  @ApiUuid() id!: string;
  @ApiEnum(RELATIONS, { enumName: 'Relation' }) relation!: Relation;
  @ApiText() name!: string;
  @ApiText({ example: '330***********2345' }) idNumber!: string;
  @ApiDate() birthDate!: string;
  @ApiEnum(['male', 'female']) gender!: 'male' | 'female';
  @ApiInt() age!: number;
  @ApiText({ nullable: true }) occupation!: string | null;
  @ApiInt() monthlyIncomeFen!: number;
  @ApiEnum(HEALTH_STATES, { enumName: 'HealthState' }) health!: HealthState;
  @ApiEnum(SCHOOLING_STAGES, { enumName: 'SchoolingStage' }) schoolingStage!: SchoolingStage;
}

export class ArchiveIncomeItemDto {
  @ApiUuid() id!: string;
  @ApiEnum(INCOME_KINDS, { enumName: 'IncomeKind' }) kind!: IncomeKind;
  @ApiInt() monthlyAmountFen!: number;
  @ApiText({ nullable: true }) note!: string | null;
}

export class FiveClearsStatusDto {
  @ApiEnum(FIVE_CLEARS_ITEMS, { enumName: 'FiveClearsItem' }) item!: FiveClearsItem;
  @ApiText() field!: string;
  @ApiBool() clear!: boolean;
  @ApiEnum(FIVE_CLEARS_MISSING_REASONS, { optional: true, description: '未清的原因（clear 为 false 时）' })
  reason?: FiveClearsMissingReason;
  @ApiText({ optional: true, description: '未清的说明（clear 为 false 时）' }) message?: string;
}

export class ArchiveConsentDto {
  @ApiUuid() id!: string;
  @ApiEnum(CONSENT_SUBJECTS) subject!: ConsentSubject;
  @ApiUuid({ nullable: true }) memberId!: string | null;
  @ApiEnum(CONSENT_PURPOSES, { enumName: 'ConsentPurpose' }) purpose!: ConsentPurpose;
  @ApiEnum(CONSENT_KINDS, { enumName: 'ConsentKind' }) kind!: ConsentKind;
  @ApiText() textVersion!: string;
  @ApiDateTime() grantedAt!: string;
  @ApiUuid() recordedBy!: string;
  @ApiBool() byGuardian!: boolean;
  @ApiText({ nullable: true }) guardianName!: string | null;
  @ApiDateTime({ nullable: true }) withdrawnAt!: string | null;
  @ApiEnum(CONSENT_WITHDRAWAL_REASONS, {
    nullable: true,
    description:
      '系统撤回的原因：subject-id-changed（身份证号码已更改，不再是同一人）、member-removed（成员已移除）',
  })
  withdrawalReason!: ConsentWithdrawalReason | null;
}

/** One row of `GET /archives`: enough to pick a household, nothing more (ID masked, no phone or bank). */
export class ArchiveListItemDto {
  @ApiUuid() id!: string;
  @ApiText({ nullable: true, example: '330106-2026-00001' }) archiveNo!: string | null;
  @ApiEnum(ARCHIVE_KINDS, { enumName: 'ArchiveKind' }) kind!: ArchiveKind;
  @ApiEnum(ARCHIVE_CATEGORIES, { enumName: 'ArchiveCategory' }) category!: ArchiveCategory;
  @ApiEnum(ARCHIVE_STATUSES, { enumName: 'ArchiveStatus' }) status!: ArchiveStatus;
  @ApiUuid() orgUnitId!: string;
  @ApiText({ nullable: true }) orgUnitName!: string | null;
  @ApiText() headName!: string;
  @ApiText({ example: '330***********1234' }) headIdNumber!: string;
  @ApiEnum(CAUSES, { enumName: 'Cause', nullable: true }) primaryCause!: Cause | null;
  @ApiInt() householdSize!: number;
  @ApiInt() perCapitaIncomeFen!: number;
  @ApiEnum(ARCHIVE_FLAGS, { enumName: 'ArchiveFlag', isArray: true }) flags!: ArchiveFlag[];
  @ApiDateTime() createdAt!: string;
  @ApiDateTime() updatedAt!: string;
  @ApiInt() version!: number;
}

export class ArchivePageDto {
  @ApiNested(() => ArchiveListItemDto, { isArray: true }) items!: ArchiveListItemDto[];
  @ApiInt() total!: number;
  @ApiInt() page!: number;
  @ApiInt() pageSize!: number;
}

/** The full record, masked. */
export class ArchiveDetailDto {
  @ApiUuid() id!: string;
  @ApiText({ nullable: true, example: '330106-2026-00001' }) archiveNo!: string | null;
  @ApiEnum(ARCHIVE_KINDS, { enumName: 'ArchiveKind' }) kind!: ArchiveKind;
  @ApiEnum(ARCHIVE_CATEGORIES, { enumName: 'ArchiveCategory' }) category!: ArchiveCategory;
  @ApiEnum(ARCHIVE_STATUSES, { enumName: 'ArchiveStatus' }) status!: ArchiveStatus;
  @ApiUuid() orgUnitId!: string;
  @ApiText({ nullable: true }) orgUnitName!: string | null;
  @ApiUuid({ nullable: true }) ownerUserId!: string | null;
  @ApiText({ example: '330106' }) regionCode!: string;
  @ApiText({ nullable: true }) address!: string | null;
  @ApiNested(() => ArchiveHeadDto) head!: ArchiveHeadDto;
  @ApiNested(() => ArchiveMemberDto, { isArray: true }) members!: ArchiveMemberDto[];
  @ApiNested(() => ArchiveIncomeItemDto, { isArray: true }) incomeItems!: ArchiveIncomeItemDto[];
  @ApiEnum(HOUSING_TYPES, { enumName: 'HousingType', nullable: true }) housingType!: HousingType | null;
  @ApiDecimal({ nullable: true, description: '住房面积（平方米，两位小数）' }) housingAreaSqm!: number | null;
  @ApiBool() hasVehicle!: boolean;
  @ApiBool() hasSecondProperty!: boolean;
  @ApiBool() hasBusinessLicence!: boolean;
  @ApiText({ nullable: true }) assetNotes!: string | null;
  @ApiEnum(CAUSES, { enumName: 'Cause', isArray: true }) causes!: Cause[];
  @ApiEnum(CAUSES, { enumName: 'Cause', nullable: true }) primaryCause!: Cause | null;
  @ApiText({ nullable: true }) householdSituation!: string | null;
  @ApiText({ nullable: true }) causeDescription!: string | null;
  @ApiText({ nullable: true }) skills!: string | null;
  @ApiText({ nullable: true }) jobWishes!: string | null;
  @ApiText({ nullable: true }) stateOfMind!: string | null;
  @ApiText({ nullable: true, description: '低保证号（持证时）' }) dibaoCertificateNo!: string | null;
  @ApiDate({ nullable: true, description: '意外致困：发生日期' }) incidentOn!: string | null;
  @ApiInt({ nullable: true, description: '意外致困：减少的家庭月收入（分）' })
  incidentIncomeLossFen!: number | null;
  @ApiInt({ nullable: true, description: '意外致困：产生的大额支出（分）' })
  incidentExpenseFen!: number | null;
  @ApiNested(() => FiveClearsStatusDto, { isArray: true }) fiveClears!: FiveClearsStatusDto[];
  @ApiInt() householdSize!: number;
  @ApiInt() monthlyIncomeFen!: number;
  @ApiInt() perCapitaIncomeFen!: number;
  @ApiEnum(ARCHIVE_FLAGS, { enumName: 'ArchiveFlag', isArray: true }) flags!: ArchiveFlag[];
  @ApiNested(() => ArchiveConsentDto, { isArray: true }) consents!: ArchiveConsentDto[];
  @ApiUuid({ nullable: true }) createdBy!: string | null;
  @ApiUuid({ nullable: true }) submittedBy!: string | null;
  @ApiDateTime({ nullable: true }) submittedAt!: string | null;
  @ApiDate({ nullable: true, description: '申请日期（首次提交日，核定所用低保标准的日期）' })
  appliedOn!: string | null;
  @ApiDate({ nullable: true }) noticeStartsOn!: string | null;
  @ApiDate({ nullable: true }) noticeEndsOn!: string | null;
  @ApiDateTime({ nullable: true }) activatedAt!: string | null;
  @ApiDateTime({ nullable: true }) lastVerifiedAt!: string | null;
  @ApiDate({ nullable: true }) relapseWatchUntil!: string | null;
  @ApiDate({ nullable: true }) nextVisitDueOn!: string | null;
  @ApiUuid({ nullable: true }) transferToUnitId!: string | null;
  @ApiDateTime() createdAt!: string;
  @ApiDateTime() updatedAt!: string;
  @ApiInt() version!: number;
  @ApiNested(() => ArchiveDraftWarningDto, {
    isArray: true,
    description: '仅工作人员可见：本档案人员也出现在其他尚未提交的草稿中（草稿不占用名额，仅提示）',
  })
  draftWarnings!: ArchiveDraftWarningDto[];
  @ApiNested(() => ArchiveAidYearMarkDto, {
    isArray: true,
    description: '本年度不纳入帮扶的标记（按年度倒序；档案仍在档）',
  })
  aidExclusions!: ArchiveAidYearMarkDto[];
}

export class ArchiveAidYearMarkDto {
  @ApiInt({ example: 2026 }) year!: number;
  @ApiText() reason!: string;
  @ApiUuid() markedBy!: string;
  @ApiDateTime() markedAt!: string;
}

export class ArchiveDraftWarningDto {
  @ApiText({ example: 'PERSON_IN_OTHER_DRAFT' }) code!: string;
  @ApiText({ example: 'members.0.idNumber' }) field!: string;
  @ApiText() message!: string;
}

export class RevealedArchiveFieldDto {
  @ApiUuid() archiveId!: string;
  @ApiText() field!: string;
  @ApiText({ nullable: true }) value!: string | null;
}
