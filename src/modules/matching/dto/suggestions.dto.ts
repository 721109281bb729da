import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { oneOf } from '../../../common/validation';
import {
  ApiBool,
  ApiDate,
  ApiDecimal,
  ApiEnum,
  ApiInt,
  ApiNested,
  ApiText,
  ApiUuid,
} from '../../../common/openapi/api-field';
import { QueryInt } from '../../../common/pagination/pagination';
import { ARCHIVE_CATEGORIES, type ArchiveCategory } from '../../archives/archive.enums';
import { AGE_BANDS, NEED_URGENCIES, type AgeBand, type NeedUrgency } from '../../needs/needs.enums';
import { OFFER_KINDS, type OfferKind } from '../../offers/offers.enums';
import { HARD_FILTERS, type HardFilter } from '../filters/hard-filters.rule';
import { FACTORS, type Factor } from '../scoring/factors';

/** The most suggestions one page holds. */
export const MAX_SUGGESTION_PAGE_SIZE = 50;

export class SuggestionsQueryDto {
  @ApiInt({ optional: true, minimum: 1, maximum: 1000, default: 1 })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(1000)
  page: number = 1;

  @ApiInt({ optional: true, minimum: 1, maximum: MAX_SUGGESTION_PAGE_SIZE, default: 20 })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(MAX_SUGGESTION_PAGE_SIZE)
  pageSize: number = 20;
}

const REGION_PREFIX = /^(\d{2}){1,3}$/;
const MODES = ['online', 'onsite'] as const;

export class NeedSuggestionsQueryDto extends SuggestionsQueryDto {
  @ApiEnum(OFFER_KINDS, { optional: true, description: '只看该类型的供给' })
  @IsOptional()
  @IsIn(OFFER_KINDS, oneOf('供给类型', OFFER_KINDS))
  kind?: OfferKind;

  @ApiEnum(MODES, { optional: true, description: 'online 线上供给；onsite 线下供给' })
  @IsOptional()
  @IsIn(MODES, oneOf('服务方式', MODES))
  mode?: (typeof MODES)[number];

  @ApiText({ optional: true, description: '只看服务地点在该地区（2、4或6位地区代码）的供给' })
  @IsOptional()
  @Matches(REGION_PREFIX, { message: '地区前缀须为2、4或6位数字' })
  regionPrefix?: string;

  @ApiPropertyOptional({
    enum: ['excluded'],
    description: '工作人员可用：同时列出得分最高的被排除供给（至多20条）及排除原因',
  })
  @IsOptional()
  @IsIn(['excluded'], { message: 'explain 只能为 excluded' })
  explain?: 'excluded';
}

export class OfferSuggestionsQueryDto extends SuggestionsQueryDto {
  @ApiEnum(NEED_URGENCIES, { optional: true, description: '只看该紧急程度的需求' })
  @IsOptional()
  @IsIn(NEED_URGENCIES, oneOf('紧急程度', NEED_URGENCIES))
  urgency?: NeedUrgency;

  @ApiEnum(ARCHIVE_CATEGORIES, { optional: true, description: '只看该困难类别的家庭的需求' })
  @IsOptional()
  @IsIn(ARCHIVE_CATEGORIES, oneOf('困难类别', ARCHIVE_CATEGORIES))
  archiveCategory?: ArchiveCategory;

  @ApiText({ optional: true, description: '只看该地区（2、4或6位地区代码）的需求' })
  @IsOptional()
  @Matches(REGION_PREFIX, { message: '地区前缀须为2、4或6位数字' })
  regionPrefix?: string;
}

export class ScoreTermDto {
  @ApiEnum(FACTORS, { enumName: 'ScoreFactor' }) factor!: Factor;
  @ApiText({ description: '中文说明' }) label!: string;
  @ApiDecimal() weight!: number;
  @ApiDecimal({ description: '因子取值，0–1' }) value!: number;
  @ApiDecimal({ description: '权重 × 取值' }) contribution!: number;
}

/** An offer suggested for a need: no partner contact, whoever asks. */
export class OfferSuggestionDto {
  @ApiUuid() offerId!: string;
  @ApiText() title!: string;
  @ApiText({ description: '合作方名称' }) partnerName!: string;
  @ApiEnum(OFFER_KINDS, { enumName: 'OfferKind' }) kind!: OfferKind;
  @ApiInt({ description: '剩余名额（资金类：剩余可资助人数）' }) remaining!: number;
  @ApiDate() validFrom!: string;
  @ApiDate() validUntil!: string;
  @ApiText({ description: '服务地点所在地区代码' }) regionCode!: string;
  @ApiBool() online!: boolean;
  @ApiDecimal({ description: '总分 Σ 权重 × 因子' }) total!: number;
  @ApiNested(() => ScoreTermDto, { isArray: true }) breakdown!: ScoreTermDto[];
}

export class ExclusionDto {
  @ApiEnum(HARD_FILTERS, { enumName: 'HardFilter' }) code!: HardFilter;
  @ApiText() message!: string;
}

/** A candidate a hard filter excluded, with every filter it fails (`?explain=excluded`, staff only). */
export class ExcludedOfferDto {
  @ApiUuid() offerId!: string;
  @ApiText() title!: string;
  @ApiText() partnerName!: string;
  @ApiDecimal({ description: '若不排除时的总分' }) total!: number;
  @ApiNested(() => ExclusionDto, { isArray: true }) excludedBy!: ExclusionDto[];
}

export class OfferSuggestionPageDto {
  @ApiNested(() => OfferSuggestionDto, { isArray: true }) items!: OfferSuggestionDto[];
  @ApiInt({ description: '通过全部硬性条件的候选数（至多检索前 200 个候选）' }) total!: number;
  @ApiInt() page!: number;
  @ApiInt() pageSize!: number;
  @ApiNested(() => ExcludedOfferDto, { isArray: true, optional: true, description: '仅 explain=excluded' })
  excluded?: ExcludedOfferDto[];
}

/**
 * A need suggested for an offer, as a masked card: no name, ID number, phone, address or free text —
 * the item, urgency, district, the beneficiary's age band, household size and archive category.
 */
export class NeedCardDto {
  @ApiUuid() needId!: string;
  @ApiText() itemCode!: string;
  @ApiText() itemName!: string;
  @ApiEnum(NEED_URGENCIES, { enumName: 'NeedUrgency' }) urgency!: NeedUrgency;
  @ApiText({ description: '需求所在区县代码' }) district!: string;
  @ApiEnum([...AGE_BANDS, 'unknown'], { description: '受助人年龄段' }) ageBand!: AgeBand | 'unknown';
  @ApiInt() householdSize!: number;
  @ApiEnum(ARCHIVE_CATEGORIES, { enumName: 'ArchiveCategory' }) archiveCategory!: ArchiveCategory;
  @ApiDecimal() total!: number;
  @ApiNested(() => ScoreTermDto, { isArray: true }) breakdown!: ScoreTermDto[];
}

export class NeedSuggestionPageDto {
  @ApiNested(() => NeedCardDto, { isArray: true }) items!: NeedCardDto[];
  @ApiInt({ description: '通过全部硬性条件的候选数（至多检索前 200 个候选）' }) total!: number;
  @ApiInt() page!: number;
  @ApiInt() pageSize!: number;
}
