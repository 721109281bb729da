import { findUnmaskedPersonalData } from '../../common/masking';
import {
  NOTIFICATION_EVENTS,
  NOTIFICATION_LIMITS,
  renderNotification,
  type NotificationEvent,
  type NotificationParams,
} from './notification-events';

/** Realistic, long-ish parameters for every event (names as long as the tables allow them). */
const SAMPLES: { [E in NotificationEvent]: NotificationParams[E][] } = {
  'need.screened': [
    { itemName: '金秋助学（大学新生）', decision: 'approve' },
    { itemName: '金秋助学（大学新生）', decision: 'reject' },
  ],
  'match.proposed': [{ itemName: '焊工技能培训' }],
  'match.approved': [{ itemName: '焊工技能培训', partnerName: '杭州市西湖区爱心志愿者协会（社会组织）' }],
  'match.accepted': [{ itemName: '焊工技能培训', partnerName: '浙江绿源纺织有限公司' }],
  'match.declined': [{ itemName: '法律援助' }],
  'match.delivered': [{ itemName: '米面油慰问品' }],
  'match.confirm-receipt': [{ itemName: '临时生活救助金' }],
  'match.reminder': [{ itemName: '临时生活救助金', stateName: '待审批', dueOn: '2026-12-31' }],
  'match.escalated': [{ itemName: '大病医疗救助', stateName: '服务中', unitName: '杭州市西湖区总工会' }],
  'partner.approved': [{ partnerName: '浙江绿源纺织有限公司' }],
  'partner.suspended': [{ partnerName: '浙江绿源纺织有限公司' }],
};

describe('notification templates', () => {
  it.each(NOTIFICATION_EVENTS.flatMap((event) => SAMPLES[event].map((params) => [event, params] as const)))(
    '%s renders Chinese text within the limits, with no ID, phone or bank card number',
    (event, params) => {
      const { title, body } = renderNotification(event, params as never);
      expect(title.length).toBeGreaterThan(0);
      expect(title.length).toBeLessThanOrEqual(NOTIFICATION_LIMITS.title);
      expect(body.length).toBeGreaterThan(0);
      expect(body.length).toBeLessThanOrEqual(NOTIFICATION_LIMITS.body);
      expect(`${title}${body}`).toMatch(/[\u4e00-\u9fff]/);
      expect(findUnmaskedPersonalData(`${title}\n${body}`)).toEqual([]);
      // Every parameter shows up: nothing the caller passed is silently dropped.
      for (const [key, value] of Object.entries(params))
        if (key !== 'decision') expect(`${title}${body}`).toContain(value);
    },
  );

  it('has a sample for every event, and the screening outcomes differ', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...NOTIFICATION_EVENTS].sort());
    const [approve, reject] = SAMPLES['need.screened'].map((p) => renderNotification('need.screened', p));
    expect(approve!.title).not.toBe(reject!.title);
  });

  it('the scan the service applies catches a number smuggled in through a parameter', () => {
    const { body } = renderNotification('partner.approved', { partnerName: '联系人13812345678' });
    expect(findUnmaskedPersonalData(body).map((h) => h.kind)).toContain('phone');
  });
});
