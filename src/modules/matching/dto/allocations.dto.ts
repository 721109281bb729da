import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  ApiBool,
  ApiDateTime,
  ApiDecimal,
  ApiEnum,
  ApiInt,
  ApiNested,
  ApiText,
  ApiUuid,
} from '../../../common/openapi/api-field';
import { PaginationQueryDto } from '../../../common/pagination/pagination';
import { OmittableNotNull, oneOf } from '../../../common/validation';
import { MENU_CATEGORIES, MENU_ITEM_CODE_PATTERN, type MenuCategory } from '../../menu/menu.enums';
import { NEED_URGENCIES, type NeedUrgency } from '../../needs/needs.enums';
import { OFFER_KINDS, type OfferKind } from '../../offers/offers.enums';
import type { AllocationStrategy } from '../allocation/instance';
import {
  ALLOCATION_PHASES,
  ALLOCATION_STATES,
  UNASSIGNED_REASONS,
  type AllocationNeedFilter,
  type AllocationOfferFilter,
  type AllocationPhase,
  type AllocationState,
  type UnassignedReason,
} from '../allocations/allocations.enums';
import { ScoreTermDto } from './suggestions.dto';

const STRATEGIES = ['optimal', 'greedy'] as const;
/** The most offers a request may name one by one. */
export const MAX_NAMED_OFFERS = 5000;
const LIST_MAX = 50;

const itemCodes = () =>
  applyDecorators(
    OmittableNotNull(),
    IsArray({ message: '服务项目须为列表' }),
    ArrayMinSize(1, { message: '服务项目列表不能为空' }),
    ArrayMaxSize(LIST_MAX, { message: `服务项目最多${LIST_MAX}个` }),
    ArrayUnique({ message: '服务项目不能重复' }),
    Matches(MENU_ITEM_CODE_PATTERN, { each: true, message: '服务菜单项目代码格式不正确' }),
  );

export class AllocationOfferFilterDto implements AllocationOfferFilter {
  @ApiText({ isArray: true, optional: true, description: '含其中任一服务项目的供给' })
  @itemCodes()
  itemCodes?: string[];

  @ApiUuid({ isArray: true, optional: true, description: '这些合作方的供给' })
  @OmittableNotNull()
  @IsArray({ message: '合作方须为列表' })
  @ArrayMinSize(1, { message: '合作方列表不能为空' })
  @ArrayMaxSize(LIST_MAX, { message: `合作方最多${LIST_MAX}个` })
  @ArrayUnique({ message: '合作方不能重复' })
  @IsUUID('all', { each: true, message: '合作方 id 格式不正确' })
  partnerIds?: string[];

  @ApiEnum(OFFER_KINDS, { isArray: true, optional: true })
  @OmittableNotNull()
  @IsArray({ message: '供给类型须为列表' })
  @ArrayMinSize(1, { message: '供给类型列表不能为空' })
  @ArrayUnique({ message: '供给类型不能重复' })
  @IsIn(OFFER_KINDS, { each: true, ...oneOf('供给类型', OFFER_KINDS) })
  kinds?: OfferKind[];
}

export class AllocationNeedFilterDto implements AllocationNeedFilter {
  @ApiText({ isArray: true, optional: true, description: '这些服务项目的需求' })
  @itemCodes()
  itemCodes?: string[];

  @ApiEnum(MENU_CATEGORIES, { isArray: true, optional: true })
  @OmittableNotNull()
  @IsArray({ message: '类别须为列表' })
  @ArrayMinSize(1, { message: '类别列表不能为空' })
  @ArrayUnique({ message: '类别不能重复' })
  @IsIn(MENU_CATEGORIES, { each: true, ...oneOf('类别', MENU_CATEGORIES) })
  categories?: MenuCategory[];

  @ApiEnum(NEED_URGENCIES, { isArray: true, optional: true })
  @OmittableNotNull()
  @IsArray({ message: '紧急程度须为列表' })
  @ArrayMinSize(1, { message: '紧急程度列表不能为空' })
  @ArrayUnique({ message: '紧急程度不能重复' })
  @IsIn(NEED_URGENCIES, { each: true, ...oneOf('紧急程度', NEED_URGENCIES) })
  urgencies?: NeedUrgency[];
}

/** POST /allocations: a scope, which offers, which needs, how. */
export class CreateAllocationDto {
  @ApiUuid({ description: '分配范围：该单位及下级单位的待对接需求' })
  @IsUUID('all', { message: '单位 id 格式不正确' })
  orgUnitId!: string;

  @ApiEnum(STRATEGIES, {
    optional: true,
    default: 'optimal',
    description: 'optimal 精确最优；greedy 按得分贪心',
  })
  @OmittableNotNull()
  @IsIn(STRATEGIES, oneOf('分配策略', STRATEGIES))
  strategy: AllocationStrategy = 'optimal';

  @ApiInt({
    optional: true,
    minimum: 1,
    maximum: 200,
    description: '每个需求参与求解的候选供给数 K（默认见配置）',
  })
  @OmittableNotNull()
  @IsInt({ message: '候选供给数须为整数' })
  @Min(1, { message: '候选供给数至少为1' })
  @Max(200, { message: '候选供给数至多为200' })
  maxCandidatesPerNeed?: number;

  @ApiUuid({
    isArray: true,
    optional: true,
    description: `逐个指定参与分配的供给（至多${MAX_NAMED_OFFERS}个）；与 offerFilter 二选一，都不填则为可覆盖该范围的全部已发布供给`,
  })
  @OmittableNotNull()
  @IsArray({ message: '供给须为列表' })
  @ArrayMinSize(1, { message: '供给列表不能为空' })
  @ArrayMaxSize(MAX_NAMED_OFFERS, { message: `供给最多${MAX_NAMED_OFFERS}个` })
  @ArrayUnique({ message: '供给不能重复' })
  @IsUUID('all', { each: true, message: '供给 id 格式不正确' })
  offerIds?: string[];

  @ApiPropertyOptional({ type: () => AllocationOfferFilterDto })
  @OmittableNotNull()
  @IsObject({ message: '供给筛选条件须为对象' })
  @ValidateNested()
  @Type(() => AllocationOfferFilterDto)
  offerFilter?: AllocationOfferFilterDto;

  @ApiPropertyOptional({ type: () => AllocationNeedFilterDto, description: '默认：范围内全部待对接需求' })
  @OmittableNotNull()
  @IsObject({ message: '需求筛选条件须为对象' })
  @ValidateNested()
  @Type(() => AllocationNeedFilterDto)
  needFilter?: AllocationNeedFilterDto;
}

export class ListAllocationsQueryDto extends PaginationQueryDto {
  @ApiEnum(ALLOCATION_STATES, { optional: true })
  @IsOptional()
  @IsIn(ALLOCATION_STATES, oneOf('状态', ALLOCATION_STATES))
  state?: AllocationState;
}

export class AllocationLinesQueryDto extends PaginationQueryDto {
  @ApiPropertyOptional({
    enum: ['assigned', 'unassigned'],
    default: 'assigned',
    description: 'assigned 方案中的对接；unassigned 未分到供给的需求及原因',
  })
  @IsOptional()
  @IsIn(['assigned', 'unassigned'], { message: 'lines 只能为 assigned 或 unassigned' })
  lines: 'assigned' | 'unassigned' = 'assigned';
}

export class AllocationProgressDto {
  @ApiEnum(ALLOCATION_PHASES, { nullable: true }) phase!: AllocationPhase | null;
  @ApiInt({ description: '候选阶段：已处理的需求数；求解阶段：已处理的需求（或名额）数' }) done!: number;
  @ApiInt() total!: number;
}

export class UnassignedCountsDto {
  @ApiInt() no_eligible_offer!: number;
  @ApiInt() capacity_taken!: number;
  @ApiInt() changed_during_run!: number;
}

export class AllocationResultDto {
  @ApiInt({ description: '参与分配的需求数' }) needs!: number;
  @ApiInt({ description: '参与分配的供给数' }) offers!: number;
  @ApiInt({ description: '候选对（边）数' }) edges!: number;
  @ApiInt({ description: '方案中的对接数' }) assigned!: number;
  @ApiNested(() => UnassignedCountsDto) unassigned!: UnassignedCountsDto;
  @ApiDecimal({ description: '方案总得分（各对接得分之和）' }) total!: number;
  @ApiDecimal({ nullable: true, description: '最优解总得分（仅 optimal）' }) optimalTotal!: number | null;
  @ApiDecimal({ nullable: true, description: '对偶上界（仅 optimal）；optimalTotal 等于它即证明最优' })
  bound!: number | null;
  @ApiDecimal({ description: '贪心解总得分' }) greedyTotal!: number;
  @ApiDecimal({ nullable: true, description: '贪心 ÷ 最优' }) greedyRatio!: number | null;
  @ApiDecimal({ description: '求解耗时（秒）' }) seconds!: number;
}

export class AllocationDto {
  @ApiUuid() id!: string;
  @ApiUuid() orgUnitId!: string;
  @ApiText() orgUnitName!: string;
  @ApiEnum(STRATEGIES) strategy!: AllocationStrategy;
  @ApiInt() maxCandidatesPerNeed!: number;
  @ApiUuid({ isArray: true, nullable: true }) offerIds!: string[] | null;
  @ApiNested(() => AllocationOfferFilterDto) offerFilter!: AllocationOfferFilterDto;
  @ApiNested(() => AllocationNeedFilterDto) needFilter!: AllocationNeedFilterDto;
  @ApiEnum(ALLOCATION_STATES) state!: AllocationState;
  @ApiNested(() => AllocationProgressDto) progress!: AllocationProgressDto;
  @ApiText({ nullable: true }) errorCode!: string | null;
  @ApiText({ nullable: true }) errorMessage!: string | null;
  @ApiNested(() => AllocationResultDto, { nullable: true }) result!: AllocationResultDto | null;
  @ApiBool({ description: '方案超过有效时长（需重新运行）' }) stale!: boolean;
  @ApiDateTime({ nullable: true, description: '方案有效至' }) validUntil!: string | null;
  @ApiUuid() createdBy!: string;
  @ApiDateTime() createdAt!: string;
  @ApiDateTime({ nullable: true }) startedAt!: string | null;
  @ApiDateTime({ nullable: true }) finishedAt!: string | null;
  @ApiDateTime({ nullable: true }) discardedAt!: string | null;
}

export class AllocationPageDto {
  @ApiNested(() => AllocationDto, { isArray: true }) items!: AllocationDto[];
  @ApiInt() total!: number;
  @ApiInt() page!: number;
  @ApiInt() pageSize!: number;
}

/** One need of the plan: its offer and the pair's score, or why it got none. Never personal data. */
export class AllocationLineDto {
  @ApiUuid() needId!: string;
  @ApiText() itemCode!: string;
  @ApiText() itemName!: string;
  @ApiEnum(NEED_URGENCIES) urgency!: NeedUrgency;
  @ApiText({ description: '需求所在单位' }) unitName!: string;
  @ApiUuid({ nullable: true }) offerId!: string | null;
  @ApiText({ nullable: true }) offerTitle!: string | null;
  @ApiText({ nullable: true }) partnerName!: string | null;
  @ApiDecimal({ nullable: true, description: '得分（同推荐）' }) total!: number | null;
  @ApiNested(() => ScoreTermDto, { isArray: true, nullable: true }) breakdown!: ScoreTermDto[] | null;
  @ApiEnum(UNASSIGNED_REASONS, { nullable: true }) reason!: UnassignedReason | null;
  @ApiText({ nullable: true }) reasonMessage!: string | null;
}

export class AllocationLinePageDto {
  @ApiNested(() => AllocationLineDto, { isArray: true }) items!: AllocationLineDto[];
  @ApiInt() total!: number;
  @ApiInt() page!: number;
  @ApiInt() pageSize!: number;
}
