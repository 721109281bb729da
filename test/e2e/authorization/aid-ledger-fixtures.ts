import type { Fixture } from './fixtures';

/** The staff aid ledger (its household view is an archive read: see archive-fixtures.ts). */
export const AID_LEDGER_FIXTURES: Record<string, Fixture> = {
  'GET /api/v1/aid-ledger': { prepare: async () => ({ path: '/api/v1/aid-ledger' }) },
};
