import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, ValidateBy } from 'class-validator';
import { isRealDate } from '../../../common/calendar/china-calendar';
import {
  ApiDate,
  ApiDateTime,
  ApiEnum,
  ApiInt,
  ApiNested,
  ApiText,
  ApiUuid,
} from '../../../common/openapi/api-field';
import { PaginationQueryDto } from '../../../common/pagination/pagination';
import { oneOf } from '../../../common/validation';
import { CAUSES, type Cause } from '../../archives/archive.enums';
import { MENU_CATEGORIES, type MenuCategory } from '../../menu/menu.enums';
import { RECEIPT_MODES, type ReceiptMode } from '../aid-ledger.enums';

/** A real calendar date `YYYY-MM-DD` (2026-02-30 is refused with 400, not handed to PostgreSQL). */
const RealDate = () =>
  ValidateBy({
    name: 'isRealDate',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isRealDate(value),
      defaultMessage: () => '日期格式须为 YYYY-MM-DD，且须为真实日期',
    },
  });

/** `GET /archives/:id/aid`: one household's ledger, newest first. */
export class HouseholdAidQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({ format: 'date', description: '受助日期起（含，北京时间）' })
  @IsOptional()
  @RealDate()
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: '受助日期止（含，北京时间）' })
  @IsOptional()
  @RealDate()
  to?: string;
}

/** `GET /aid-ledger`: the staff ledger over their subtree. */
export class ListAidLedgerQueryDto extends HouseholdAidQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: '单位（含下级单位），须在本人管辖范围内' })
  @IsOptional()
  @IsUUID('all', { message: '单位 id 格式不正确' })
  orgUnitId?: string;

  @ApiPropertyOptional({ enum: MENU_CATEGORIES })
  @IsOptional()
  @IsIn(MENU_CATEGORIES, oneOf('类别', MENU_CATEGORIES))
  category?: MenuCategory;

  @ApiPropertyOptional({ format: 'uuid', description: '项目（供给，含工会自办的送温暖、金秋助学等）' })
  @IsOptional()
  @IsUUID('all', { message: '项目 id 格式不正确' })
  offerId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: '合作方' })
  @IsOptional()
  @IsUUID('all', { message: '合作方 id 格式不正确' })
  partnerId?: string;
}

export class AidBeneficiaryDto {
  @ApiEnum(['head', 'member'], { description: 'head 户主本人 | member 家庭成员' }) kind!: 'head' | 'member';
  @ApiUuid({ nullable: true }) memberId!: string | null;
  @ApiText({ nullable: true, description: '与户主关系（成员）' }) relation!: string | null;
  @ApiText({ nullable: true, description: '姓名（脱敏）' }) name!: string | null;
}

export class AidLedgerEntryDto {
  @ApiUuid() id!: string;
  @ApiUuid() archiveId!: string;
  @ApiText({ nullable: true }) archiveNo!: string | null;
  @ApiText({ description: '户主姓名（脱敏）' }) headName!: string;
  @ApiNested(() => AidBeneficiaryDto) beneficiary!: AidBeneficiaryDto;
  @ApiUuid({ nullable: true, description: '项目（供给）' }) offerId!: string | null;
  @ApiText({ nullable: true }) offerTitle!: string | null;
  @ApiUuid({ nullable: true }) partnerId!: string | null;
  @ApiText({ nullable: true }) partnerName!: string | null;
  @ApiText({ nullable: true }) itemCode!: string | null;
  @ApiText({ nullable: true }) itemName!: string | null;
  @ApiEnum(MENU_CATEGORIES) category!: MenuCategory;
  @ApiEnum(CAUSES, { description: '所针对的致困原因' }) cause!: Cause;
  @ApiInt({ description: '金额或折价（分）；冲销记录为负数' }) valueFen!: number;
  @ApiDate({ description: '受助日期（北京时间）' }) date!: string;
  @ApiEnum(RECEIPT_MODES, { description: '领取方式' }) receivedVia!: ReceiptMode;
  @ApiUuid({ nullable: true }) matchId!: string | null;
  @ApiUuid({ nullable: true, description: '本行冲销的原记录' }) reverses!: string | null;
  @ApiUuid({ nullable: true, description: '冲销本行的记录' }) reversedBy!: string | null;
  @ApiText({ nullable: true, description: '冲销原因' }) note!: string | null;
  @ApiUuid() orgUnitId!: string;
  @ApiText() orgUnitName!: string;
  @ApiDateTime() createdAt!: string;
}

export class AidCategoryTotalDto {
  @ApiEnum(MENU_CATEGORIES) category!: MenuCategory;
  @ApiInt({ description: '净额（分，已扣除冲销）' }) valueFen!: number;
  @ApiInt({ description: '登记笔数（不含冲销记录）' }) rows!: number;
}

export class AidUnitTotalDto {
  @ApiUuid() orgUnitId!: string;
  @ApiText() orgUnitName!: string;
  @ApiInt({ description: '净额（分，已扣除冲销）' }) valueFen!: number;
  @ApiInt({ description: '登记笔数（不含冲销记录）' }) rows!: number;
}

export class AidTotalsDto {
  @ApiNested(() => AidCategoryTotalDto, { isArray: true }) byCategory!: AidCategoryTotalDto[];
  @ApiNested(() => AidUnitTotalDto, { isArray: true, description: '按档案所属单位' })
  byUnit!: AidUnitTotalDto[];
}

export class AidLedgerPageDto {
  @ApiNested(() => AidLedgerEntryDto, { isArray: true }) items!: AidLedgerEntryDto[];
  @ApiInt() total!: number;
  @ApiInt() page!: number;
  @ApiInt() pageSize!: number;
  @ApiNested(() => AidTotalsDto, { description: '筛选范围内的合计（不分页）' }) totals!: AidTotalsDto;
}
