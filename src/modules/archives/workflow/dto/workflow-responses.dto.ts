import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ApiDate,
  ApiDateTime,
  ApiEnum,
  ApiFreeForm,
  ApiInt,
  ApiNested,
  ApiText,
  ApiUuid,
} from '../../../../common/openapi/api-field';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { IsMobile, NormalizeMobile, Trim } from '../../../../common/validation';
import { PaginationQueryDto } from '../../../../common/pagination/pagination';
import {
  ARCHIVE_CATEGORIES,
  ARCHIVE_FLAGS,
  ARCHIVE_KINDS,
  ARCHIVE_STATUSES,
  type ArchiveCategory,
  type ArchiveFlag,
  type ArchiveKind,
  type ArchiveStatus,
} from '../../archive.enums';
import { OBJECTION_STATUSES, type ObjectionStatus } from '../archive-workflow.entities';

/** The archive's workflow state after a command: no personal data (GET /archives/:id gives the record). */
export class ArchiveWorkflowStateDto {
  @ApiUuid() id!: string;
  @ApiText({ nullable: true, example: '330106-2026-00001' }) archiveNo!: string | null;
  @ApiEnum(ARCHIVE_KINDS, { enumName: 'ArchiveKind' }) kind!: ArchiveKind;
  @ApiEnum(ARCHIVE_CATEGORIES, { enumName: 'ArchiveCategory' }) category!: ArchiveCategory;
  @ApiEnum(ARCHIVE_STATUSES, { enumName: 'ArchiveStatus' }) status!: ArchiveStatus;
  @ApiUuid() orgUnitId!: string;
  @ApiEnum(ARCHIVE_FLAGS, { enumName: 'ArchiveFlag', isArray: true }) flags!: ArchiveFlag[];
  @ApiDateTime({ nullable: true }) submittedAt!: string | null;
  @ApiDate({ nullable: true, description: '公示开始日' }) noticeStartsOn!: string | null;
  @ApiDate({ nullable: true, description: '公示结束日（含）' }) noticeEndsOn!: string | null;
  @ApiDateTime({ nullable: true }) activatedAt!: string | null;
  @ApiDateTime({ nullable: true }) lastVerifiedAt!: string | null;
  @ApiDateTime({ nullable: true, description: '转正审核中：发起时间（审定公示期满后转为正式档案）' })
  conversionRequestedAt!: string | null;
  @ApiDate({ nullable: true, description: '返困观察截止日' }) relapseWatchUntil!: string | null;
  @ApiDate({ nullable: true }) nextVisitDueOn!: string | null;
  @ApiUuid({ nullable: true, description: '移交中：接收单位' }) transferToUnitId!: string | null;
  @ApiInt({ description: '下次操作须携带的版本号' }) version!: number;
}

export class HomeVisitResponseDto {
  @ApiDate() date!: string;
  @ApiText({ isArray: true }) visitors!: string[];
  @ApiProperty() findings!: string;
}

/** One entry of GET /archives/:id/history: a workflow step or a field-level change. */
export class ArchiveHistoryEntryDto {
  @ApiEnum(['transition', 'change']) type!: 'transition' | 'change';
  @ApiDateTime() at!: string;
  @ApiUuid({ nullable: true }) actorId!: string | null;
  @ApiText({ nullable: true, description: '经办人显示名' }) actorName!: string | null;
  @ApiText({ nullable: true, description: '办理身份：角色、worker 或 system' }) actorRole!: string | null;
  /** transition: the command; change: `create`, `update`, … */
  @ApiProperty() action!: string;
  @ApiText({ nullable: true }) decision!: string | null;
  @ApiEnum(ARCHIVE_STATUSES, { enumName: 'ArchiveStatus', nullable: true }) fromStatus!: ArchiveStatus | null;
  @ApiEnum(ARCHIVE_STATUSES, { enumName: 'ArchiveStatus', nullable: true }) toStatus!: ArchiveStatus | null;
  @ApiText({ nullable: true }) note!: string | null;
  @ApiText({ isArray: true }) reasons!: string[];
  @ApiNested(() => HomeVisitResponseDto, { nullable: true }) visit!: HomeVisitResponseDto | null;
  @ApiFreeForm({ description: '环节要素（注销原因、移交单位、档案编号等）' }) details!: Record<
    string,
    unknown
  >;
  @ApiInt({ nullable: true, description: 'change: 修改后的版本号' }) version!: number | null;
  @ApiFreeForm({
    nullable: true,
    description: 'change: 字段级差异（敏感项已脱敏），每个字段为 { from, to }',
  })
  diff!: Record<string, { from: unknown; to: unknown }> | null;
}

export class ArchiveHistoryPageDto {
  @ApiNested(() => ArchiveHistoryEntryDto, { isArray: true }) items!: ArchiveHistoryEntryDto[];
  @ApiInt() total!: number;
  @ApiInt() page!: number;
  @ApiInt() pageSize!: number;
}

// ---- public notices and objections ---------------------------------------------------------------

export class ListPublicNoticesQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ description: '只看该单位及下级单位的公示' })
  @IsOptional()
  @IsUUID()
  orgUnitId?: string;

  @ApiPropertyOptional({ enum: ARCHIVE_CATEGORIES })
  @IsOptional()
  @IsIn(ARCHIVE_CATEGORIES)
  category?: ArchiveCategory;
}

/** What the public may see of an archive in notice: masked name, unit, category and dates; nothing else. */
export class PublicNoticeDto {
  @ApiUuid({ description: '提出异议时使用' }) archiveId!: string;
  @ApiProperty({ example: '张*明' }) maskedName!: string;
  @ApiProperty({ example: '杭州市西湖区某某公司工会' }) unitName!: string;
  @ApiEnum(ARCHIVE_CATEGORIES, { enumName: 'ArchiveCategory' }) category!: ArchiveCategory;
  @ApiDate() noticeStartsOn!: string;
  @ApiDate() noticeEndsOn!: string;
}

export class PublicNoticePageDto {
  @ApiNested(() => PublicNoticeDto, { isArray: true }) items!: PublicNoticeDto[];
  @ApiInt() total!: number;
  @ApiInt() page!: number;
  @ApiInt() pageSize!: number;
}

export class LodgeObjectionDto {
  @ApiProperty({ minLength: 10, maxLength: 500, description: '异议事由' })
  @Trim()
  @IsString()
  @Length(10, 500, { message: '异议事由须为10–500个字符' })
  reason!: string;

  @ApiPropertyOptional({ description: '联系电话（选填，便于核实后回复；加密保存）' })
  @IsOptional()
  @NormalizeMobile()
  @IsMobile()
  contact?: string;
}

export class ObjectionLodgedDto {
  @ApiUuid() id!: string;
  @ApiDateTime() lodgedAt!: string;
  @ApiEnum(OBJECTION_STATUSES, { enumName: 'ObjectionStatus' }) status!: ObjectionStatus;
}

export class ObjectionResponseDto {
  @ApiUuid() id!: string;
  @ApiUuid() archiveId!: string;
  @ApiDateTime() lodgedAt!: string;
  @ApiDate() noticeStartsOn!: string;
  @ApiProperty() reason!: string;
  @ApiText({ nullable: true, example: '138****2210', description: '已脱敏' }) contact!: string | null;
  @ApiEnum(OBJECTION_STATUSES, { enumName: 'ObjectionStatus' }) status!: ObjectionStatus;
  @ApiText({ nullable: true }) resolutionNote!: string | null;
  @ApiUuid({ nullable: true }) resolvedBy!: string | null;
  @ApiDateTime({ nullable: true }) resolvedAt!: string | null;
}

export class ListObjectionsQueryDto {
  @ApiPropertyOptional({ enum: OBJECTION_STATUSES })
  @IsOptional()
  @IsIn(OBJECTION_STATUSES)
  status?: ObjectionStatus;
}
