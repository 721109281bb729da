import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { IsMobile, NormalizeMobile } from '../../../../common/validation';
import { PaginationQueryDto } from '../../../../common/pagination/pagination';
import {
  ARCHIVE_CATEGORIES,
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
  @ApiProperty() id!: string;
  @ApiPropertyOptional({ nullable: true, example: '330106-2026-00001' }) archiveNo!: string | null;
  @ApiProperty({ enum: ARCHIVE_KINDS }) kind!: ArchiveKind;
  @ApiProperty({ enum: ARCHIVE_CATEGORIES }) category!: ArchiveCategory;
  @ApiProperty({ enum: ARCHIVE_STATUSES }) status!: ArchiveStatus;
  @ApiProperty() orgUnitId!: string;
  @ApiProperty({ type: [String] }) flags!: ArchiveFlag[];
  @ApiPropertyOptional({ nullable: true }) submittedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, description: '公示开始日' }) noticeStartsOn!: string | null;
  @ApiPropertyOptional({ nullable: true, description: '公示结束日（含）' }) noticeEndsOn!: string | null;
  @ApiPropertyOptional({ nullable: true }) activatedAt!: string | null;
  @ApiPropertyOptional({ nullable: true }) lastVerifiedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, description: '返困观察截止日' }) relapseWatchUntil!: string | null;
  @ApiPropertyOptional({ nullable: true }) nextVisitDueOn!: string | null;
  @ApiPropertyOptional({ nullable: true, description: '移交中：接收单位' }) transferToUnitId!: string | null;
  @ApiProperty({ description: '下次操作须携带的版本号' }) version!: number;
}

export class HomeVisitResponseDto {
  @ApiProperty() date!: string;
  @ApiProperty({ type: [String] }) visitors!: string[];
  @ApiProperty() findings!: string;
}

/** One entry of GET /archives/:id/history: a workflow step or a field-level change. */
export class ArchiveHistoryEntryDto {
  @ApiProperty({ enum: ['transition', 'change'] }) type!: 'transition' | 'change';
  @ApiProperty() at!: string;
  @ApiPropertyOptional({ nullable: true }) actorId!: string | null;
  @ApiPropertyOptional({ nullable: true, description: '经办人显示名' }) actorName!: string | null;
  @ApiPropertyOptional({ nullable: true, description: '办理身份：角色、worker 或 system' }) actorRole!:
    string | null;
  /** transition: the command; change: `create`, `update`, … */
  @ApiProperty() action!: string;
  @ApiPropertyOptional({ nullable: true }) decision!: string | null;
  @ApiPropertyOptional({ nullable: true, enum: ARCHIVE_STATUSES }) fromStatus!: ArchiveStatus | null;
  @ApiPropertyOptional({ nullable: true, enum: ARCHIVE_STATUSES }) toStatus!: ArchiveStatus | null;
  @ApiPropertyOptional({ nullable: true }) note!: string | null;
  @ApiProperty({ type: [String] }) reasons!: string[];
  @ApiPropertyOptional({ type: HomeVisitResponseDto, nullable: true }) visit!: HomeVisitResponseDto | null;
  @ApiProperty({ description: '环节要素（注销原因、移交单位、档案编号等）' }) details!: Record<
    string,
    unknown
  >;
  @ApiPropertyOptional({ nullable: true, description: 'change: 修改后的版本号' }) version!: number | null;
  @ApiPropertyOptional({ nullable: true, description: 'change: 字段级差异（敏感项已脱敏）' })
  diff!: Record<string, { from: unknown; to: unknown }> | null;
}

export class ArchiveHistoryPageDto {
  @ApiProperty({ type: [ArchiveHistoryEntryDto] }) items!: ArchiveHistoryEntryDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
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
  @ApiProperty({ description: '提出异议时使用' }) archiveId!: string;
  @ApiProperty({ example: '张*明' }) maskedName!: string;
  @ApiProperty({ example: '杭州市西湖区某某公司工会' }) unitName!: string;
  @ApiProperty({ enum: ARCHIVE_CATEGORIES }) category!: ArchiveCategory;
  @ApiProperty() noticeStartsOn!: string;
  @ApiProperty() noticeEndsOn!: string;
}

export class PublicNoticePageDto {
  @ApiProperty({ type: [PublicNoticeDto] }) items!: PublicNoticeDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}

export class LodgeObjectionDto {
  @ApiProperty({ minLength: 10, maxLength: 500, description: '异议事由' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
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
  @ApiProperty() id!: string;
  @ApiProperty() lodgedAt!: string;
  @ApiProperty({ enum: OBJECTION_STATUSES }) status!: ObjectionStatus;
}

export class ObjectionResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() archiveId!: string;
  @ApiProperty() lodgedAt!: string;
  @ApiProperty() noticeStartsOn!: string;
  @ApiProperty() reason!: string;
  @ApiPropertyOptional({ nullable: true, example: '138****2210', description: '已脱敏' }) contact!:
    string | null;
  @ApiProperty({ enum: OBJECTION_STATUSES }) status!: ObjectionStatus;
  @ApiPropertyOptional({ nullable: true }) resolutionNote!: string | null;
  @ApiPropertyOptional({ nullable: true }) resolvedBy!: string | null;
  @ApiPropertyOptional({ nullable: true }) resolvedAt!: string | null;
}

export class ListObjectionsQueryDto {
  @ApiPropertyOptional({ enum: OBJECTION_STATUSES })
  @IsOptional()
  @IsIn(OBJECTION_STATUSES)
  status?: ObjectionStatus;
}
