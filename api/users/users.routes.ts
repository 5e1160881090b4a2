import type { FastifyPluginAsync } from "fastify";
import { ProblemError } from "../errors/error-registry";
import type { ApiContext } from "../v2.plugin";
import type { User } from "./user.entity";
import { createUserSchema, searchUsersSchema, updateUserSchema } from "./users.schemas";
import { hashPassword } from "../auth/password";
import { UserSchema } from "./user.entity";
import { UsersRepository } from "./users.repository";

function view(user: User) {
	return {
		userId: user.id,
		username: user.username,
		displayName: user.displayName,
		roles: user.roles,
		groups: user.groups,
		tenantId: user.tenantId,
		disabled: user.disabled,
	};
}

/** `POST /v2/users` (admins) and `POST /v2/users/search` (supervisors, admins), always within the caller's tenant. */
export const usersRoutes: FastifyPluginAsync<{ context: ApiContext }> = async (app, { context }) => {
	app.post<{ Body: { username: string; displayName?: string; password: string; roles: string[]; groups?: string[] } }>(
		"/users",
		{ schema: createUserSchema, config: { permission: "user:manage" } },
		async (request, reply) => {
			const tenantId = request.principal!.tenantId;
			const user = await context.orm.em.fork().transactional(async (em) => {
				const users = new UsersRepository(em);
				if (await users.findByUsername(request.body.username)) {
					throw new ProblemError(
						"USERNAME_TAKEN",
						`The username "${request.body.username}" is already in use; choose another.`,
					);
				}
				const created = await users.create({ ...request.body, groups: request.body.groups ?? [], tenantId });
				await context.audit.record(
					request,
					{
						action: "USER_CREATED",
						entityType: "user",
						entityId: created.id,
						detail: { username: created.username, roles: created.roles, groups: created.groups },
					},
					em,
				);
				return created;
			});
			return reply.code(201).send(view(user));
		},
	);

	app.post<{ Body: { filter?: { role?: string; group?: string } } }>(
		"/users/search",
		{ schema: searchUsersSchema, config: { permission: "user:read" } },
		async (request) => {
			const filter = request.body?.filter ?? {};
			const users = (await new UsersRepository(context.orm.em.fork()).listInTenant(request.principal!.tenantId)).filter(
				(user) =>
					(!filter.role || user.roles.includes(filter.role)) && (!filter.group || user.groups.includes(filter.group)),
			);
			return { items: users.map(view), page: { totalItems: users.length, endCursor: null } };
		},
	);

	app.patch<{
		Params: { username: string };
		Body: { displayName?: string; password?: string; roles?: string[]; groups?: string[]; disabled?: boolean };
	}>("/users/:username", { schema: updateUserSchema, config: { permission: "user:manage" } }, async (request) => {
		const principal = request.principal!;
		const user = await context.orm.em.fork().transactional(async (em) => {
			const found = await em.findOne(UserSchema, { username: request.params.username, tenantId: principal.tenantId });
			if (!found)
				throw new ProblemError("USER_NOT_FOUND", `There is no user "${request.params.username}" in your agency.`);
			const { password, ...changes } = request.body;
			if (
				found.id === principal.userId &&
				(changes.disabled === true || (changes.roles && !changes.roles.includes("admin")))
			) {
				throw new ProblemError(
					"FORBIDDEN",
					"You cannot disable yourself or remove your own admin role; ask another admin.",
				);
			}
			Object.assign(found, changes);
			if (password) found.passwordHash = await hashPassword(password);
			await em.flush();
			await context.audit.record(
				request,
				// Field names only, never the password.
				{
					action: "USER_UPDATED",
					entityType: "user",
					entityId: found.id,
					detail: { username: found.username, changed: Object.keys(request.body) },
				},
				em,
			);
			return found;
		});
		return view(user);
	});
};
