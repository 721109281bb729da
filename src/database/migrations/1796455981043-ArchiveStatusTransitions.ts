import { MigrationInterface, QueryRunner } from 'typeorm';

/** The status moves of ARCHIVE_TRANSITIONS (allowedStatusPairs()) when this migration was written. */
const PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['active', 'cancelled'],
  ['active', 'exited'],
  ['active', 'transferring'],
  ['approving', 'cancelled'],
  ['approving', 'publicizing'],
  ['approving', 'rejected'],
  ['approving', 'returned'],
  ['draft', 'cancelled'],
  ['draft', 'submitted'],
  ['exited', 'cancelled'],
  ['publicizing', 'active'],
  ['publicizing', 'cancelled'],
  ['publicizing', 'verifying'],
  ['returned', 'cancelled'],
  ['returned', 'submitted'],
  ['submitted', 'cancelled'],
  ['submitted', 'rejected'],
  ['submitted', 'returned'],
  ['submitted', 'verifying'],
  ['transferring', 'active'],
  ['transferring', 'cancelled'],
  ['verifying', 'approving'],
  ['verifying', 'cancelled'],
  ['verifying', 'returned'],
];

/**
 * The workflow's status moves in the database: `archive_status_transitions` lists every allowed
 * (from, to) pair and a BEFORE UPDATE trigger refuses any other change of `archives.status` (SQLSTATE
 * 23514), so a write that bypasses the workflow service (a script, a bug, a hand-made UPDATE) cannot leave
 * an archive in a state the workflow could not have produced. New transitions add their pairs in a later
 * migration; a medium test keeps the table equal to the rule's allowedStatusPairs().
 */
export class ArchiveStatusTransitions1796455981043 implements MigrationInterface {
  name = 'ArchiveStatusTransitions1796455981043';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "archive_status_transitions" ("from_status" character varying(16) NOT NULL, "to_status" character varying(16) NOT NULL, CONSTRAINT "PK_archive_status_transitions" PRIMARY KEY ("from_status", "to_status"), CONSTRAINT "chk_archive_status_transitions_moves" CHECK (from_status <> to_status))`,
    );
    await queryRunner.query(
      `INSERT INTO "archive_status_transitions" (from_status, to_status) SELECT * FROM unnest($1::text[], $2::text[])`,
      [PAIRS.map(([from]) => from), PAIRS.map(([, to]) => to)],
    );
    await queryRunner.query(`CREATE FUNCTION archives_refuse_illegal_status() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM archive_status_transitions
                        WHERE from_status = OLD.status AND to_status = NEW.status) THEN
          RAISE EXCEPTION 'archive % may not move from status % to %', OLD.id, OLD.status, NEW.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'archive_status_transition';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(
      `CREATE TRIGGER archives_status_transition BEFORE UPDATE OF status ON "archives" FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION archives_refuse_illegal_status()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER archives_status_transition ON "archives"`);
    await queryRunner.query(`DROP FUNCTION archives_refuse_illegal_status()`);
    await queryRunner.query(`DROP TABLE "archive_status_transitions"`);
  }
}
