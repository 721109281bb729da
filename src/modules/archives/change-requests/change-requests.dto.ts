import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ApiDateTime, ApiEnum, ApiInt, ApiNested, ApiText, ApiUuid } from '../../../common/openapi/api-field';
import { ARCHIVE_CATEGORIES, type ArchiveCategory, INCOME_KINDS, type IncomeKind } from '../archive.enums';
import { IncomeItemInputDto } from '../dto/archive-input.dto';
import { CHANGE_REQUEST_STATUSES, type ChangeRequestStatus } from './archive-change-request.entity';
import { Trim } from '../../../common/validation';

/** 10万元 a month: larger is a typing error. */
const MAX_MONTHLY_FEN = 10_000_000;

export class MemberIncomeDto {
  @ApiProperty({ format: 'uuid', description: '家庭成员 id（见档案详情 members[].id）' })
  @IsUUID()
  memberId!: string;

  @ApiProperty({ type: 'integer', example: 150000, description: '新的每月收入（分）' })
  @IsInt({ message: '收入须为整数（单位：分）' })
  @Min(0, { message: '收入不能为负数' })
  @Max(MAX_MONTHLY_FEN, { message: '收入超出合理范围（每月不超过10万元）' })
  monthlyIncomeFen!: number;
}

/** 变更申请 of an active archive: at least one of category, head income, income items, member incomes. */
export class CreateChangeRequestDto {
  @ApiProperty({ type: 'integer', description: '读取档案时得到的 version；档案已被他人修改时返回 409' })
  @IsInt()
  @Min(1)
  version!: number;

  @ApiProperty({ description: '变更原因，如“妻子病故，家庭收入结构变化”' })
  @Trim()
  @IsString()
  @Length(5, 500, { message: '变更原因须为5–500个字符' })
  reason!: string;

  @ApiPropertyOptional({ enum: ARCHIVE_CATEGORIES, description: '新的困难类别' })
  @IsOptional()
  @IsIn(ARCHIVE_CATEGORIES)
  category?: ArchiveCategory;

  @ApiPropertyOptional({ type: 'integer', description: '户主新的每月收入（分）' })
  @IsOptional()
  @IsInt({ message: '收入须为整数（单位：分）' })
  @Min(0, { message: '收入不能为负数' })
  @Max(MAX_MONTHLY_FEN, { message: '收入超出合理范围（每月不超过10万元）' })
  headMonthlyIncomeFen?: number;

  @ApiPropertyOptional({ type: [IncomeItemInputDto], description: '其他收入的完整新列表' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => IncomeItemInputDto)
  incomeItems?: IncomeItemInputDto[];

  @ApiPropertyOptional({ type: [MemberIncomeDto], description: '家庭成员新的每月收入' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => MemberIncomeDto)
  memberIncomes?: MemberIncomeDto[];
}

export const CHANGE_REQUEST_DECISIONS = ['approve', 'reject'] as const;
export type ChangeRequestDecision = (typeof CHANGE_REQUEST_DECISIONS)[number];

export class DecideChangeRequestDto {
  @ApiProperty({ type: 'integer', description: '审核时读取到的档案 version；档案已被他人修改时返回 409' })
  @IsInt()
  @Min(1)
  version!: number;

  @ApiProperty({ enum: CHANGE_REQUEST_DECISIONS, description: 'approve 批准（变更生效）/ reject 驳回' })
  @IsIn(CHANGE_REQUEST_DECISIONS)
  decision!: ChangeRequestDecision;

  @ApiPropertyOptional({ maxLength: 500, description: '审核意见（驳回时必填）' })
  @ValidateIf((dto: DecideChangeRequestDto) => dto.decision === 'reject' || dto.note !== undefined)
  @Trim()
  @IsString()
  @IsNotEmpty({ message: '驳回变更申请须写明意见' })
  @MaxLength(500)
  note?: string;
}

export class ProposedIncomeItemDto {
  @ApiEnum(INCOME_KINDS) kind!: IncomeKind;
  @ApiInt() monthlyAmountFen!: number;
  @ApiText({ nullable: true }) note!: string | null;
}

export class ProposedMemberIncomeDto {
  @ApiUuid() memberId!: string;
  @ApiInt() monthlyIncomeFen!: number;
}

export class ProposedChangeDto {
  @ApiEnum(ARCHIVE_CATEGORIES, { optional: true }) category?: ArchiveCategory;
  @ApiInt({ optional: true }) headMonthlyIncomeFen?: number;
  @ApiNested(() => ProposedIncomeItemDto, { isArray: true, optional: true })
  incomeItems?: ProposedIncomeItemDto[];
  @ApiNested(() => ProposedMemberIncomeDto, { isArray: true, optional: true })
  memberIncomes?: ProposedMemberIncomeDto[];
}

export class ChangeRequestResponseDto {
  @ApiUuid() id!: string;
  @ApiUuid() archiveId!: string;
  @ApiEnum(CHANGE_REQUEST_STATUSES, { enumName: 'ChangeRequestStatus' }) status!: ChangeRequestStatus;
  @ApiInt({ description: '提出申请时的档案 version' }) baseVersion!: number;
  @ApiNested(() => ProposedChangeDto) changes!: ProposedChangeDto;
  @ApiText() reason!: string;
  @ApiUuid() requestedBy!: string;
  @ApiDateTime() requestedAt!: string;
  @ApiUuid({ nullable: true }) decidedBy!: string | null;
  @ApiDateTime({ nullable: true }) decidedAt!: string | null;
  @ApiText({ nullable: true }) decisionNote!: string | null;
  @ApiInt({ nullable: true, description: '批准后档案的 version（驳回或待审核时为空）' })
  archiveVersion!: number | null;
}
