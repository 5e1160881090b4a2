import { Migration } from "@mikro-orm/migrations";

/** Platform bookkeeping: key/value facts such as when demo data was seeded. */
export class Migration20261128Platform extends Migration {
	override async up(): Promise<void> {
		this.addSql(`create table if not exists platform_fact (
			name text primary key,
			value jsonb not null,
			updated_at timestamptz not null default now()
		)`);
	}
}
