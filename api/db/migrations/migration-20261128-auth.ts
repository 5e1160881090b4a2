import { Migration } from "@mikro-orm/migrations";

/** Users with roles, groups (police units and candidate groups) and a tenant (agency). */
export class Migration20261128Auth extends Migration {
	override async up(): Promise<void> {
		this.addSql(`create table api_user (
			id uuid primary key,
			username text not null unique,
			display_name text not null,
			password_hash text,
			roles text[] not null default '{}',
			groups text[] not null default '{}',
			tenant_id text not null,
			is_demo boolean not null default false,
			disabled boolean not null default false,
			created_at timestamptz not null default now()
		)`);
	}
}
