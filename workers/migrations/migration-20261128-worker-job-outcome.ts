import { Migration } from "@mikro-orm/migrations";

/**
 * `worker_job_outcome`: the settled outcome of every job a worker handled, keyed by the job key. A
 * redelivered job (its completion was lost, the job timed out and was activated again) finds its row and
 * reports the same outcome without doing the work twice.
 * `worker_document`: documents rendered by `document.generate`, with the SHA-256 of their bytes.
 */
export class Migration20261128WorkerJobOutcome extends Migration {
	override async up(): Promise<void> {
		this.addSql(`create table "worker_job_outcome" (
			"job_key" text primary key,
			"job_type" text not null,
			"process_instance_key" text not null,
			"element_id" text not null,
			"case_number" text null,
			"outcome" text not null check ("outcome" in ('COMPLETE', 'ERROR')),
			"variables" jsonb not null default '{}'::jsonb,
			"error_code" text null,
			"error_message" text null,
			"messages" jsonb not null default '[]'::jsonb,
			"settled_at" timestamptz not null default now()
		)`);
		this.addSql(`create index "worker_job_outcome_case_number_idx" on "worker_job_outcome" ("case_number")`);
		this.addSql(`create table "worker_document" (
			"id" uuid primary key,
			"job_key" text not null unique,
			"case_number" text not null,
			"document_type" text not null,
			"classification" text not null,
			"media_type" text not null,
			"content" bytea not null,
			"sha256" char(64) not null,
			"created_at" timestamptz not null default now()
		)`);
		this.addSql(`create index "worker_document_case_number_idx" on "worker_document" ("case_number")`);
	}
}
