import type { FastifyPluginAsync } from "fastify";
import { ProblemError } from "../errors/error-registry";
import type { ApiContext } from "../v2.plugin";
import type { SavedFilter } from "./saved-filter.entity";
import { SavedFiltersRepository } from "./saved-filters.repository";
import {
	createSavedFilterSchema,
	deleteSavedFilterSchema,
	getSavedFilterSchema,
	searchSavedFiltersSchema,
} from "./saved-filters.schemas";

function view(saved: SavedFilter) {
	return {
		filterId: saved.id,
		name: saved.name,
		owner: saved.ownerUsername,
		filter: saved.filter,
		sort: saved.sort,
		sharedWithGroup: saved.sharedWithGroup,
		createdAt: saved.createdAt.toISOString(),
	};
}

type IdParams = { Params: { filterId: string } };

/** `/v2/user-task-filters`: task-list filters kept on the server. */
export const savedFiltersRoutes: FastifyPluginAsync<{ context: ApiContext }> = async (app, { context }) => {
	app.post<{
		Body: {
			name: string;
			filter: Record<string, unknown>;
			sort?: Array<Record<string, unknown>>;
			sharedWithGroup?: string | null;
		};
	}>(
		"/user-task-filters",
		{ schema: createSavedFilterSchema, config: { permission: "task:work" } },
		async (request, reply) => {
			const principal = request.principal!;
			const group = request.body.sharedWithGroup ?? null;
			if (group !== null && !principal.groups.includes(group)) {
				throw new ProblemError(
					"FORBIDDEN",
					`You can share a filter only with one of your own groups (${principal.groups.join(", ") || "none"}), not "${group}".`,
				);
			}
			const saved = await context.orm.em.fork().transactional(async (em) => {
				const created = await new SavedFiltersRepository(em).create(principal, {
					name: request.body.name,
					filter: request.body.filter,
					sort: request.body.sort ?? [],
					sharedWithGroup: group,
				});
				await context.audit.record(
					request,
					{
						action: "SAVED_FILTER_CREATED",
						entityType: "saved-filter",
						entityId: created.id,
						detail: { name: created.name, sharedWithGroup: group },
					},
					em,
				);
				return created;
			});
			return reply.code(201).send(view(saved));
		},
	);

	app.post(
		"/user-task-filters/search",
		{ schema: searchSavedFiltersSchema, config: { permission: "task:read" } },
		async (request) => {
			const items = await new SavedFiltersRepository(context.orm.em.fork()).list(request.principal!);
			return { items: items.map(view), page: { totalItems: items.length, endCursor: null } };
		},
	);

	app.get<IdParams>(
		"/user-task-filters/:filterId",
		{ schema: getSavedFilterSchema, config: { permission: "task:read" } },
		async (request) => {
			const saved = await new SavedFiltersRepository(context.orm.em.fork()).findVisible(
				request.principal!,
				request.params.filterId,
			);
			if (!saved)
				throw new ProblemError(
					"SAVED_FILTER_NOT_FOUND",
					`Saved filter ${request.params.filterId} does not exist or is not shared with you.`,
				);
			return view(saved);
		},
	);

	app.delete<IdParams>(
		"/user-task-filters/:filterId",
		{ schema: deleteSavedFilterSchema, config: { permission: "task:work" } },
		async (request, reply) => {
			const principal = request.principal!;
			await context.orm.em.fork().transactional(async (em) => {
				const repository = new SavedFiltersRepository(em);
				const saved = await repository.findVisible(principal, request.params.filterId);
				if (!saved || saved.ownerId !== principal.userId) {
					throw new ProblemError(
						"SAVED_FILTER_NOT_FOUND",
						`You own no saved filter ${request.params.filterId}; only its owner can delete it.`,
					);
				}
				await repository.remove(saved);
				await context.audit.record(
					request,
					{
						action: "SAVED_FILTER_DELETED",
						entityType: "saved-filter",
						entityId: saved.id,
						detail: { name: saved.name },
					},
					em,
				);
			});
			return reply.code(204).send();
		},
	);
};
