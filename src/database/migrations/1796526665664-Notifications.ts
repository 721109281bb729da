import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The in-app inbox (站内消息): one row per recipient and event, written in the event's transaction; its
 * `delivery_state` makes it its own outbox for the delivery channel (pending → sent | skipped | failed).
 */

export class Notifications1796526665664 implements MigrationInterface {
  name = 'Notifications1796526665664';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "notifications" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "recipient_id" uuid NOT NULL, "event" character varying(40) NOT NULL, "title" character varying(60) NOT NULL, "body" character varying(300) NOT NULL, "ref_type" character varying(16), "ref_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "read_at" TIMESTAMP WITH TIME ZONE, "delivery_state" character varying(8) NOT NULL DEFAULT 'pending', "delivery_attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "delivered_at" TIMESTAMP WITH TIME ZONE, "last_error" character varying(200), CONSTRAINT "chk_notifications_ref" CHECK (("ref_type" IS NULL) = ("ref_id" IS NULL)), CONSTRAINT "chk_notifications_delivery_state" CHECK ("delivery_state" IN ('pending','sent','skipped','failed')), CONSTRAINT "PK_6a72c3c0f683f6462415e653c3a" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "idx_notifications_delivery_due" ON "notifications"  ("next_attempt_at") WHERE "delivery_state" = 'pending'`);
    await queryRunner.query(`CREATE INDEX "idx_notifications_unread" ON "notifications"  ("recipient_id") WHERE "read_at" IS NULL`);
    await queryRunner.query(`CREATE INDEX "idx_notifications_recipient" ON "notifications"  ("recipient_id", "created_at") `);
    await queryRunner.query(`ALTER TABLE "notifications" ADD CONSTRAINT "fk_notifications_recipient" FOREIGN KEY ("recipient_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "fk_notifications_recipient"`);
    await queryRunner.query(`DROP INDEX "public"."idx_notifications_recipient"`);
    await queryRunner.query(`DROP INDEX "public"."idx_notifications_unread"`);
    await queryRunner.query(`DROP INDEX "public"."idx_notifications_delivery_due"`);
    await queryRunner.query(`DROP TABLE "notifications"`);
  }
}
