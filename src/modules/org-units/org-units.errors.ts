import { defineErrors } from '../../common/errors';

export const OrgUnitsErrorCode = defineErrors({
  ORG_UNIT_NOT_FOUND: { status: 404, message: '工会组织不存在' },
  ORG_UNIT_ROOT_EXISTS: { status: 409, message: '全国总工会（根单位）已存在，只能有一个' },
  ORG_UNIT_ROOT_MUST_BE_NATIONAL: { status: 422, message: '没有上级的单位只能是全国总工会' },
  ORG_UNIT_NATIONAL_HAS_NO_PARENT: { status: 422, message: '全国总工会不能设上级单位' },
  ORG_UNIT_PARENT_IS_LEAF: { status: 422, message: '分工会下不能再设下级单位' },
  ORG_UNIT_LEVEL_MISMATCH: {
    status: 422,
    message: '下级单位的层级必须低于上级单位（全总 > 省 > 市 > 区县 > 基层 > 分工会）',
  },
  ORG_UNIT_BRANCH_PARENT_INVALID: { status: 422, message: '分工会只能设在基层（企业）工会之下' },
  ORG_UNIT_INDUSTRY_LEVEL_INVALID: { status: 422, message: '产业工会只能是省、市或区县一级' },
  ORG_UNIT_INDUSTRY_CHILD_INVALID: { status: 422, message: '产业工会之下只能设基层工会或下级产业工会' },
  ORG_UNIT_REGION_CODE_INVALID: { status: 422, message: '行政区划代码与单位层级不符（GB/T 2260）' },
  ORG_UNIT_REGION_OUTSIDE_PARENT: { status: 422, message: '行政区划代码不在上级单位的行政区域内' },
  ORG_UNIT_NAME_TAKEN: { status: 409, message: '同一上级单位下已有同名单位' },
});
