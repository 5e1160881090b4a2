import pino from "pino";
import { formatCaseNumber } from "../../domain/index";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestKit, createApiTestKit } from "../testing/api-test-kit";
import type { FormDefinition } from "./form-schema";
import { TaskEvents, type TaskEvent } from "./task-events";
import type { UserTaskJob } from "./user-task-job";
import { storeUserTaskJob } from "./user-task.worker";

let nextKey = 2251799813685000;

/** A job as zeebe-node hands it to the worker for a job-based user task. */
function userTaskJob(
	headers: Record<string, string>,
	variables: Record<string, unknown> = {},
	overrides: Partial<UserTaskJob> = {},
): UserTaskJob {
	nextKey += 7;
	return {
		key: String(nextKey),
		type: "io.camunda.zeebe:userTask",
		processInstanceKey: String(nextKey - 3),
		bpmnProcessId: "report-intake",
		processDefinitionVersion: 2,
		processKey: "2251799813684001",
		elementId: "review-report",
		elementInstanceKey: String(nextKey - 1),
		customHeaders: headers,
		deadline: String(Date.now() + 30 * 24 * 3600 * 1000),
		variables,
		...overrides,
	};
}

const reportForm: FormDefinition = {
	components: [
		{ type: "textfield", key: "summary", label: "Summary", validate: { required: true, minLength: 5 } },
		{ type: "number", key: "victims", validate: { min: 0, max: 50 } },
		{
			type: "select",
			key: "category",
			values: [{ value: "criminal" }, { value: "traffic" }],
			validate: { required: true },
		},
	],
};

describe("user tasks", () => {
	let kit: ApiTestKit;
	const events: TaskEvent[] = [];
	const taskEvents = new TaskEvents();
	taskEvents.subscribe((event) => events.push(event));
	const logger = pino({ level: "silent" });
	const keys: Record<string, string> = {};

	async function store(job: UserTaskJob) {
		return storeUserTaskJob(job, { orm: kit.orm, logger, events: taskEvents });
	}
	async function search(username: string, body: Record<string, unknown> = {}) {
		const response = await kit.app.inject({
			method: "POST",
			url: "/v2/user-tasks/search",
			headers: await kit.as(username),
			payload: body,
		});
		expect(response.statusCode, response.body).toBe(200);
		return response.json() as {
			items: Array<Record<string, unknown>>;
			page: { totalItems: number; endCursor: string | null };
		};
	}
	const keysOf = (result: { items: Array<Record<string, unknown>> }) =>
		result.items.map((item) => item.userTaskKey).sort();

	beforeAll(async () => {
		kit = await createApiTestKit("tasks", {
			api: {
				tasks: {
					events: taskEvents,
					formResolver: async (formKey) => (formKey === "camunda-forms:bpmn:report-form" ? reportForm : undefined),
				},
			},
		});
		const olyGroup = { "io.camunda.zeebe:candidateGroups": '["investigation-officer:RUH-OLY"]' };
		keys.olyGroup = (
			await store(
				userTaskJob(
					{
						...olyGroup,
						"io.camunda.zeebe:dueDate": "2026-12-01T10:00:00Z",
						"io.camunda.zeebe:priority": "80",
						"io.camunda.zeebe:formKey": "camunda-forms:bpmn:report-form",
					},
					{ caseNumber: "RUH-OLY-1447-000153-9", district: "Olaya", severity: 3 },
				),
			)
		).task.key;
		keys.olyCommander = (
			await store(
				userTaskJob(
					{
						"io.camunda.zeebe:candidateGroups": '["station-commander:RUH-OLY"]',
						"io.camunda.zeebe:dueDate": "2026-11-30T10:00:00Z",
					},
					{ district: "Olaya", severity: 1 },
				),
			)
		).task.key;
		keys.mlzGroup = (
			await store(
				userTaskJob(
					{ "io.camunda.zeebe:candidateGroups": "duty-desk-officer:RUH-MLZ", "io.camunda.zeebe:priority": "20" },
					{ caseNumber: "RUH-MLZ-1447-000001-4", district: "Malaz" },
					{ elementId: "register-report", bpmnProcessId: "report-intake-mlz" },
				),
			)
		).task.key;
		keys.olyUser = (
			await store(
				userTaskJob({
					"io.camunda.zeebe:candidateUsers": '["officer.olaya"]',
					"io.camunda.zeebe:followUpDate": "2026-12-05T00:00:00Z",
				}),
			)
		).task.key;
		keys.assignedMalaz = (await store(userTaskJob({ "io.camunda.zeebe:assignee": "officer.malaz" }))).task.key;
		keys.border = (
			await store(
				userTaskJob(
					{ "io.camunda.zeebe:candidateGroups": '["investigation-officer:BG-JZN"]' },
					{},
					{ tenantId: "border-guard" },
				),
			)
		).task.key;
	});
	afterAll(async () => kit.close());

	it("should store a job once: the same job again changes nothing and keeps later assignments", async () => {
		const job = userTaskJob({ "io.camunda.zeebe:candidateGroups": '["investigation-officer:RUH-OLY"]' });
		expect((await store(job)).created).toBe(true);
		const claim = await kit.app.inject({
			method: "POST",
			url: `/v2/user-tasks/${job.key}/assignment`,
			headers: await kit.as("officer.olaya"),
			payload: { assignee: "officer.olaya" },
		});
		expect(claim.statusCode).toBe(204);
		expect((await store({ ...job, deadline: String(Date.now() + 1000) })).created).toBe(false);
		const task = await kit.app.inject({ url: `/v2/user-tasks/${job.key}`, headers: await kit.as("officer.olaya") });
		expect(task.json()).toMatchObject({ assignee: "officer.olaya", state: "CREATED" });
		expect(events.filter((event) => event.userTaskKey === job.key && event.type === "userTask.created")).toHaveLength(
			1,
		);
	});

	it("should read the reserved headers and the case number into the task", async () => {
		const response = await kit.app.inject({
			url: `/v2/user-tasks/${keys.olyGroup}`,
			headers: await kit.as("officer.olaya"),
		});
		expect(response.json()).toMatchObject({
			userTaskKey: keys.olyGroup,
			name: "review-report",
			state: "CREATED",
			assignee: null,
			candidateGroups: ["investigation-officer:RUH-OLY"],
			processDefinitionId: "report-intake",
			processDefinitionVersion: 2,
			caseNumber: "RUH-OLY-1447-000153-9",
			dueDate: "2026-12-01T10:00:00.000Z",
			priority: 80,
			formKey: "camunda-forms:bpmn:report-form",
			tenantId: "public-security",
		});
		const variables = await kit.app.inject({
			url: `/v2/user-tasks/${keys.olyGroup}/variables`,
			headers: await kit.as("officer.olaya"),
		});
		expect(variables.json().items).toContainEqual({ name: "district", value: '"Olaya"' });
		const form = await kit.app.inject({
			url: `/v2/user-tasks/${keys.olyGroup}/form`,
			headers: await kit.as("officer.olaya"),
		});
		expect(form.json()).toEqual(reportForm);
	});

	it("should show officers only tasks for them or their groups, supervisors their units, nothing across tenants", async () => {
		const olaya = keysOf(await search("officer.olaya", { filter: { state: "CREATED" } }));
		expect(olaya).toContain(keys.olyGroup);
		expect(olaya).toContain(keys.olyUser);
		expect(olaya).not.toContain(keys.olyCommander);
		expect(olaya).not.toContain(keys.mlzGroup);
		expect(olaya).not.toContain(keys.assignedMalaz);

		expect(keysOf(await search("officer.malaz"))).toEqual([keys.mlzGroup, keys.assignedMalaz].sort());

		const supervisor = keysOf(await search("supervisor.olaya"));
		expect(supervisor).toEqual(expect.arrayContaining([keys.olyGroup, keys.olyCommander]));
		expect(supervisor).not.toContain(keys.mlzGroup);

		const admin = keysOf(await search("admin"));
		expect(admin).toEqual(expect.arrayContaining([keys.olyGroup, keys.mlzGroup, keys.assignedMalaz]));
		expect(admin).not.toContain(keys.border);
		expect(keysOf(await search("officer.border"))).toEqual([keys.border]);

		const hidden = await kit.app.inject({
			url: `/v2/user-tasks/${keys.mlzGroup}`,
			headers: await kit.as("officer.olaya"),
		});
		expect(hidden.json()).toMatchObject({ status: 404, code: "USER_TASK_NOT_FOUND" });
		const crossTenant = await kit.app.inject({ url: `/v2/user-tasks/${keys.border}`, headers: await kit.as("admin") });
		expect(crossTenant.statusCode).toBe(404);
		const analyst = await kit.app.inject({
			method: "POST",
			url: "/v2/user-tasks/search",
			headers: await kit.as("analyst"),
			payload: {},
		});
		expect(analyst.statusCode).toBe(403);
	});

	it("should show supervisors a task assigned straight to an officer when its case number names their unit", async () => {
		const caseNumber = formatCaseNumber({ region: "RUH", unit: "OLY", hijriYear: 1447, sequence: 777 });
		const direct = await store(userTaskJob({ "io.camunda.zeebe:assignee": "officer.olaya" }, { caseNumber }));
		expect(keysOf(await search("supervisor.olaya", { filter: { caseNumber } }))).toEqual([direct.task.key]);
		expect(keysOf(await search("officer.malaz", { filter: { caseNumber } }))).toEqual([]);
		const patched = await kit.app.inject({
			method: "PATCH",
			url: `/v2/user-tasks/${direct.task.key}`,
			headers: await kit.as("supervisor.olaya"),
			payload: { changeset: { candidateGroups: ["duty-desk-officer:RUH-OLY"] } },
		});
		expect(patched.statusCode).toBe(204);
		expect(keysOf(await search("supervisor.olaya", { filter: { caseNumber } }))).toEqual([direct.task.key]);
	});

	it("should filter on every field, including several variables at once", async () => {
		const filter = async (filter: Record<string, unknown>) => keysOf(await search("admin", { filter }));
		expect(await filter({ candidateGroup: "station-commander:RUH-OLY" })).toEqual([keys.olyCommander]);
		expect(await filter({ candidateGroups: ["station-commander:RUH-OLY", "duty-desk-officer:RUH-MLZ"] })).toEqual(
			[keys.olyCommander, keys.mlzGroup].sort(),
		);
		expect(await filter({ candidateUser: "officer.olaya" })).toEqual([keys.olyUser]);
		expect(await filter({ assignee: "officer.malaz" })).toEqual([keys.assignedMalaz]);
		expect(await filter({ processDefinitionId: "report-intake-mlz" })).toEqual([keys.mlzGroup]);
		expect(await filter({ elementId: "register-report" })).toEqual([keys.mlzGroup]);
		expect(await filter({ caseNumber: "RUH-OLY-1447-000153-9" })).toEqual([keys.olyGroup]);
		expect(await filter({ dueDate: { from: "2026-12-01T00:00:00Z", to: "2026-12-02T00:00:00Z" } })).toEqual([
			keys.olyGroup,
		]);
		expect(await filter({ followUpDate: { from: "2026-12-01T00:00:00Z" } })).toEqual([keys.olyUser]);
		expect(await filter({ priority: { gte: 70 } })).toEqual([keys.olyGroup]);
		expect(await filter({ priority: 20 })).toEqual([keys.mlzGroup]);
		expect(await filter({ variables: [{ name: "district", value: '"Olaya"' }] })).toEqual(
			[keys.olyGroup, keys.olyCommander].sort(),
		);
		expect(
			await filter({
				variables: [
					{ name: "district", value: '"Olaya"' },
					{ name: "severity", value: "3" },
				],
			}),
		).toEqual([keys.olyGroup]);
		expect(
			await filter({
				processInstanceKey: (
					await kit.app.inject({ url: `/v2/user-tasks/${keys.olyUser}`, headers: await kit.as("admin") })
				).json().processInstanceKey,
			}),
		).toEqual([keys.olyUser]);
		const invalid = await kit.app.inject({
			method: "POST",
			url: "/v2/user-tasks/search",
			headers: await kit.as("admin"),
			payload: { filter: { state: "OPEN", dueDate: { from: "soon" } } },
		});
		expect(
			invalid
				.json()
				.errors.map((error: { field: string }) => error.field)
				.sort(),
		).toEqual(["/filter/dueDate/from", "/filter/state"]);
	});

	it("should sort on priority and due date with undated tasks last, and page with cursors", async () => {
		const byPriority = await search("admin", {
			filter: { state: "CREATED" },
			sort: [{ field: "priority", order: "DESC" }],
		});
		const priorities = byPriority.items.map((item) => item.priority as number);
		expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
		const byDue = await search("admin", { sort: [{ field: "dueDate" }] });
		expect(byDue.items.slice(0, 2).map((item) => item.userTaskKey)).toEqual([keys.olyCommander, keys.olyGroup]);
		const first = await search("admin", { sort: [{ field: "dueDate" }], page: { limit: 2 } });
		const second = await search("admin", {
			sort: [{ field: "dueDate" }],
			page: { limit: 2, after: first.page.endCursor },
		});
		expect(first.page.totalItems).toBe(byDue.page.totalItems);
		expect([...first.items, ...second.items].map((item) => item.userTaskKey)).toEqual(
			byDue.items.slice(0, 4).map((item) => item.userTaskKey),
		);
	});

	it("should let officers claim for themselves only and not take over, and supervisors reassign", async () => {
		const olaya = await kit.as("officer.olaya");
		const url = `/v2/user-tasks/${keys.olyGroup}/assignment`;
		expect(
			(await kit.app.inject({ method: "POST", url, headers: olaya, payload: { assignee: "officer.malaz" } })).json()
				.code,
		).toBe("FORBIDDEN");
		expect(
			(await kit.app.inject({ method: "POST", url, headers: olaya, payload: { assignee: "officer.olaya" } }))
				.statusCode,
		).toBe(204);
		const supervisor = await kit.as("supervisor.olaya");
		const refused = await kit.app.inject({
			method: "POST",
			url,
			headers: supervisor,
			payload: { assignee: "supervisor.olaya", allowOverride: false },
		});
		expect(refused.json()).toMatchObject({ status: 409, code: "USER_TASK_ALREADY_ASSIGNED" });
		expect(
			(
				await kit.app.inject({ method: "POST", url, headers: supervisor, payload: { assignee: "officer.border" } })
			).json().code,
		).toBe("USER_NOT_FOUND");
		expect(
			(await kit.app.inject({ method: "POST", url, headers: supervisor, payload: { assignee: "supervisor.olaya" } }))
				.statusCode,
		).toBe(204);
		expect(
			(
				await kit.app.inject({ method: "DELETE", url: `/v2/user-tasks/${keys.olyGroup}/assignee`, headers: olaya })
			).json().code,
		).toBe("USER_TASK_NOT_ASSIGNED_TO_YOU");
		expect(
			(await kit.app.inject({ method: "DELETE", url: `/v2/user-tasks/${keys.olyGroup}/assignee`, headers: supervisor }))
				.statusCode,
		).toBe(204);
		const audit = await kit.app.inject({
			method: "POST",
			url: "/v2/audit-logs/search",
			headers: await kit.as("auditor"),
			payload: { filter: { entityId: keys.olyGroup } },
		});
		expect(audit.json().items.map((item: { action: string }) => item.action)).toEqual([
			"USER_TASK_UNASSIGNED",
			"USER_TASK_ASSIGNED",
			"USER_TASK_ASSIGNED",
		]);
	});

	it("should let supervisors change dates, candidates and priority, and refuse officers", async () => {
		const url = `/v2/user-tasks/${keys.olyCommander}`;
		const payload = { changeset: { dueDate: null, priority: 90, candidateGroups: ["investigation-officer:RUH-OLY"] } };
		expect(
			(await kit.app.inject({ method: "PATCH", url, headers: await kit.as("officer.olaya"), payload })).statusCode,
		).toBe(403);
		expect(
			(await kit.app.inject({ method: "PATCH", url, headers: await kit.as("supervisor.olaya"), payload })).statusCode,
		).toBe(204);
		const task = (await kit.app.inject({ url, headers: await kit.as("officer.olaya") })).json();
		expect(task).toMatchObject({ dueDate: null, priority: 90, candidateGroups: ["investigation-officer:RUH-OLY"] });
		const empty = await kit.app.inject({
			method: "PATCH",
			url,
			headers: await kit.as("supervisor.olaya"),
			payload: { changeset: {} },
		});
		expect(empty.statusCode).toBe(400);
	});

	it("should check submitted variables against the task's form and change nothing on a bad submission", async () => {
		const url = `/v2/user-tasks/${keys.olyGroup}/completion`;
		const headers = await kit.as("officer.olaya");
		const bad = await kit.app.inject({
			method: "POST",
			url,
			headers,
			payload: { variables: { summary: "abc", victims: 99, category: "other" } },
		});
		expect(bad.statusCode).toBe(400);
		expect(bad.json().code).toBe("FORM_VALIDATION_FAILED");
		expect(
			bad
				.json()
				.errors.map((error: { field: string }) => error.field)
				.sort(),
		).toEqual(["/category", "/summary", "/victims"]);
		const missing = await kit.app.inject({ method: "POST", url, headers, payload: { variables: {} } });
		expect(
			missing
				.json()
				.errors.map((error: { field: string }) => error.field)
				.sort(),
		).toEqual(["/category", "/summary"]);
		expect((await kit.app.inject({ url: `/v2/user-tasks/${keys.olyGroup}`, headers })).json()).toMatchObject({
			state: "CREATED",
			assignee: null,
		});
		// Valid variables reach the engine step; this app has no engine connection, so 503 and still nothing changes.
		const noEngine = await kit.app.inject({
			method: "POST",
			url,
			headers,
			payload: { variables: { summary: "Stolen car", category: "criminal" } },
		});
		expect(noEngine.json()).toMatchObject({ status: 503, code: "ENGINE_UNAVAILABLE" });
		expect((await kit.app.inject({ url: `/v2/user-tasks/${keys.olyGroup}`, headers })).json()).toMatchObject({
			state: "CREATED",
			assignee: null,
		});
	});

	it("should refuse completing someone else's task", async () => {
		const response = await kit.app.inject({
			method: "POST",
			url: `/v2/user-tasks/${keys.assignedMalaz}/completion`,
			headers: await kit.as("supervisor.olaya"),
			payload: {},
		});
		expect(response.statusCode).toBe(404);
		const admin = await kit.app.inject({
			method: "POST",
			url: `/v2/user-tasks/${keys.assignedMalaz}/completion`,
			headers: await kit.as("admin"),
			payload: {},
		});
		expect(admin.json()).toMatchObject({ status: 409, code: "USER_TASK_NOT_ASSIGNED_TO_YOU" });
	});

	it("should keep comments on a task, visible to whoever sees the task", async () => {
		const url = `/v2/user-tasks/${keys.olyUser}/comments`;
		const added = await kit.app.inject({
			method: "POST",
			url,
			headers: await kit.as("officer.olaya"),
			payload: { body: "Called the complainant back." },
		});
		expect(added.statusCode).toBe(201);
		expect(added.json()).toMatchObject({ author: "officer.olaya", body: "Called the complainant back." });
		const listed = await kit.app.inject({ url, headers: await kit.as("admin") });
		expect(listed.json().items).toHaveLength(1);
		expect((await kit.app.inject({ url, headers: await kit.as("officer.malaz") })).statusCode).toBe(404);
	});
});
