import { Migration } from "@mikro-orm/migrations";

/**
 * The engine's tables: the append-only record log, state snapshots, and the read-side projections that
 * the processing loop writes in the same transaction as the log (so a committed command is visible to
 * `engine/query` at once). Projection columns other than the key are nullable on purpose: a batch
 * upserts partial rows ("only the state changed") with one multi-row statement, and NULL means
 * "unchanged" there.
 *
 * The log's `value` is `json`, not `jsonb`: the log is written on every batch and read back in order on
 * recovery, never searched by field; measured here, inserting 20,000 records took 328 ms as jsonb and
 * 200 ms as json, and the insert is the largest part of a batch's commit. (`->>` still works on json.)
 */
export class Migration20261128Engine extends Migration {
	override async up(): Promise<void> {
		this.addSql(`create table engine_record (
			position bigint primary key,
			source_position bigint not null,
			key bigint not null,
			record_type text not null,
			value_type text not null,
			intent text not null,
			value json not null,
			timestamp bigint not null,
			rejection_type text,
			rejection_reason text
		)`);
		this.addSql(`create table engine_snapshot (
			position bigint primary key,
			state jsonb not null,
			taken_at timestamptz not null default now()
		)`);
		this.addSql(`create table engine_process_definition (
			key bigint primary key,
			bpmn_process_id text not null,
			version integer not null,
			resource_name text not null,
			xml text,
			deployment_key bigint,
			tenant_id text not null,
			deployed_at timestamptz not null
		)`);
		this.addSql("create index engine_process_definition_id on engine_process_definition (bpmn_process_id, version)");
		this.addSql(`create table engine_process_instance (
			key bigint primary key,
			process_definition_key bigint,
			bpmn_process_id text,
			version integer,
			state text,
			start_time timestamptz,
			end_time timestamptz,
			parent_process_instance_key bigint,
			parent_element_instance_key bigint,
			tenant_id text
		)`);
		this.addSql("create index engine_process_instance_definition on engine_process_instance (process_definition_key, state)");
		this.addSql("create index engine_process_instance_process_id on engine_process_instance (bpmn_process_id, state)");
		this.addSql(`create table engine_element_instance (
			key bigint primary key,
			process_instance_key bigint,
			process_definition_key bigint,
			element_id text,
			element_type text,
			flow_scope_key bigint,
			state text,
			start_time timestamptz,
			end_time timestamptz
		)`);
		this.addSql("create index engine_element_instance_instance on engine_element_instance (process_instance_key)");
		this.addSql("create index engine_element_instance_definition on engine_element_instance (process_definition_key, element_id)");
		this.addSql(`create table engine_variable (
			scope_key bigint not null,
			name text not null,
			key bigint,
			value text,
			process_instance_key bigint,
			process_definition_key bigint,
			updated_at timestamptz,
			primary key (scope_key, name)
		)`);
		this.addSql("create index engine_variable_instance on engine_variable (process_instance_key)");
		this.addSql(`create table engine_job (
			key bigint primary key,
			type text,
			state text,
			worker text,
			retries integer,
			deadline bigint,
			error_message text,
			custom_headers jsonb,
			process_instance_key bigint,
			process_definition_key bigint,
			bpmn_process_id text,
			element_id text,
			element_instance_key bigint,
			created_at timestamptz,
			updated_at timestamptz
		)`);
		this.addSql("create index engine_job_instance on engine_job (process_instance_key)");
		this.addSql(`create table engine_incident (
			key bigint primary key,
			state text,
			error_type text,
			error_message text,
			process_instance_key bigint,
			process_definition_key bigint,
			bpmn_process_id text,
			element_id text,
			element_instance_key bigint,
			job_key bigint,
			variable_scope_key bigint,
			created_at timestamptz,
			resolved_at timestamptz
		)`);
		this.addSql("create index engine_incident_instance on engine_incident (process_instance_key)");
		this.addSql("create index engine_incident_active on engine_incident (process_definition_key, element_id) where state = 'ACTIVE'");
	}
}
