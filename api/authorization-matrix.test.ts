import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Permission, permissionRoles, roles } from "./auth/permissions";
import { storeUserTaskJob } from "./tasks/user-task.worker";
import { type ApiTestKit, createApiTestKit } from "./testing/api-test-kit";

/**
 * The permission each `/v2` route requires. A route missing here fails the test, so adding a route means
 * deciding who may call it.
 */
const expected: Record<string, Permission | "public"> = {
	"POST /v2/auth/login": "public",
	"GET /v2/auth/oidc/authorization": "public",
	"GET /v2/auth/oidc/callback": "public",
	"GET /v2/auth/jwks": "public",
	"GET /v2/auth/methods": "public",
	"GET /v2/auth/me": "session:read",
	"POST /v2/users": "user:manage",
	"POST /v2/users/search": "user:read",
	"PATCH /v2/users/{username}": "user:manage",
	"POST /v2/audit-logs/search": "audit:read",
	"POST /v2/audit-logs/verification": "audit:read",
	"POST /v2/user-tasks/search": "task:read",
	"GET /v2/user-tasks/{userTaskKey}": "task:read",
	"GET /v2/user-tasks/{userTaskKey}/variables": "task:read",
	"GET /v2/user-tasks/{userTaskKey}/form": "task:read",
	"POST /v2/user-tasks/{userTaskKey}/assignment": "task:work",
	"DELETE /v2/user-tasks/{userTaskKey}/assignee": "task:work",
	"PATCH /v2/user-tasks/{userTaskKey}": "task:manage",
	"POST /v2/user-tasks/{userTaskKey}/completion": "task:work",
	"POST /v2/user-tasks/{userTaskKey}/comments": "task:work",
	"GET /v2/user-tasks/{userTaskKey}/comments": "task:read",
	"POST /v2/user-task-filters": "task:work",
	"POST /v2/user-task-filters/search": "task:read",
	"GET /v2/user-task-filters/{filterId}": "task:read",
	"DELETE /v2/user-task-filters/{filterId}": "task:work",
	"GET /v2/events": "event:read",
	"POST /v2/process-definitions/search": "process:read",
	"GET /v2/process-definitions/{processDefinitionKey}": "process:read",
	"GET /v2/process-definitions/{processDefinitionKey}/xml": "process:read",
	"GET /v2/process-definitions/{processDefinitionKey}/statistics/element-instances": "process:read",
	"POST /v2/process-instances": "process:start",
	"POST /v2/process-instances/search": "process:read",
	"POST /v2/process-instances/export": "process:read",
	"GET /v2/process-instances/{processInstanceKey}": "process:read",
	"POST /v2/process-instances/{processInstanceKey}/cancellation": "process:operate",
	"POST /v2/process-instances/batch-cancellation": "process:operate",
	"PUT /v2/element-instances/{elementInstanceKey}/variables": "process:operate",
	"POST /v2/incidents/search": "process:read",
	"GET /v2/incidents/{incidentKey}": "process:read",
	"POST /v2/incidents/{incidentKey}/resolution": "process:operate",
	"POST /v2/incidents/batch-resolution": "process:operate",
	"POST /v2/incidents/batch-cancellation": "process:operate",
	"POST /v2/messages/publication": "message:publish",
	"POST /v2/signals/broadcast": "message:publish",
	"POST /v2/deployments": "process:deploy",
	"POST /v2/deployments/lint": "process:deploy",
	"POST /v2/cases/search": "case:read",
	"GET /v2/cases/{caseNumber}": "case:read",
};

/** One demo user per role. */
const userOf: Record<(typeof roles)[number], string> = {
	officer: "officer.olaya",
	supervisor: "supervisor.olaya",
	investigator: "investigator.riyadh",
	analyst: "analyst",
	admin: "admin",
	auditor: "auditor",
};

describe("authorization matrix", () => {
	let kit: ApiTestKit;
	let routes: string[];
	const mlzTask = "2251799813690001";
	const borderTask = "2251799813690002";
	beforeAll(async () => {
		kit = await createApiTestKit("authz");
		await kit.app.ready();
		const spec = kit.app.swagger() as { paths: Record<string, Record<string, unknown>> };
		routes = Object.entries(spec.paths)
			.filter(([path]) => path.startsWith("/v2/"))
			.flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
		const base = {
			type: "io.camunda.zeebe:userTask",
			processInstanceKey: "1",
			bpmnProcessId: "p",
			processDefinitionVersion: 1,
			processKey: "1",
			elementId: "t",
			elementInstanceKey: "2",
			deadline: "0",
			variables: {},
		};
		const options = { orm: kit.orm, logger: pino({ level: "silent" }) };
		await storeUserTaskJob(
			{ ...base, key: mlzTask, customHeaders: { "io.camunda.zeebe:candidateGroups": '["duty-desk-officer:RUH-MLZ"]' } },
			options,
		);
		await storeUserTaskJob(
			{
				...base,
				key: borderTask,
				tenantId: "border-guard",
				customHeaders: { "io.camunda.zeebe:candidateGroups": '["investigation-officer:BG-JZN"]' },
			},
			options,
		);
	});
	afterAll(async () => kit.close());

	it("should declare a permission for every documented /v2 route, and document every route declared here", () => {
		expect(routes.sort()).toEqual(Object.keys(expected).sort());
	});

	it("should document every /v2 operation in the OpenAPI document: tag, summary, a success answer and its problems", () => {
		const spec = kit.app.swagger() as {
			paths: Record<string, Record<string, { tags?: string[]; summary?: string; responses?: Record<string, unknown> }>>;
		};
		const gaps: string[] = [];
		for (const [path, methods] of Object.entries(spec.paths).filter(([path]) => path.startsWith("/v2/"))) {
			for (const [method, operation] of Object.entries(methods)) {
				const route = `${method.toUpperCase()} ${path}`;
				const statuses = Object.keys(operation.responses ?? {});
				if (!operation.tags?.length || !operation.summary) gaps.push(`${route}: no tag or summary`);
				if (!statuses.some((status) => /^[23]/.test(status))) gaps.push(`${route}: no success answer`);
				const problems = expected[route] === "public" ? ["400", "500"] : ["401", "403"];
				for (const status of problems) if (!statuses.includes(status)) gaps.push(`${route}: no ${status} answer`);
			}
		}
		expect(gaps).toEqual([]);
	});

	it("should answer 403 to every role without the route's permission and let every role with it through", async () => {
		const outcomes: string[] = [];
		for (const route of Object.keys(expected)) {
			const permission = expected[route]!;
			if (permission === "public") continue;
			const [method, path] = route.split(" ") as [string, string];
			const url = path
				.replace(/\{(userTaskKey|processDefinitionKey|processInstanceKey|elementInstanceKey|incidentKey)\}/, "123")
				.replace("{username}", "analyst")
				.replace("{caseNumber}", "RUH-OLY-1447-000001-0")
				.replace("{filterId}", "00000000-0000-4000-8000-000000000000");
			for (const role of roles) {
				const allowed = (permissionRoles[permission] as readonly string[]).includes(role);
				// An allowed event stream stays open; its permitted side is covered by events.routes.test.ts.
				if (allowed && route === "GET /v2/events") continue;
				const response = await kit.app.inject({
					method: method as "GET",
					url,
					headers: await kit.as(userOf[role]),
					payload: method === "GET" || method === "DELETE" ? undefined : {},
				});
				const denied = response.statusCode === 403 && response.json().code === "FORBIDDEN";
				if (denied === allowed || response.statusCode === 401)
					outcomes.push(`${role} ${route}: ${response.statusCode} ${response.body.slice(0, 120)}`);
			}
			const anonymous = await kit.app.inject({
				method: method as "GET",
				url,
				payload: method === "GET" || method === "DELETE" ? undefined : {},
			});
			if (anonymous.statusCode !== 401) outcomes.push(`anonymous ${route}: ${anonymous.statusCode}`);
		}
		expect(outcomes).toEqual([]);
	});

	it("should hide tasks of other units and other tenants on every task route", async () => {
		const taskRoutes: Array<[string, string, unknown]> = [
			["GET", "", undefined],
			["GET", "/variables", undefined],
			["GET", "/comments", undefined],
			["POST", "/comments", { body: "x" }],
			["POST", "/assignment", { assignee: "officer.olaya" }],
			["DELETE", "/assignee", undefined],
			["POST", "/completion", {}],
		];
		const leaks: string[] = [];
		for (const [who, key] of [
			["officer.olaya", mlzTask],
			["supervisor.olaya", mlzTask],
			["admin", borderTask],
			["officer.olaya", borderTask],
		] as const) {
			for (const [method, suffix, payload] of taskRoutes) {
				const response = await kit.app.inject({
					method: method as "GET",
					url: `/v2/user-tasks/${key}${suffix}`,
					headers: await kit.as(who),
					payload: payload as object,
				});
				if (response.statusCode !== 404) leaks.push(`${who} ${method} ${key}${suffix}: ${response.statusCode}`);
			}
		}
		const patch = await kit.app.inject({
			method: "PATCH",
			url: `/v2/user-tasks/${borderTask}`,
			headers: await kit.as("admin"),
			payload: { changeset: { priority: 1 } },
		});
		if (patch.statusCode !== 404) leaks.push(`admin PATCH ${borderTask}: ${patch.statusCode}`);
		expect(leaks).toEqual([]);
	});
});
