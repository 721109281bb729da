/**
 * Every notification event and its Chinese message, in one place (issue 13 §5). A template takes names
 * and codes only — item and partner names, state names, dates — never an ID number, a phone number or a
 * bank account: notification-events.spec.ts renders each one and scans it, and NotificationsService
 * refuses any text that holds one.
 */

export const NOTIFICATION_EVENTS = [
  'need.screened',
  'match.proposed',
  'match.approved',
  'match.accepted',
  'match.declined',
  'match.delivered',
  'match.confirm-receipt',
  'match.reminder',
  'match.escalated',
  'partner.approved',
  'partner.suspended',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

/** What a notification links to (its `ref`). */
export const NOTIFICATION_REF_TYPES = ['need', 'match', 'offer', 'partner', 'archive'] as const;
export type NotificationRefType = (typeof NOTIFICATION_REF_TYPES)[number];

export interface NotificationParams {
  'need.screened': { itemName: string; decision: 'approve' | 'reject' };
  'match.proposed': { itemName: string };
  'match.approved': { itemName: string; partnerName: string };
  'match.accepted': { itemName: string; partnerName: string };
  'match.declined': { itemName: string };
  'match.delivered': { itemName: string };
  'match.confirm-receipt': { itemName: string };
  /** `stateName` in Chinese (e.g. 待审批), `dueOn` YYYY-MM-DD. */
  'match.reminder': { itemName: string; stateName: string; dueOn: string };
  'match.escalated': { itemName: string; stateName: string; unitName: string };
  'partner.approved': { partnerName: string };
  'partner.suspended': { partnerName: string };
}

export interface RenderedNotification {
  title: string;
  body: string;
}

type Templates = { [E in NotificationEvent]: (p: NotificationParams[E]) => RenderedNotification };

const TEMPLATES: Templates = {
  'need.screened': (p) =>
    p.decision === 'approve'
      ? { title: '需求已通过审核', body: `您申请的“${p.itemName}”已通过审核，工会正在为您对接帮扶资源。` }
      : {
          title: '需求未通过审核',
          body: `您申请的“${p.itemName}”未通过审核，原因请登录查看，如有疑问请联系所在工会。`,
        },
  'match.proposed': (p) => ({
    title: '有新的对接待审批',
    body: `“${p.itemName}”有一条新的对接建议，请及时审批。`,
  }),
  'match.approved': (p) => ({
    title: '对接已审批',
    body: `“${p.itemName}”已与${p.partnerName}对接成功，等待服务方接单。`,
  }),
  'match.accepted': (p) => ({
    title: '服务方已接单',
    body: `${p.partnerName}已接单“${p.itemName}”，将按约定与您联系。`,
  }),
  'match.declined': (p) => ({
    title: '对接未能接单',
    body: `“${p.itemName}”的本次对接未能接单，工作人员将为您另行安排。`,
  }),
  'match.delivered': (p) => ({
    title: '服务已完成',
    body: `“${p.itemName}”的服务已完成，请确认是否已收到。`,
  }),
  'match.confirm-receipt': (p) => ({
    title: '请确认收到帮扶',
    body: `请确认您本人已收到“${p.itemName}”的帮扶（本人领取）；未收到请联系所在工会。`,
  }),
  'match.reminder': (p) => ({
    title: '对接办理提醒',
    body: `“${p.itemName}”的对接处于“${p.stateName}”环节，请于${p.dueOn}前办理。`,
  }),
  'match.escalated': (p) => ({
    title: '对接超时督办',
    body: `${p.unitName}的“${p.itemName}”对接在“${p.stateName}”环节已超时，请督促办理。`,
  }),
  'partner.approved': (p) => ({
    title: '合作方审核通过',
    body: `${p.partnerName}已通过审核，可以登录发布帮扶资源。`,
  }),
  'partner.suspended': (p) => ({
    title: '合作已暂停',
    body: `${p.partnerName}的合作已暂停，已发布的帮扶资源暂不展示；如有疑问请联系受理的工会。`,
  }),
};

/** The title and body of `event` with `params`. */
export function renderNotification<E extends NotificationEvent>(
  event: E,
  params: NotificationParams[E],
): RenderedNotification {
  return (TEMPLATES[event] as (p: NotificationParams[E]) => RenderedNotification)(params);
}

export const NOTIFICATION_LIMITS = { title: 60, body: 300 } as const;
