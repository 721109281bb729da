import { ApiDateTime, ApiEnum, ApiInt, ApiNested, ApiText, ApiUuid } from '../../../common/openapi/api-field';
import { MATCH_STATES, type MatchState } from '../matches.enums';
import { SLA_ACTORS, type SlaActor } from '../rules/match-sla.rule';

/** A match past its state's deadline (issue 13 §4), as the overdue view lists it: no personal data. */
export class OverdueMatchDto {
  @ApiUuid() id!: string;
  @ApiUuid() needId!: string;
  @ApiUuid() offerId!: string;
  @ApiEnum(MATCH_STATES, { enumName: 'MatchState' }) state!: MatchState;
  @ApiText({ description: '服务项目' }) itemName!: string;
  @ApiText({ description: '需求所在单位' }) unitName!: string;
  @ApiDateTime({ description: '进入当前状态的时间' }) enteredAt!: string;
  @ApiDateTime({ description: '当前状态的办理时限' }) deadline!: string;
  @ApiInt({ minimum: 0, description: '已超时整天数（不足一天为 0）' }) daysOverdue!: number;
  @ApiEnum(SLA_ACTORS, {
    enumName: 'SlaActor',
    description: '应办理方：reviewer 审核人员、partner 服务方、worker 职工本人、caseworker 经办人员',
  })
  mustAct!: SlaActor;
}

export class OverdueMatchPageDto {
  @ApiNested(() => OverdueMatchDto, { isArray: true }) items!: OverdueMatchDto[];
  @ApiInt() total!: number;
  @ApiInt() page!: number;
  @ApiInt() pageSize!: number;
}
