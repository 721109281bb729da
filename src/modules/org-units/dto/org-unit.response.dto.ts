import { ApiProperty } from '@nestjs/swagger';
import { ApiBool, ApiDateTime, ApiEnum, ApiInt, ApiNested, ApiUuid } from '../../../common/openapi/api-field';
import type { Page } from '../../../common/pagination/pagination';
import { ORG_LEVELS, OrgLevel, OrgUnitEntity } from '../org-unit.entity';

/** A union unit as clients see it. Units hold no personal data; the materialized path stays internal. */
export class OrgUnitResponseDto {
  @ApiUuid() id!: string;
  @ApiUuid({ nullable: true }) parentId!: string | null;
  @ApiProperty({ example: '杭州市西湖区总工会' }) name!: string;
  @ApiEnum(ORG_LEVELS, { enumName: 'OrgLevel' }) level!: OrgLevel;
  @ApiProperty({ example: '330106', description: 'GB/T 2260 行政区划代码' }) regionCode!: string;
  @ApiBool({ description: '产业工会' }) industry!: boolean;
  @ApiInt({ description: '层级深度，全国总工会为 0' }) depth!: number;
  @ApiDateTime() createdAt!: string;
  @ApiDateTime() updatedAt!: string;

  static from(unit: OrgUnitEntity): OrgUnitResponseDto {
    return {
      id: unit.id,
      parentId: unit.parentId,
      name: unit.name,
      level: unit.level,
      regionCode: unit.regionCode,
      industry: unit.industry,
      depth: unit.path.split('/').filter(Boolean).length - 1,
      createdAt: unit.createdAt.toISOString(),
      updatedAt: unit.updatedAt.toISOString(),
    };
  }
}

export class OrgUnitPageDto {
  @ApiNested(() => OrgUnitResponseDto, { isArray: true }) items!: OrgUnitResponseDto[];
  @ApiInt() total!: number;
  @ApiInt() page!: number;
  @ApiInt() pageSize!: number;

  static from(page: Page<OrgUnitEntity>): OrgUnitPageDto {
    return { ...page, items: page.items.map((unit) => OrgUnitResponseDto.from(unit)) };
  }
}
