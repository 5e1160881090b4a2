import { Migration } from "@mikro-orm/migrations";

/**
 * Idempotency keys on the rows workers create, so a redelivered job (same job key) returns the row the
 * first delivery wrote instead of registering a second case, order or custody entry.
 */
export class Migration20261128IdempotencyKeys extends Migration {
	override async up(): Promise<void> {
		this.addSql(`alter table "case_record" add column "idempotency_key" text null`);
		this.addSql(
			`alter table "case_record" add constraint "case_record_idempotency_key_unique" unique ("idempotency_key")`,
		);
		this.addSql(`alter table "report" add column "idempotency_key" text null`);
		this.addSql(`alter table "report" add constraint "report_idempotency_key_unique" unique ("idempotency_key")`);
		this.addSql(`alter table "custody_episode" add column "idempotency_key" text null`);
		this.addSql(
			`alter table "custody_episode" add constraint "custody_episode_idempotency_key_unique" unique ("idempotency_key")`,
		);
		this.addSql(`alter table "detention_order" add column "idempotency_key" text null`);
		this.addSql(
			`alter table "detention_order" add constraint "detention_order_idempotency_key_unique" unique ("idempotency_key")`,
		);
		this.addSql(`alter table "evidence_item" add column "idempotency_key" text null`);
		this.addSql(
			`alter table "evidence_item" add constraint "evidence_item_idempotency_key_unique" unique ("idempotency_key")`,
		);
		this.addSql(`alter table "evidence_custody_event" add column "idempotency_key" text null`);
		this.addSql(
			`alter table "evidence_custody_event" add constraint "evidence_custody_event_idempotency_key_unique" unique ("idempotency_key")`,
		);
		this.addSql(`alter table "hearing" add column "idempotency_key" text null`);
		this.addSql(`alter table "hearing" add constraint "hearing_idempotency_key_unique" unique ("idempotency_key")`);
		this.addSql(`alter table "appeal" add column "idempotency_key" text null`);
		this.addSql(`alter table "appeal" add constraint "appeal_idempotency_key_unique" unique ("idempotency_key")`);
	}
}
