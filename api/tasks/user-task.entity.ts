import { EntitySchema } from "@mikro-orm/core";

/** The lifecycle of a stored user task (Camunda 8 names). */
export type UserTaskState = "CREATED" | "COMPLETED" | "CANCELED";

/** A human task, stored from one `io.camunda.zeebe:userTask` job; its key is the job key. */
export interface UserTask {
	key: string;
	tenantId: string;
	state: UserTaskState;
	name: string;
	elementId: string;
	elementInstanceKey: string;
	processDefinitionId: string;
	processDefinitionKey: string;
	processDefinitionVersion: number;
	processInstanceKey: string;
	/** From the process variable `caseNumber`, e.g. `RUH-OLY-1447-000153-9`. */
	caseNumber: string | null;
	assignee: string | null;
	candidateGroups: string[];
	candidateUsers: string[];
	/** Units the task belongs to, derived from its candidate groups (for supervisors' lists). */
	units: string[];
	dueDate: Date | null;
	followUpDate: Date | null;
	/** 0–100, higher first (Camunda's scale); 50 when the process sets none. */
	priority: number;
	formKey: string | null;
	creationDate: Date;
	completionDate: Date | null;
	completedBy: string | null;
	/** The variables visible to the task when its job was activated, for filtering and display. */
	variables: Record<string, unknown>;
	customHeaders: Record<string, string>;
	jobDeadline: Date | null;
}

export const UserTaskSchema = new EntitySchema<UserTask>({
	name: "UserTask",
	tableName: "user_task",
	properties: {
		key: { type: "text", primary: true },
		tenantId: { type: "text" },
		state: { type: "text" },
		name: { type: "text" },
		elementId: { type: "text" },
		elementInstanceKey: { type: "text" },
		processDefinitionId: { type: "text" },
		processDefinitionKey: { type: "text" },
		processDefinitionVersion: { type: "integer" },
		processInstanceKey: { type: "text" },
		caseNumber: { type: "text", nullable: true },
		assignee: { type: "text", nullable: true },
		candidateGroups: { type: "text[]" },
		candidateUsers: { type: "text[]" },
		units: { type: "text[]" },
		dueDate: { type: "Date", columnType: "timestamptz", nullable: true },
		followUpDate: { type: "Date", columnType: "timestamptz", nullable: true },
		priority: { type: "integer" },
		formKey: { type: "text", nullable: true },
		creationDate: { type: "Date", columnType: "timestamptz" },
		completionDate: { type: "Date", columnType: "timestamptz", nullable: true },
		completedBy: { type: "text", nullable: true },
		variables: { type: "json" },
		customHeaders: { type: "json" },
		jobDeadline: { type: "Date", columnType: "timestamptz", nullable: true },
	},
});

/** A comment on a user task. */
export interface UserTaskComment {
	id: string;
	taskKey: string;
	tenantId: string;
	authorId: string;
	authorUsername: string;
	body: string;
	createdAt: Date;
}

export const UserTaskCommentSchema = new EntitySchema<UserTaskComment>({
	name: "UserTaskComment",
	tableName: "user_task_comment",
	properties: {
		id: { type: "uuid", primary: true },
		taskKey: { type: "text" },
		tenantId: { type: "text" },
		authorId: { type: "text" },
		authorUsername: { type: "text" },
		body: { type: "text" },
		createdAt: { type: "Date", columnType: "timestamptz" },
	},
});
