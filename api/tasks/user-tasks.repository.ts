import type { EntityManager, MikroORM } from "@mikro-orm/postgresql";
import type { Principal } from "../auth/principal";
import { textArray } from "../db/sql";
import { decodeCursor, type PageRequest, pageOf } from "../search/paging";
import type { UserTask } from "./user-task.entity";
import { filterConditions, orderBy, type UserTaskFilter, type UserTaskSortField, visibility } from "./user-task-search";

interface Row {
	key: string;
	tenant_id: string;
	state: UserTask["state"];
	name: string;
	element_id: string;
	element_instance_key: string;
	process_definition_id: string;
	process_definition_key: string;
	process_definition_version: number;
	process_instance_key: string;
	case_number: string | null;
	assignee: string | null;
	candidate_groups: string[];
	candidate_users: string[];
	units: string[];
	due_date: Date | null;
	follow_up_date: Date | null;
	priority: number;
	form_key: string | null;
	creation_date: Date;
	completion_date: Date | null;
	completed_by: string | null;
	variables: Record<string, unknown>;
	custom_headers: Record<string, string>;
	job_deadline: Date | null;
}

const date = (value: Date | string | null) => (value === null ? null : new Date(value));

function fromRow(row: Row): UserTask {
	return {
		key: row.key,
		tenantId: row.tenant_id,
		state: row.state,
		name: row.name,
		elementId: row.element_id,
		elementInstanceKey: row.element_instance_key,
		processDefinitionId: row.process_definition_id,
		processDefinitionKey: row.process_definition_key,
		processDefinitionVersion: row.process_definition_version,
		processInstanceKey: row.process_instance_key,
		caseNumber: row.case_number,
		assignee: row.assignee,
		candidateGroups: row.candidate_groups,
		candidateUsers: row.candidate_users,
		units: row.units,
		dueDate: date(row.due_date),
		followUpDate: date(row.follow_up_date),
		priority: row.priority,
		formKey: row.form_key,
		creationDate: new Date(row.creation_date),
		completionDate: date(row.completion_date),
		completedBy: row.completed_by,
		variables: row.variables,
		customHeaders: row.custom_headers,
		jobDeadline: date(row.job_deadline),
	};
}

/** Columns a supervisor may change with PATCH, and the lifecycle columns the task service sets. */
export type UserTaskChanges = Partial<
	Pick<
		UserTask,
		| "assignee"
		| "dueDate"
		| "followUpDate"
		| "candidateGroups"
		| "candidateUsers"
		| "units"
		| "priority"
		| "state"
		| "completionDate"
		| "completedBy"
		| "variables"
	>
>;

const changeColumns: Record<keyof UserTaskChanges, { column: string; cast?: string }> = {
	assignee: { column: "assignee" },
	dueDate: { column: "due_date" },
	followUpDate: { column: "follow_up_date" },
	candidateGroups: { column: "candidate_groups", cast: "text[]" },
	candidateUsers: { column: "candidate_users", cast: "text[]" },
	units: { column: "units", cast: "text[]" },
	priority: { column: "priority" },
	state: { column: "state" },
	completionDate: { column: "completion_date" },
	completedBy: { column: "completed_by" },
	variables: { column: "variables", cast: "jsonb" },
};

/**
 * The user task store. Writes go through raw SQL on MikroORM's connection so they can use PostgreSQL arrays,
 * jsonb containment and `on conflict`; pass a transactional EntityManager to join a transaction.
 */
export class UserTasksRepository {
	constructor(private readonly orm: MikroORM) {}

	/**
	 * Stores a task the first time its job is seen, and only refreshes the job deadline when the same job comes
	 * again (reactivated after a time-out), so assignments and edits made meanwhile survive.
	 * @returns true when the task is new.
	 */
	async store(task: UserTask): Promise<boolean> {
		const rows = await this.orm.em.fork().execute<Array<{ inserted: boolean }>>(
			`insert into user_task (key, tenant_id, state, name, element_id, element_instance_key, process_definition_id,
				process_definition_key, process_definition_version, process_instance_key, case_number, assignee, candidate_groups,
				candidate_users, units, due_date, follow_up_date, priority, form_key, creation_date, variables, custom_headers, job_deadline)
			values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::text[], ?::text[], ?::text[], ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)
			on conflict (key) do update set job_deadline = excluded.job_deadline
			returning (xmax = 0) as inserted`,
			[
				task.key,
				task.tenantId,
				task.state,
				task.name,
				task.elementId,
				task.elementInstanceKey,
				task.processDefinitionId,
				task.processDefinitionKey,
				task.processDefinitionVersion,
				task.processInstanceKey,
				task.caseNumber,
				task.assignee,
				textArray(task.candidateGroups),
				textArray(task.candidateUsers),
				textArray(task.units),
				task.dueDate,
				task.followUpDate,
				task.priority,
				task.formKey,
				task.creationDate,
				JSON.stringify(task.variables),
				JSON.stringify(task.customHeaders),
				task.jobDeadline,
			],
		);
		return rows[0]?.inserted === true;
	}

	/** Tasks visible to the principal that match the filter, sorted and paged. */
	async search(
		principal: Principal,
		filter: UserTaskFilter,
		sort: Array<{ field: UserTaskSortField; order?: "ASC" | "DESC" }> | undefined,
		page: PageRequest | undefined,
	): Promise<{ items: UserTask[]; page: { totalItems: number; endCursor: string | null } }> {
		const visible = visibility(principal);
		const filtered = filterConditions(filter);
		const where = `(${visible.sql}) and (${filtered.sql})`;
		const params = [...visible.params, ...filtered.params];
		const offset = decodeCursor(page?.after);
		const limit = page?.limit ?? 100;
		const em = this.orm.em.fork();
		const [rows, counted] = await Promise.all([
			em.execute<Row[]>(`select * from user_task where ${where} order by ${orderBy(sort)} limit ? offset ?`, [
				...params,
				limit,
				offset,
			]),
			em.execute<Array<{ count: number }>>(`select count(*)::int as count from user_task where ${where}`, params),
		]);
		return { items: rows.map(fromRow), page: pageOf(offset, rows.length, counted[0]!.count) };
	}

	/**
	 * One task if the principal may see it; with `forUpdate` in a transaction, locked until it commits so that
	 * concurrent commands on the same task queue up.
	 */
	async findVisible(
		principal: Principal,
		key: string,
		em?: EntityManager,
		forUpdate = false,
	): Promise<UserTask | null> {
		const visible = visibility(principal);
		const rows = await (em ?? this.orm.em.fork()).execute<Row[]>(
			`select * from user_task where key = ? and (${visible.sql})${forUpdate ? " for update" : ""}`,
			[key, ...visible.params],
		);
		return rows[0] ? fromRow(rows[0]) : null;
	}

	/** The task whatever its visibility (for the worker and the engine side). */
	async findByKey(key: string): Promise<UserTask | null> {
		const rows = await this.orm.em.fork().execute<Row[]>("select * from user_task where key = ?", [key]);
		return rows[0] ? fromRow(rows[0]) : null;
	}

	/** Applies changes to one task. */
	async update(key: string, changes: UserTaskChanges, em?: EntityManager): Promise<void> {
		const sets: string[] = [];
		const params: unknown[] = [];
		for (const [field, value] of Object.entries(changes) as Array<[keyof UserTaskChanges, unknown]>) {
			if (value === undefined) continue;
			const { column, cast } = changeColumns[field];
			sets.push(`${column} = ?${cast ? `::${cast}` : ""}`);
			params.push(cast === "text[]" ? textArray(value as string[]) : cast === "jsonb" ? JSON.stringify(value) : value);
		}
		if (sets.length === 0) return;
		await (em ?? this.orm.em.fork()).execute(`update user_task set ${sets.join(", ")} where key = ?`, [...params, key]);
	}

	/** Marks still-open tasks of these job keys canceled (their jobs are gone); returns the keys changed. */
	async cancel(keys: string[], at: Date): Promise<string[]> {
		if (keys.length === 0) return [];
		const rows = await this.orm.em
			.fork()
			.execute<Array<{ key: string }>>(
				"update user_task set state = 'CANCELED', completion_date = ? where key = any(?::text[]) and state = 'CREATED' returning key",
				[at, textArray(keys)],
			);
		return rows.map((row) => row.key);
	}
}
