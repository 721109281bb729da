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
    await queryRunner.query(`CREATE INDEX "idx_search_documents_tsv" ON "search_documents" USING GIN ("tsv")`);
    await queryRunner.query(
      `CREATE INDEX "idx_search_documents_filters" ON "search_documents" USING GIN ("filters" jsonb_path_ops)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_search_documents_filters"`);
    await queryRunner.query(`DROP INDEX "public"."idx_search_documents_tsv"`);
    await queryRunner.query(`DROP TABLE "search_documents"`);
  }
}
