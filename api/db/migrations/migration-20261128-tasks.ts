import { Migration } from "@mikro-orm/migrations";

/**
 * User tasks stored by the task service (one row per `io.camunda.zeebe:userTask` job, keyed by job key),
 * their comments, and saved task-list filters.
 */
export class Migration20261128Tasks extends Migration {
	override async up(): Promise<void> {
		this.addSql(`create table user_task (
			key text primary key,
			tenant_id text not null,
			state text not null check (state in ('CREATED', 'COMPLETED', 'CANCELED')),
			name text not null,
			element_id text not null,
			element_instance_key text not null,
			process_definition_id text not null,
			process_definition_key text not null,
			process_definition_version int not null,
			process_instance_key text not null,
			case_number text,
			assignee text,
			candidate_groups text[] not null default '{}',
			candidate_users text[] not null default '{}',
			units text[] not null default '{}',
			due_date timestamptz,
			follow_up_date timestamptz,
			priority int not null default 50,
			form_key text,
			creation_date timestamptz not null,
			completion_date timestamptz,
			completed_by text,
			variables jsonb not null default '{}',
			custom_headers jsonb not null default '{}',
			job_deadline timestamptz
		)`);
		this.addSql("create index user_task_list on user_task (tenant_id, state, creation_date desc)");
		this.addSql("create index user_task_assignee on user_task (tenant_id, assignee)");
		this.addSql("create index user_task_candidate_groups on user_task using gin (candidate_groups)");
		this.addSql("create index user_task_candidate_users on user_task using gin (candidate_users)");
		this.addSql("create index user_task_units on user_task using gin (units)");
		this.addSql("create index user_task_variables on user_task using gin (variables jsonb_path_ops)");
		this.addSql("create index user_task_instance on user_task (process_instance_key)");
		this.addSql("create index user_task_case on user_task (case_number) where case_number is not null");
		this.addSql(`create table user_task_comment (
			id uuid primary key,
			task_key text not null references user_task (key),
			tenant_id text not null,
			author_id text not null,
			author_username text not null,
			body text not null,
			created_at timestamptz not null
		)`);
		this.addSql("create index user_task_comment_task on user_task_comment (task_key, created_at)");
		this.addSql(`create table saved_filter (
			id uuid primary key,
			tenant_id text not null,
			owner_id text not null,
			owner_username text not null,
			name text not null,
			filter jsonb not null,
			sort jsonb not null default '[]',
			shared_with_group text,
			created_at timestamptz not null,
			updated_at timestamptz not null
		)`);
		this.addSql("create index saved_filter_owner on saved_filter (tenant_id, owner_id)");
		this.addSql(
			"create index saved_filter_group on saved_filter (tenant_id, shared_with_group) where shared_with_group is not null",
		);
	}
}
