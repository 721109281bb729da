import { defineErrors } from '../../common/errors';

export const MenuErrorCode = defineErrors({
  /** details: `{ code }`. Also for an inactive item asked for on the public menu. */
  MENU_ITEM_NOT_FOUND: { status: 404, message: '服务菜单项目不存在或已停用' },
  /** details: `{ code }`. */
  MENU_ITEM_CODE_TAKEN: { status: 409, message: '该项目代码已被使用（停用的项目也占用代码），请换一个' },
  /** details: `{ currentVersion }`. */
  MENU_ITEM_VERSION_CONFLICT: { status: 409, message: '该项目已被他人修改，请刷新后重试' },
  /** details: `{ active }`. */
  MENU_ITEM_ALREADY_IN_STATE: { status: 409, message: '该项目已处于所要求的启用/停用状态' },
  /** details: `{ field }`: the menu is public; no ID, phone or bank card number belongs in it. */
  MENU_TEXT_CONTAINS_PERSONAL_DATA: {
    status: 422,
    message: '服务菜单的文字（及停用原因）不能包含身份证号、手机号或银行卡号',
  },
  /** details: `{ problems: [{ field, message }] }`. */
  MENU_ITEM_INCONSISTENT: { status: 422, message: '服务菜单项目的设置相互矛盾' },
});
