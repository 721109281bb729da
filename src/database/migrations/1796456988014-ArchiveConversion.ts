import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 转正 through the review chain: an active temporary archive is submitted again, and comes back to active
 * on a refusal. The status guard allows those moves only with a conversion under way (the pairs alone
 * would let any submitted archive jump to active).
 */
const PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['active', 'submitted'],
  ['submitted', 'active'],
  ['verifying', 'active'],
  ['approving', 'active'],
];

const GUARD = (conversion: boolean) => `CREATE OR REPLACE FUNCTION archives_refuse_illegal_status() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM archive_status_transitions
                        WHERE from_status = OLD.status AND to_status = NEW.status)${
                          conversion
                            ? `
           -- 转正 moves: into the chain only when starting a conversion, back to active only out of one.
           OR (OLD.status = 'active' AND NEW.status = 'submitted' AND NEW.conversion_requested_at IS NULL)
           OR (OLD.status IN ('submitted', 'verifying', 'approving') AND NEW.status = 'active'
               AND OLD.conversion_requested_at IS NULL)`
                            : ''
                        } THEN
          RAISE EXCEPTION 'archive % may not move from status % to %', OLD.id, OLD.status, NEW.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'archive_status_transition';
        END IF;
        RETURN NEW;
      END $$`;

export class ArchiveConversion1796456988014 implements MigrationInterface {
  name = 'ArchiveConversion1796456988014';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "archives" ADD "conversion_requested_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `INSERT INTO "archive_status_transitions" (from_status, to_status) SELECT * FROM unnest($1::text[], $2::text[])`,
      [PAIRS.map(([from]) => from), PAIRS.map(([, to]) => to)],
    );
    await queryRunner.query(GUARD(true));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(GUARD(false));
    await queryRunner.query(
      `DELETE FROM "archive_status_transitions" t USING unnest($1::text[], $2::text[]) AS p(f, s)
        WHERE t.from_status = p.f AND t.to_status = p.s`,
      [PAIRS.map(([from]) => from), PAIRS.map(([, to]) => to)],
    );
    await queryRunner.query(`ALTER TABLE "archives" DROP COLUMN "conversion_requested_at"`);
  }
}
