import { MigrationInterface, QueryRunner } from 'typeorm';

/** 返困: an exited archive reopens as `returned` (the `reopen` command); the database allows the move. */
export class ArchiveReopenTransition1796456674654 implements MigrationInterface {
  name = 'ArchiveReopenTransition1796456674654';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `INSERT INTO "archive_status_transitions" (from_status, to_status) VALUES ('exited', 'returned')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DELETE FROM "archive_status_transitions" WHERE from_status = 'exited' AND to_status = 'returned'`,
    );
  }
}
