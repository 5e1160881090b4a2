import type { Principal } from "../auth/principal";
import { unitsOf } from "../auth/principal";
import { textArray } from "../db/sql";
import type { UserTaskState } from "./user-task.entity";

/** A date range filter: `from` inclusive, `to` exclusive (ISO date-times). */
export interface DateRange {
	from?: string;
	to?: string;
}

/** Filter of `POST /v2/user-tasks/search`; every field narrows the result (AND). */
export interface UserTaskFilter {
	state?: UserTaskState;
	assignee?: string;
	/** true: only assigned tasks; false: only unassigned ones. */
	assigned?: boolean;
	candidateGroup?: string;
	/** Tasks offered to any of these groups. */
	candidateGroups?: string[];
	candidateUser?: string;
	candidateUsers?: string[];
	processDefinitionId?: string;
	processDefinitionKey?: string;
	elementId?: string;
	processInstanceKey?: string;
	caseNumber?: string;
	dueDate?: DateRange;
	followUpDate?: DateRange;
	creationDate?: DateRange;
	priority?: number | { gte?: number; gt?: number; lte?: number; lt?: number };
	/** Process variables, all of which must match; `value` is JSON text as in Camunda (`"\"RUH\""`, `42`), else a plain string. */
	variables?: Array<{ name: string; value: string }>;
}

export const userTaskSortFields = ["creationDate", "dueDate", "followUpDate", "priority", "completionDate"] as const;
export type UserTaskSortField = (typeof userTaskSortFields)[number];

const sortColumns: Record<UserTaskSortField, string> = {
	creationDate: "creation_date",
	dueDate: "due_date",
	followUpDate: "follow_up_date",
	priority: "priority",
	completionDate: "completion_date",
};

/** SQL condition and parameters (MikroORM `?` placeholders). */
export interface SqlPart {
	sql: string;
	params: unknown[];
}

/**
 * Which tasks a user may see, always within their tenant: admins every task; everyone else the tasks assigned to
 * them, offered to them, or offered to one of their groups; supervisors also every task of their units.
 */
export function visibility(principal: Principal): SqlPart {
	if (principal.roles.includes("admin")) return { sql: "tenant_id = ?", params: [principal.tenantId] };
	// `audience` (kept by a trigger) lists u:<assignee and candidate users>, g:<candidate groups>, n:<units>.
	const audience = [`u:${principal.username}`, ...principal.groups.map((group) => `g:${group}`)];
	if (principal.roles.includes("supervisor")) audience.push(...unitsOf(principal.groups).map((unit) => `n:${unit}`));
	return { sql: "tenant_id = ? and audience && ?::text[]", params: [principal.tenantId, textArray(audience)] };
}

function variableValue(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/** The WHERE conditions of a filter. */
export function filterConditions(filter: UserTaskFilter): SqlPart {
	const conditions: string[] = [];
	const params: unknown[] = [];
	const add = (sql: string, ...values: unknown[]) => {
		conditions.push(sql);
		params.push(...values);
	};
	const equals: Array<[keyof UserTaskFilter, string]> = [
		["state", "state"],
		["assignee", "assignee"],
		["processDefinitionId", "process_definition_id"],
		["processDefinitionKey", "process_definition_key"],
		["elementId", "element_id"],
		["processInstanceKey", "process_instance_key"],
		["caseNumber", "case_number"],
	];
	for (const [field, column] of equals) if (filter[field] !== undefined) add(`${column} = ?`, filter[field]);
	if (filter.assigned !== undefined) add(filter.assigned ? "assignee is not null" : "assignee is null");
	if (filter.candidateGroup !== undefined) add("candidate_groups @> ?::text[]", textArray([filter.candidateGroup]));
	if (filter.candidateGroups?.length) add("candidate_groups && ?::text[]", textArray(filter.candidateGroups));
	if (filter.candidateUser !== undefined) add("candidate_users @> ?::text[]", textArray([filter.candidateUser]));
	if (filter.candidateUsers?.length) add("candidate_users && ?::text[]", textArray(filter.candidateUsers));
	const ranges: Array<[DateRange | undefined, string]> = [
		[filter.dueDate, "due_date"],
		[filter.followUpDate, "follow_up_date"],
		[filter.creationDate, "creation_date"],
	];
	for (const [range, column] of ranges) {
		if (range?.from) add(`${column} >= ?`, new Date(range.from));
		if (range?.to) add(`${column} < ?`, new Date(range.to));
	}
	if (typeof filter.priority === "number") add("priority = ?", filter.priority);
	else if (filter.priority) {
		const operators = { gte: ">=", gt: ">", lte: "<=", lt: "<" } as const;
		for (const [name, operator] of Object.entries(operators)) {
			const value = filter.priority[name as keyof typeof operators];
			if (value !== undefined) add(`priority ${operator} ?`, value);
		}
	}
	if (filter.variables?.length) {
		// One containment test over all pairs: served by the jsonb_path_ops GIN index.
		const wanted = Object.fromEntries(
			filter.variables.map((variable) => [variable.name, variableValue(variable.value)]),
		);
		add("variables @> ?::jsonb", JSON.stringify(wanted));
	}
	return { sql: conditions.length ? conditions.join(" and ") : "true", params };
}

/** ORDER BY for the requested sort; undated tasks sort last; ties broken by key for stable pages. */
export function orderBy(sort: Array<{ field: UserTaskSortField; order?: "ASC" | "DESC" }> | undefined): string {
	const items = sort?.length ? sort : [{ field: "creationDate" as const, order: "DESC" as const }];
	return items
		.map((item) => `${sortColumns[item.field]} ${item.order === "DESC" ? "desc" : "asc"} nulls last`)
		.concat("key asc")
		.join(", ");
}
