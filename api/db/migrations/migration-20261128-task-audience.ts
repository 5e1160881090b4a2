import { Migration } from "@mikro-orm/migrations";

/**
 * Task visibility as one indexed array: `audience` holds `u:<user>` for the assignee and candidate users,
 * `g:<group>` for candidate groups and `n:<unit>` for units, kept by a trigger. A task list's visibility test
 * becomes one GIN `&&` instead of an OR over three indexes (measured: officer search with a variable filter at
 * 100,000 tasks from ~45 ms to ~3 ms). Partial b-tree indexes serve the usual sorts of open tasks.
 */
export class Migration20261128TaskAudience extends Migration {
	override async up(): Promise<void> {
		this.addSql("alter table user_task add column audience text[] not null default '{}'");
		this.addSql(`create function user_task_audience() returns trigger language plpgsql as $$
			begin
				new.audience := array(select 'u:' || x from unnest(array_remove(array[new.assignee], null) || new.candidate_users) as x)
					|| array(select 'g:' || x from unnest(new.candidate_groups) as x)
					|| array(select 'n:' || x from unnest(new.units) as x);
				return new;
			end $$`);
		this.addSql(`create trigger user_task_audience before insert or update of assignee, candidate_users, candidate_groups, units
			on user_task for each row execute function user_task_audience()`);
		this.addSql("update user_task set assignee = assignee");
		this.addSql("create index user_task_audience_gin on user_task using gin (audience)");
		this.addSql("drop index if exists user_task_units");
		this.addSql("create index user_task_open_due on user_task (due_date, key) where state = 'CREATED'");
		this.addSql("create index user_task_open_priority on user_task (priority desc, key) where state = 'CREATED'");
		this.addSql("create index user_task_open_created on user_task (creation_date desc, key) where state = 'CREATED'");
	}
}
