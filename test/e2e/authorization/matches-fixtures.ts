import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { FieldCipher } from '../../../src/common/crypto/field-cipher';
import { newStorageKey, OBJECT_STORAGE, type ObjectStorage } from '../../../src/infra/storage';
import type { MatchState } from '../../../src/modules/matches/matches.enums';
import { createArchive, testCipher } from '../../helpers/factories/archives.factory';
import { createMatch, createOpenNeed } from '../../helpers/factories/matches.factory';
import { createMenuItem } from '../../helpers/factories/menu.factory';
import { createOffer } from '../../helpers/factories/offers.factory';
import { unionPartnerOf } from '../../helpers/factories/partners.factory';
import type { Cell, Fixture } from './fixtures';
import { OTHER_PARTNER_ID, PARTNER_ID } from './world';

const ds = (cell: Cell) => cell.world.t.app.get(DataSource);
const DAY = 86_400_000;
const day = (days: number) => new Date(Date.now() + 8 * 3_600_000 + days * DAY).toISOString().slice(0, 10);

/**
 * The open need and the published offer of a cell's match. The need: for unit cases, of an archive of the
 * case's grassroots unit owned by another worker (only the unit decides); for record cases, the worker
 * actor's own household or another's. The offer: the partner actor's organisation (own_record) or the
 * other one (other_record); for unit cases a union programme of the case's unit (staff act for it, and
 * the partner actor is not its partner), scoped to the whole tree.
 */
async function pairFor(cell: Cell): Promise<{ needId: string; offerId: string; archiveId: string }> {
  const { world, caseName, actor } = cell;
  const recordCase = caseName === 'own_record' || caseName === 'other_record';
  const workerOwn = caseName === 'own_record' && actor?.kind === 'worker';
  const { archive } = await createArchive(
    ds(cell),
    {
      orgUnitId: recordCase ? world.units['xihu-gr-1']!.id : cell.unit!.id,
      ownerUserId: workerOwn ? actor!.userId : world.otherWorker.userId,
      status: 'active',
      archiveNo: `330106-2026-${randomBytes(3).toString('hex')}`,
      activatedAt: new Date(),
    },
    testCipher(),
  );
  const partnerId = !recordCase
    ? (await unionPartnerOf(ds(cell), cell.unit!.id)).id
    : caseName === 'other_record' && actor?.kind === 'partner'
      ? OTHER_PARTNER_ID
      : PARTNER_ID;
  const item = await createMenuItem(ds(cell));
  const [root] = await ds(cell).query(`SELECT id FROM org_units WHERE parent_id IS NULL`);
  const offer = await createOffer(ds(cell), cell.world.t.app.get(FieldCipher), partnerId, [item.id], {
    state: 'published',
    scopeOrgUnitId: root.id,
    validFrom: day(-30),
    validUntil: day(180),
  });
  const needId = await createOpenNeed(ds(cell), {
    archiveId: archive.id,
    menuItemId: item.id,
    createdBy: world.otherWorker.userId,
  });
  return { needId, offerId: offer.id, archiveId: archive.id };
}

/** A match of the cell's pair in `state`, proposed by nobody among the actors. */
async function matchFor(cell: Cell, state: MatchState, consent = false) {
  const pair = await pairFor(cell);
  const match = await createMatch(ds(cell), {
    needId: pair.needId,
    offerId: pair.offerId,
    state,
    proposedBy: randomUUID(),
    consent,
  });
  return { ...match, archiveId: pair.archiveId };
}

const command = (name: string, state: MatchState, body: object = {}): Fixture => ({
  grassrootsOnly: true,
  prepare: async (cell) => {
    const m = await matchFor(cell, state);
    return { path: `/api/v1/matches/${m.id}/${name}`, body: { version: m.version, ...body } };
  },
});

/** A minimal valid PDF (the upload check reads the magic bytes). */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/** A delivered match with one evidence file, written the way the service stores one. */
async function evidenceOn(cell: Cell): Promise<{ matchId: string; evidenceId: string }> {
  const m = await matchFor(cell, 'delivered');
  const storage = cell.world.t.app.get<ObjectStorage>(OBJECT_STORAGE);
  const key = newStorageKey('match-evidence', new Date());
  await storage.put(key, PDF, { maxBytes: PDF.length, contentType: 'application/pdf' });
  const [row] = await ds(cell).query(
    `INSERT INTO match_evidence (match_id, file_name, mime_type, size_bytes, sha256, storage_key, uploaded_by,
                                 uploaded_by_kind, uploaded_at)
     VALUES ($1, '签收单.pdf', 'application/pdf', $2, $3, $4, $5, 'staff', now()) RETURNING id`,
    [m.id, PDF.length, createHash('sha256').update(PDF).digest('hex'), key, randomUUID()],
  );
  return { matchId: m.id, evidenceId: row.id as string };
}

export const MATCHES_FIXTURES: Record<string, Fixture> = {
  'POST /api/v1/matches/{id}/evidence': {
    grassrootsOnly: true,
    prepare: async (cell) => ({
      path: `/api/v1/matches/${(await matchFor(cell, 'accepted')).id}/evidence`,
      multipart: {
        fields: {},
        file: { field: 'file', data: PDF, filename: '签收单.pdf', contentType: 'application/pdf' },
      },
    }),
  },
  'GET /api/v1/matches/{id}/evidence': {
    grassrootsOnly: true,
    prepare: async (cell) => ({ path: `/api/v1/matches/${(await evidenceOn(cell)).matchId}/evidence` }),
  },
  'GET /api/v1/matches/{id}/evidence/{evidenceId}': {
    grassrootsOnly: true,
    prepare: async (cell) => {
      const { matchId, evidenceId } = await evidenceOn(cell);
      return { path: `/api/v1/matches/${matchId}/evidence/${evidenceId}` };
    },
  },
  'GET /api/v1/matches': { prepare: async () => ({ path: '/api/v1/matches' }) },
  'GET /api/v1/matches/overdue': { prepare: async () => ({ path: '/api/v1/matches/overdue' }) },
  'POST /api/v1/matches': {
    grassrootsOnly: true,
    prepare: async (cell) => {
      const { needId, offerId } = await pairFor(cell);
      return { path: '/api/v1/matches', body: { needId, offerId } };
    },
  },
  'GET /api/v1/matches/{id}': {
    grassrootsOnly: true,
    prepare: async (cell) => ({ path: `/api/v1/matches/${(await matchFor(cell, 'proposed')).id}` }),
  },
  'GET /api/v1/matches/{id}/history': {
    grassrootsOnly: true,
    prepare: async (cell) => ({ path: `/api/v1/matches/${(await matchFor(cell, 'proposed')).id}/history` }),
  },
  // Accepted with the worker's consent: the partner sees the beneficiary, the worker the partner.
  'GET /api/v1/matches/{id}/reveal': {
    grassrootsOnly: true,
    prepare: async (cell) => ({
      path: `/api/v1/matches/${(await matchFor(cell, 'accepted', true)).id}/reveal`,
    }),
  },
  // Staff name the household's signed partner_disclosure consent.
  'POST /api/v1/matches/{id}/consent': {
    grassrootsOnly: true,
    prepare: async (cell) => {
      const m = await matchFor(cell, 'approved');
      const [consent] = await ds(cell).query(
        `INSERT INTO archive_consents (archive_id, subject, purpose, kind, text_version, granted_at, recorded_by)
         VALUES ($1, 'head', 'partner_disclosure', 'general', 'v1', now(), $2) RETURNING id`,
        [m.archiveId, cell.world.otherWorker.userId],
      );
      return {
        path: `/api/v1/matches/${m.id}/consent`,
        body: {
          version: m.version,
          action: 'grant',
          ...(cell.actor?.kind === 'staff' ? { archiveConsentId: consent.id } : {}),
        },
      };
    },
  },
  'POST /api/v1/matches/{id}/approve': command('approve', 'proposed'),
  'POST /api/v1/matches/{id}/reject': command('reject', 'proposed', { reason: '不符合条件' }),
  'POST /api/v1/matches/{id}/accept': command('accept', 'approved'),
  'POST /api/v1/matches/{id}/decline': command('decline', 'approved', { reason: 'duplicate' }),
  'POST /api/v1/matches/{id}/start': command('start', 'accepted'),
  'POST /api/v1/matches/{id}/deliver': command('deliver', 'accepted', { note: '已发放' }),
  'POST /api/v1/matches/{id}/confirm': {
    grassrootsOnly: true,
    prepare: async (cell) => {
      const m = await matchFor(cell, 'delivered');
      return {
        path: `/api/v1/matches/${m.id}/confirm`,
        body: {
          version: m.version,
          ...(cell.actor?.kind === 'staff' ? { reason: '职工行动不便，电话核实' } : {}),
        },
      };
    },
  },
  'POST /api/v1/matches/{id}/follow-up': command('follow-up', 'confirmed', {
    date: day(0),
    channel: 'phone',
    findings: '已收到',
    satisfaction: 4,
  }),
  'POST /api/v1/matches/{id}/close': command('close', 'followed_up', { outcome: 'resolved', note: '已解决' }),
  'POST /api/v1/matches/{id}/cancel': command('cancel', 'proposed', { reason: '需求已变化' }),
};
