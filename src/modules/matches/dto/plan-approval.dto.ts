import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsUUID, ValidateNested } from 'class-validator';
import { ApiInt, ApiNested, ApiText, ApiUuid } from '../../../common/openapi/api-field';
import { OmittableNotNull } from '../../../common/validation';
import { DuplicateCauseOverrideDto } from './matches.dto';

/** One line's override of 不重复救助 (approvers only). */
export class PlanLineOverrideDto extends DuplicateCauseOverrideDto {
  @ApiUuid({ description: '该行的需求' })
  @IsUUID('all', { message: '需求 id 格式不正确' })
  needId!: string;
}

/** The most lines one approval call takes (a larger plan is approved in several calls). */
export const MAX_PLAN_LINES_PER_CALL = 5000;

/** POST /allocations/:id/approve: every assigned line, or those of `needIds`. */
export class ApprovePlanDto {
  @ApiUuid({
    isArray: true,
    optional: true,
    description: `只审批这些需求的对接（须为方案中已分配的行，至多${MAX_PLAN_LINES_PER_CALL}个）；不填则审批全部`,
  })
  @OmittableNotNull()
  @IsArray({ message: '需求须为列表' })
  @ArrayMinSize(1, { message: '需求列表不能为空' })
  @ArrayMaxSize(MAX_PLAN_LINES_PER_CALL, { message: `一次最多审批${MAX_PLAN_LINES_PER_CALL}条` })
  @ArrayUnique({ message: '需求不能重复' })
  @IsUUID('all', { each: true, message: '需求 id 格式不正确' })
  needIds?: string[];

  @ApiPropertyOptional({
    type: () => [PlanLineOverrideDto],
    description:
      '仅审批人可用：对这些需求的行越过“不重复救助”（写明理由，留痕）；金额上限不可越过；须为方案中已分配的行',
  })
  @OmittableNotNull()
  @IsArray({ message: '越过理由须为列表' })
  @ArrayMaxSize(MAX_PLAN_LINES_PER_CALL, { message: `一次最多${MAX_PLAN_LINES_PER_CALL}条` })
  @ValidateNested({ each: true })
  @Type(() => PlanLineOverrideDto)
  duplicateCauseOverrides?: PlanLineOverrideDto[];
}

export class PlanLineOutcomeDto {
  @ApiUuid() needId!: string;
  @ApiUuid() offerId!: string;
  @ApiUuid({ nullable: true, description: '审批通过时生成的对接' }) matchId!: string | null;
  @ApiText({
    description: 'approved，或未能审批的错误代码（如 OFFER_CAPACITY_EXHAUSTED、MATCH_NEED_NOT_OPEN）',
  })
  outcome!: string;
  @ApiText({ nullable: true, description: '未能审批的中文原因' }) message!: string | null;
}

export class PlanApprovalDto {
  @ApiUuid() allocationId!: string;
  @ApiInt() approved!: number;
  @ApiInt({ description: '未能审批的行数（原因见各行）' }) refused!: number;
  @ApiNested(() => PlanLineOutcomeDto, { isArray: true }) lines!: PlanLineOutcomeDto[];
}
