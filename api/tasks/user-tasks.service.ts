import type { EntityManager } from "@mikro-orm/postgresql";
import type { FastifyRequest } from "fastify";
import type { ZBClient } from "zeebe-node";
import type { Principal } from "../auth/principal";
import { ProblemError } from "../errors/error-registry";
import { UsersRepository } from "../users/users.repository";
import type { ApiContext } from "../v2.plugin";
import { type FormDefinition, validateAgainstForm } from "./form-schema";
import type { TaskEvent, TaskEvents } from "./task-events";
import type { UserTask } from "./user-task.entity";
import { taskUnits } from "./user-task-job";
import { type UserTaskChanges, UserTasksRepository } from "./user-tasks.repository";

/** What the task routes need beyond the shared API context. */
export interface TaskServiceOptions {
	/** Completes jobs in the engine (a zeebe-node client). Without it, completion answers 503 ENGINE_UNAVAILABLE. */
	zbc?: Pick<ZBClient, "completeJob">;
	/**
	 * Finds the Camunda Form of a task by its form key (`camunda-forms:bpmn:…` or a linked form id). This is the
	 * hook for server-side validation of completions: when it answers a form, submitted variables are checked
	 * against it; when it answers nothing, completion is not validated.
	 */
	formResolver?: (formKey: string, task: UserTask) => Promise<FormDefinition | undefined>;
	/** Receives task list changes (for `/v2/events`). */
	events?: TaskEvents;
	/**
	 * The engine's state of a task's job (`COMPLETED`, `CANCELED`, …; undefined when unknown). With it, a completion
	 * that finds the job gone tells a job completed (by this user's earlier request whose answer was lost, or by
	 * another client) from a canceled one. The embedded engine's reads provide it; without it the task is canceled.
	 */
	jobState?: (task: { key: string; processInstanceKey: string }) => Promise<string | undefined>;
}

const grpcNotFound = 5;
const grpcUnavailable = 14;

function grpcCode(error: unknown): number | undefined {
	const code = (error as { code?: unknown }).code;
	if (typeof code === "number") return code;
	const message = error instanceof Error ? error.message : String(error);
	if (/\bNOT_FOUND\b/.test(message)) return grpcNotFound;
	if (/\bUNAVAILABLE\b|ECONNREFUSED/.test(message)) return grpcUnavailable;
	return undefined;
}

function notFound(key: string): ProblemError {
	return new ProblemError(
		"USER_TASK_NOT_FOUND",
		`User task ${key} does not exist or is not visible to you (other unit or tenant).`,
	);
}

function requireOpen(task: UserTask): void {
	if (task.state !== "CREATED") {
		throw new ProblemError(
			"USER_TASK_NOT_ACTIVE",
			`User task ${task.key} is ${task.state.toLowerCase()}; only open (CREATED) tasks can be changed.`,
		);
	}
}

/** The user task commands: each checks visibility and state under a row lock, changes the task and audits it in one transaction. */
export class UserTaskService {
	readonly repository: UserTasksRepository;
	constructor(
		private readonly context: ApiContext,
		private readonly options: TaskServiceOptions,
	) {
		this.repository = new UserTasksRepository(context.orm);
	}

	private emit(type: TaskEvent["type"], task: UserTask): void {
		this.options.events?.emit({
			type,
			userTaskKey: task.key,
			tenantId: task.tenantId,
			assignee: task.assignee,
			candidateUsers: task.candidateUsers,
			candidateGroups: task.candidateGroups,
			units: task.units,
		});
	}

	/** Runs a command on a visible task locked for update. */
	private async withTask<T>(
		principal: Principal,
		key: string,
		command: (task: UserTask, em: EntityManager) => Promise<T>,
	): Promise<T> {
		return this.context.orm.em.fork().transactional(async (em) => {
			const task = await this.repository.findVisible(principal, key, em, true);
			if (!task) throw notFound(key);
			return command(task, em);
		});
	}

	async get(principal: Principal, key: string): Promise<UserTask> {
		const task = await this.repository.findVisible(principal, key);
		if (!task) throw notFound(key);
		return task;
	}

	async form(principal: Principal, key: string): Promise<FormDefinition> {
		const task = await this.get(principal, key);
		const form =
			task.formKey && this.options.formResolver ? await this.options.formResolver(task.formKey, task) : undefined;
		if (!form)
			throw new ProblemError(
				"USER_TASK_NOT_FOUND",
				`User task ${key} has no form that this server can find (form key ${task.formKey ?? "none"}).`,
			);
		return form;
	}

	/**
	 * Assigns a task. Officers may only claim for themselves, and not take over someone else's task;
	 * supervisors and admins may assign anyone of the tenant and, with `allowOverride`, take over.
	 */
	async assign(request: FastifyRequest, key: string, assignee: string, allowOverride: boolean): Promise<void> {
		const principal = request.principal!;
		const manages = principal.roles.includes("supervisor") || principal.roles.includes("admin");
		if (assignee !== principal.username && !manages) {
			throw new ProblemError(
				"FORBIDDEN",
				`Only supervisors and admins assign tasks to others; you may claim it for yourself (assignee "${principal.username}").`,
			);
		}
		const task = await this.withTask(principal, key, async (task, em) => {
			requireOpen(task);
			const assignedToOther = task.assignee !== null && task.assignee !== assignee;
			if (assignedToOther && !(manages && allowOverride)) {
				throw new ProblemError(
					"USER_TASK_ALREADY_ASSIGNED",
					`User task ${key} is assigned to ${task.assignee}; ask them or a supervisor to unassign it${manages ? ", or pass allowOverride: true" : ""}.`,
				);
			}
			if (assignee !== principal.username) {
				const user = await new UsersRepository(em).findByUsername(assignee);
				if (!user || user.tenantId !== principal.tenantId) {
					throw new ProblemError(
						"USER_NOT_FOUND",
						`There is no user "${assignee}" in your agency to assign user task ${key} to.`,
					);
				}
			}
			await this.repository.update(key, { assignee }, em);
			await this.context.audit.record(
				request,
				{
					action: "USER_TASK_ASSIGNED",
					entityType: "user-task",
					entityId: key,
					caseNumber: task.caseNumber,
					detail: { assignee, previous: task.assignee },
				},
				em,
			);
			return { ...task, assignee };
		});
		this.emit("userTask.updated", task);
	}

	/** Unassigns a task: one's own, or anyone's for supervisors and admins. */
	async unassign(request: FastifyRequest, key: string): Promise<void> {
		const principal = request.principal!;
		const manages = principal.roles.includes("supervisor") || principal.roles.includes("admin");
		const task = await this.withTask(principal, key, async (task, em) => {
			requireOpen(task);
			if (task.assignee !== null && task.assignee !== principal.username && !manages) {
				throw new ProblemError(
					"USER_TASK_NOT_ASSIGNED_TO_YOU",
					`User task ${key} is assigned to ${task.assignee}; only they or a supervisor can unassign it.`,
				);
			}
			await this.repository.update(key, { assignee: null }, em);
			await this.context.audit.record(
				request,
				{
					action: "USER_TASK_UNASSIGNED",
					entityType: "user-task",
					entityId: key,
					caseNumber: task.caseNumber,
					detail: { previous: task.assignee },
				},
				em,
			);
			return { ...task, assignee: null };
		});
		this.emit("userTask.updated", task);
	}

	/** Changes due and follow-up dates, candidates and priority (the route allows supervisors and admins only). */
	async update(
		request: FastifyRequest,
		key: string,
		changeset: {
			dueDate?: string | null;
			followUpDate?: string | null;
			candidateGroups?: string[];
			candidateUsers?: string[];
			priority?: number;
		},
	): Promise<void> {
		const task = await this.withTask(request.principal!, key, async (task, em) => {
			requireOpen(task);
			const toDate = (value: string | null | undefined) =>
				value === undefined ? undefined : value === null ? null : new Date(value);
			const changes: UserTaskChanges = {
				dueDate: toDate(changeset.dueDate) as Date | undefined,
				followUpDate: toDate(changeset.followUpDate) as Date | undefined,
				candidateGroups: changeset.candidateGroups,
				candidateUsers: changeset.candidateUsers,
				units: changeset.candidateGroups ? taskUnits(changeset.candidateGroups, task.caseNumber) : undefined,
				priority: changeset.priority,
			};
			await this.repository.update(key, changes, em);
			await this.context.audit.record(
				request,
				{
					action: "USER_TASK_UPDATED",
					entityType: "user-task",
					entityId: key,
					caseNumber: task.caseNumber,
					detail: { changeset },
				},
				em,
			);
			return {
				...task,
				...Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)),
			} as UserTask;
		});
		this.emit("userTask.updated", task);
	}

	/**
	 * Completes a task: validates the variables against its form, completes its job in the engine, then marks it
	 * completed. An unassigned task is claimed on the way. If the engine no longer has the job (instance canceled,
	 * boundary event), the task is marked canceled and the caller gets 409 USER_TASK_JOB_GONE.
	 */
	async complete(request: FastifyRequest, key: string, variables: Record<string, unknown>): Promise<void> {
		const principal = request.principal!;
		const outcome = await this.withTask(principal, key, async (task, em) => {
			requireOpen(task);
			if (task.assignee !== null && task.assignee !== principal.username) {
				throw new ProblemError(
					"USER_TASK_NOT_ASSIGNED_TO_YOU",
					`User task ${key} is assigned to ${task.assignee}; claim it first (POST …/assignment) to complete it.`,
				);
			}
			const form =
				task.formKey && this.options.formResolver ? await this.options.formResolver(task.formKey, task) : undefined;
			if (form) {
				const errors = validateAgainstForm(form, variables, task.variables);
				if (errors.length > 0) {
					throw new ProblemError(
						"FORM_VALIDATION_FAILED",
						`The variables do not satisfy the form of user task ${key}: ${errors.map((error) => `${error.field} ${error.message}`).join("; ")}. Nothing was changed.`,
						{ errors },
					);
				}
			}
			if (!this.options.zbc) {
				throw new ProblemError(
					"ENGINE_UNAVAILABLE",
					"This API runs without an engine connection, so tasks cannot be completed; start it with the engine or ZEEBE_ADDRESS.",
				);
			}
			const now = new Date();
			try {
				await this.options.zbc.completeJob({ jobKey: key, variables });
			} catch (error) {
				const code = grpcCode(error);
				if (code === grpcNotFound) {
					const engineState = await this.options.jobState?.(task).catch(() => undefined);
					if (engineState === "COMPLETED") {
						// Completed already: by this user's earlier request whose answer was lost, or by another client.
						const [earlier] = await em.execute<Array<{ actor_username: string | null; detail: { variables?: string[] } }>>(
							`select actor_username, detail from audit_log where action = 'USER_TASK_COMPLETION_UNCONFIRMED'
							and entity_type = 'user-task' and entity_id = ? order by seq desc limit 1`,
							[key],
						);
						const mine = earlier?.actor_username === principal.username;
						await this.repository.update(
							key,
							{ state: "COMPLETED", completionDate: now, completedBy: earlier?.actor_username ?? null },
							em,
						);
						await this.context.audit.record(
							request,
							mine
								? {
										action: "USER_TASK_COMPLETED",
										entityType: "user-task",
										entityId: key,
										caseNumber: task.caseNumber,
										detail: { variables: earlier?.detail.variables ?? [], confirmedAfterLostAnswer: true },
									}
								: {
										action: "USER_TASK_ENDED_IN_ENGINE",
										entityType: "user-task",
										entityId: key,
										caseNumber: task.caseNumber,
										detail: { state: "COMPLETED", by: earlier?.actor_username ?? "another client" },
									},
							em,
						);
						return { gone: false as const, task, completedElsewhere: !mine };
					}
					await this.repository.update(key, { state: "CANCELED", completionDate: now }, em);
					await this.context.audit.record(
						request,
						{
							action: "USER_TASK_CANCELED",
							entityType: "user-task",
							entityId: key,
							caseNumber: task.caseNumber,
							detail: { reason: "job not found at completion" },
						},
						em,
					);
					return { gone: true as const, task };
				}
				request.log.warn({ err: error, userTaskKey: key }, "completing the user task's job failed");
				// The engine may have completed the job before the answer was lost (engine killed, network cut): record
				// who asked, in its own transaction, so a completion that did land is never without its user's entry.
				await this.context.audit
					.record(request, {
						action: "USER_TASK_COMPLETION_UNCONFIRMED",
						entityType: "user-task",
						entityId: key,
						caseNumber: task.caseNumber,
						detail: { variables: Object.keys(variables), error: (error as Error).message },
					})
					.catch((auditError: unknown) =>
						request.log.error({ err: auditError, userTaskKey: key }, "recording the unconfirmed completion failed"),
					);
				throw new ProblemError(
					"ENGINE_UNAVAILABLE",
					`The engine did not confirm completing the job of user task ${key} (${(error as Error).message}). If the engine took it before the answer was lost, the task leaves the list within seconds; if it is still open, retry.`,
				);
			}
			await this.repository.update(
				key,
				{
					state: "COMPLETED",
					completionDate: now,
					completedBy: principal.username,
					assignee: principal.username,
					variables: { ...task.variables, ...variables },
				},
				em,
			);
			await this.context.audit.record(
				request,
				// Names only: submitted values may be sensitive case data.
				{
					action: "USER_TASK_COMPLETED",
					entityType: "user-task",
					entityId: key,
					caseNumber: task.caseNumber,
					detail: { variables: Object.keys(variables) },
				},
				em,
			);
			return { gone: false as const, task, completedElsewhere: false };
		});
		if (outcome.gone) {
			this.emit("userTask.canceled", outcome.task);
			throw new ProblemError(
				"USER_TASK_JOB_GONE",
				`The engine no longer has the job of user task ${key} (its instance was canceled or a boundary event fired); the task is now canceled.`,
			);
		}
		this.emit("userTask.completed", outcome.task);
		if (outcome.completedElsewhere) {
			throw new ProblemError(
				"USER_TASK_NOT_ACTIVE",
				`User task ${key} was already completed in the engine by another request or client; nothing more was done.`,
			);
		}
	}
}
