import { Migration } from "@mikro-orm/migrations";

/**
 * The hash-chained audit log. `audit_head` holds the last entry's seq and hash: its single row is locked by
 * each writer (so the chain never forks) and lets verification notice a deleted tail. Triggers refuse
 * UPDATE and DELETE on the log; verification still re-checks every hash, for edits made around them.
 */
export class Migration20261128Audit extends Migration {
	override async up(): Promise<void> {
		this.addSql(`create table audit_log (
			seq bigint primary key,
			occurred_at timestamptz not null,
			tenant_id text,
			actor_id text,
			actor_username text,
			actor_roles text[] not null default '{}',
			action text not null,
			entity_type text not null,
			entity_id text not null,
			case_number text,
			detail jsonb not null default '{}',
			client_ip text,
			request_id text,
			prev_hash text not null,
			hash text not null
		)`);
		this.addSql("create index audit_log_tenant_time on audit_log (tenant_id, occurred_at desc)");
		this.addSql("create index audit_log_entity on audit_log (entity_type, entity_id)");
		this.addSql("create index audit_log_case on audit_log (case_number) where case_number is not null");
		this.addSql(`create table audit_head (
			id int primary key check (id = 1),
			seq bigint not null,
			hash text not null
		)`);
		this.addSql(`insert into audit_head (id, seq, hash) values (1, 0, '${"0".repeat(64)}')`);
		this.addSql(`create function audit_log_refuse_change() returns trigger language plpgsql as $$
			begin
				raise exception 'audit_log is append-only: % refused', tg_op;
			end $$`);
		this.addSql(`create trigger audit_log_append_only before update or delete on audit_log
			for each row execute function audit_log_refuse_change()`);
	}
}
