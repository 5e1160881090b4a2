import { Migration } from "@mikro-orm/migrations";

/**
 * DeleteResource: a deleted process definition keeps its row (instances that ran on it still show their
 * diagram) and gets `deleted_at`; the query side lists only definitions without it.
 */
export class Migration20261202DefinitionDeleted extends Migration {
	override async up(): Promise<void> {
		this.addSql("alter table engine_process_definition add column deleted_at timestamptz");
	}

	override async down(): Promise<void> {
		this.addSql("alter table engine_process_definition drop column deleted_at");
	}
}
