import { DataSource } from 'typeorm';
import type { Cell, Fixture } from './fixtures';

/** A notification in the inbox of the actor (own_record) or of another worker (other_record, anonymous). */
async function notificationFor(cell: Cell): Promise<string> {
  const recipient =
    cell.caseName === 'own_record' && cell.actor ? cell.actor.userId : cell.world.otherWorker.userId;
  const [row] = await cell.world.t.app.get(DataSource).query(
    `INSERT INTO notifications (recipient_id, event, title, body, delivery_state)
       VALUES ($1, 'match.approved', '对接已审批', '“焊工技能培训”已对接成功。', 'sent') RETURNING id`,
    [recipient],
  );
  return (row as { id: string }).id;
}

/** Every account's own inbox. */
export const NOTIFICATIONS_FIXTURES: Record<string, Fixture> = {
  'GET /api/v1/notifications': { prepare: async () => ({ path: '/api/v1/notifications' }) },
  'GET /api/v1/notifications/unread-count': {
    prepare: async () => ({ path: '/api/v1/notifications/unread-count' }),
  },
  'POST /api/v1/notifications/read-all': {
    prepare: async () => ({ path: '/api/v1/notifications/read-all' }),
  },
  'POST /api/v1/notifications/{id}/read': {
    prepare: async (cell) => ({ path: `/api/v1/notifications/${await notificationFor(cell)}/read` }),
  },
};
