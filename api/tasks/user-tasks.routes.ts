import { randomUUID } from "node:crypto";
import type { FastifyPluginAsync } from "fastify";
import type { PageRequest } from "../search/paging";
import type { ApiContext } from "../v2.plugin";
import { type UserTask, type UserTaskComment, UserTaskCommentSchema } from "./user-task.entity";
import type { UserTaskFilter, UserTaskSortField } from "./user-task-search";
import {
	addCommentSchema,
	assignUserTaskSchema,
	completeUserTaskSchema,
	getUserTaskFormSchema,
	getUserTaskSchema,
	getUserTaskVariablesSchema,
	listCommentsSchema,
	searchUserTasksSchema,
	unassignUserTaskSchema,
	updateUserTaskSchema,
	userTaskSchema,
} from "./user-tasks.schemas";
import { type TaskServiceOptions, UserTaskService } from "./user-tasks.service";

/** A task as the API shows it (Camunda 8 REST v2 field names). */
export function userTaskView(task: UserTask) {
	return {
		userTaskKey: task.key,
		name: task.name,
		state: task.state,
		assignee: task.assignee,
		elementId: task.elementId,
		elementInstanceKey: task.elementInstanceKey,
		candidateGroups: task.candidateGroups,
		candidateUsers: task.candidateUsers,
		processDefinitionId: task.processDefinitionId,
		processDefinitionKey: task.processDefinitionKey,
		processDefinitionVersion: task.processDefinitionVersion,
		processInstanceKey: task.processInstanceKey,
		caseNumber: task.caseNumber,
		formKey: task.formKey,
		creationDate: task.creationDate.toISOString(),
		completionDate: task.completionDate?.toISOString() ?? null,
		dueDate: task.dueDate?.toISOString() ?? null,
		followUpDate: task.followUpDate?.toISOString() ?? null,
		priority: task.priority,
		tenantId: task.tenantId,
		customHeaders: task.customHeaders,
	};
}

function commentView(comment: UserTaskComment) {
	return {
		commentId: comment.id,
		userTaskKey: comment.taskKey,
		author: comment.authorUsername,
		body: comment.body,
		createdAt: comment.createdAt.toISOString(),
	};
}

type KeyParams = { Params: { userTaskKey: string } };

/** The officers' side: `/v2/user-tasks/…` search, reads, assignment, update, completion and comments. */
export const userTasksRoutes: FastifyPluginAsync<{ context: ApiContext; tasks: TaskServiceOptions }> = async (
	app,
	{ context, tasks },
) => {
	const service = new UserTaskService(context, tasks);
	app.addSchema(userTaskSchema);

	app.post<{
		Body: {
			filter?: UserTaskFilter;
			sort?: Array<{ field: UserTaskSortField; order?: "ASC" | "DESC" }>;
			page?: PageRequest;
		};
	}>("/user-tasks/search", { schema: searchUserTasksSchema, config: { permission: "task:read" } }, async (request) => {
		const body = request.body ?? {};
		const result = await service.repository.search(request.principal!, body.filter ?? {}, body.sort, body.page);
		return { items: result.items.map(userTaskView), page: result.page };
	});

	app.get<KeyParams>(
		"/user-tasks/:userTaskKey",
		{ schema: getUserTaskSchema, config: { permission: "task:read" } },
		async (request) => userTaskView(await service.get(request.principal!, request.params.userTaskKey)),
	);

	app.get<KeyParams>(
		"/user-tasks/:userTaskKey/variables",
		{ schema: getUserTaskVariablesSchema, config: { permission: "task:read" } },
		async (request) => {
			const task = await service.get(request.principal!, request.params.userTaskKey);
			return { items: Object.entries(task.variables).map(([name, value]) => ({ name, value: JSON.stringify(value) })) };
		},
	);

	app.get<KeyParams>(
		"/user-tasks/:userTaskKey/form",
		{ schema: getUserTaskFormSchema, config: { permission: "task:read" } },
		async (request) => service.form(request.principal!, request.params.userTaskKey),
	);

	app.post<KeyParams & { Body: { assignee: string; allowOverride?: boolean } }>(
		"/user-tasks/:userTaskKey/assignment",
		{ schema: assignUserTaskSchema, config: { permission: "task:work" } },
		async (request, reply) => {
			await service.assign(
				request,
				request.params.userTaskKey,
				request.body.assignee,
				request.body.allowOverride ?? true,
			);
			return reply.code(204).send();
		},
	);

	app.delete<KeyParams>(
		"/user-tasks/:userTaskKey/assignee",
		{ schema: unassignUserTaskSchema, config: { permission: "task:work" } },
		async (request, reply) => {
			await service.unassign(request, request.params.userTaskKey);
			return reply.code(204).send();
		},
	);

	app.patch<KeyParams & { Body: { changeset: Parameters<UserTaskService["update"]>[2] } }>(
		"/user-tasks/:userTaskKey",
		{ schema: updateUserTaskSchema, config: { permission: "task:manage" } },
		async (request, reply) => {
			await service.update(request, request.params.userTaskKey, request.body.changeset);
			return reply.code(204).send();
		},
	);

	app.post<KeyParams & { Body: { variables?: Record<string, unknown> } | null }>(
		"/user-tasks/:userTaskKey/completion",
		{ schema: completeUserTaskSchema, config: { permission: "task:work" } },
		async (request, reply) => {
			await service.complete(request, request.params.userTaskKey, request.body?.variables ?? {});
			return reply.code(204).send();
		},
	);

	app.post<KeyParams & { Body: { body: string } }>(
		"/user-tasks/:userTaskKey/comments",
		{ schema: addCommentSchema, config: { permission: "task:work" } },
		async (request, reply) => {
			const principal = request.principal!;
			const task = await service.get(principal, request.params.userTaskKey);
			const comment = await context.orm.em.fork().transactional(async (em) => {
				const created = em.create(UserTaskCommentSchema, {
					id: randomUUID(),
					taskKey: task.key,
					tenantId: task.tenantId,
					authorId: principal.userId,
					authorUsername: principal.username,
					body: request.body.body,
					createdAt: new Date(),
				});
				await em.flush();
				await context.audit.record(
					request,
					{
						action: "USER_TASK_COMMENTED",
						entityType: "user-task",
						entityId: task.key,
						caseNumber: task.caseNumber,
						detail: { commentId: created.id },
					},
					em,
				);
				return created;
			});
			return reply.code(201).send(commentView(comment));
		},
	);

	app.get<KeyParams>(
		"/user-tasks/:userTaskKey/comments",
		{ schema: listCommentsSchema, config: { permission: "task:read" } },
		async (request) => {
			const task = await service.get(request.principal!, request.params.userTaskKey);
			const comments = await context.orm.em
				.fork()
				.find(UserTaskCommentSchema, { taskKey: task.key }, { orderBy: { createdAt: "asc" } });
			return { items: comments.map(commentView) };
		},
	);
};
