import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * An in-memory stand-in for the `/v2` routes the web app calls, in the shapes of api/ (Camunda 8 REST v2,
 * RFC 9457 problems with `code`). It exists so the browser tests can drive every screen deterministically
 * and without the network; it is not the API and proves nothing about it. Routes the real API does not have
 * yet answer ROUTE_NOT_FOUND here too, so the tests see the honest "not available yet" states.
 */
export interface FixtureApi {
	handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
	/** The requests seen, `METHOD path`, for assertions. */
	calls: string[];
}

interface FixtureUser {
	username: string;
	displayName: string;
	roles: string[];
	groups: string[];
}

const password = "mizan-demo-2026";
const users: FixtureUser[] = [
	{
		username: "officer.olaya",
		displayName: "النقيب فهد القحطاني",
		roles: ["officer"],
		groups: ["RUH-OLY", "investigation-officer:RUH-OLY"],
	},
	{ username: "analyst", displayName: "محللة الإجراءات نورة العتيبي", roles: ["analyst"], groups: [] },
	{ username: "admin", displayName: "مسؤول النظام", roles: ["admin"], groups: [] },
	{ username: "auditor", displayName: "المدقق سالم الدوسري", roles: ["auditor"], groups: [] },
];

const hour = 3_600_000;

/** The form of the intake task: Arabic labels, English in a flat map as in forms/<id>.i18n.json (see web/src/forms/form-i18n.ts). */
export const intakeForm = {
	type: "default",
	id: "suspect-statement",
	schemaVersion: 19,
	properties: { language: "ar" },
	components: [
		{ type: "textfield", id: "f1", key: "nationalId", label: "رقم الهوية الوطنية", validate: { required: true } },
		{
			type: "select",
			id: "f2",
			key: "decision",
			label: "القرار",
			values: [
				{ value: "detain", label: "توقيف" },
				{ value: "release", label: "إفراج" },
			],
		},
		{ type: "textarea", id: "f3", key: "statement", label: "أقوال المشتبه به" },
		{ type: "datetime", id: "f4", key: "heardOn", subtype: "date", dateLabel: "تاريخ السماع" },
	],
	translations: {
		en: {
			nationalId: "National ID number",
			decision: "Decision",
			"decision.detain": "Detain",
			"decision.release": "Release",
			statement: "Suspect's statement",
			heardOn: "Date heard",
		},
	},
};

function tasks(now: number) {
	return [
		{
			userTaskKey: "2251799813685301",
			name: "سماع أقوال المشتبه به",
			state: "CREATED",
			assignee: "officer.olaya",
			elementId: "take-statement",
			candidateGroups: ["investigation-officer:RUH-OLY"],
			processDefinitionId: "criminal-case",
			processName: "القضية الجنائية",
			processDefinitionKey: "2251799813685249",
			processInstanceKey: "2251799813685290",
			formKey: "camunda-forms:bpmn:suspect-statement",
			creationDate: new Date(now - 30 * hour).toISOString(),
			dueDate: new Date(now - 2 * hour).toISOString(),
			priority: 80,
			caseNumber: "RUH-OLY-1447-000153-9",
		},
		{
			userTaskKey: "2251799813685302",
			name: "مراجعة محضر الضبط",
			state: "CREATED",
			assignee: null,
			elementId: "review-seizure",
			candidateGroups: ["investigation-officer:RUH-OLY"],
			processDefinitionId: "criminal-case",
			processName: "القضية الجنائية",
			processDefinitionKey: "2251799813685249",
			processInstanceKey: "2251799813685291",
			formKey: null,
			creationDate: new Date(now - 3 * hour).toISOString(),
			dueDate: new Date(now + 5 * hour).toISOString(),
			priority: 50,
			caseNumber: "RUH-OLY-1447-000154-7",
		},
		{
			userTaskKey: "2251799813685303",
			name: "إحالة القضية إلى النيابة العامة",
			state: "CREATED",
			assignee: null,
			elementId: "refer-to-prosecution",
			candidateGroups: ["investigation-officer:RUH-OLY"],
			processDefinitionId: "criminal-case",
			processName: "القضية الجنائية",
			processDefinitionKey: "2251799813685249",
			processInstanceKey: "2251799813685292",
			formKey: null,
			creationDate: new Date(now - 1 * hour).toISOString(),
			dueDate: new Date(now + 4 * 24 * hour).toISOString(),
			priority: 30,
			caseNumber: "RUH-OLY-1447-000155-4",
		},
		{
			userTaskKey: "2251799813685304",
			name: "تحريز المضبوطات",
			state: "CREATED",
			assignee: null,
			elementId: "seal-evidence",
			candidateGroups: ["investigation-officer:RUH-MLZ"],
			processDefinitionId: "evidence-custody",
			processName: "حيازة الأحراز",
			processDefinitionKey: "2251799813685250",
			processInstanceKey: "2251799813685293",
			formKey: null,
			creationDate: new Date(now - 2 * hour).toISOString(),
			dueDate: null,
			priority: 40,
			caseNumber: "RUH-MLZ-1447-000020-1",
		},
	];
}

type Task = ReturnType<typeof tasks>[number];

function validNationalId(value: unknown): boolean {
	return typeof value === "string" && /^[12]\d{9}$/.test(value);
}

/** Builds a fresh fixture (its own tasks, tokens and comments). */
export function createFixtureApi(): FixtureApi {
	const now = Date.now();
	let taskList: Task[] = tasks(now);
	const tokens = new Map<string, FixtureUser>();
	type Comment = { commentId: string; userTaskKey: string; author: string; body: string; createdAt: string };
	const comments = new Map<string, Comment[]>([
		[
			"2251799813685301",
			[
				{
					commentId: "1",
					userTaskKey: "2251799813685301",
					author: "supervisor.olaya",
					body: "يرجى إرفاق صورة الهوية.",
					createdAt: new Date(now - 5 * hour).toISOString(),
				},
			],
		],
	]);
	const calls: string[] = [];

	return {
		calls,
		async handle(request, response) {
			const url = new URL(request.url ?? "/", "http://fixture");
			const path = url.pathname;
			const method = request.method ?? "GET";
			calls.push(`${method} ${path}`);
			const body = await readJson(request);
			const send = (status: number, payload?: unknown) => {
				if (status === 204) {
					response.writeHead(204).end();
					return;
				}
				response
					.writeHead(status, { "content-type": status >= 400 ? "application/problem+json" : "application/json" })
					.end(JSON.stringify(payload));
			};
			const problem = (status: number, code: string, detail: string, extra: Record<string, unknown> = {}) =>
				send(status, {
					type: `urn:mizan:problem:${code.toLowerCase()}`,
					title: code,
					status,
					code,
					detail,
					instance: path,
					...extra,
				});

			if (method === "POST" && path === "/v2/auth/login") {
				const user = users.find((candidate) => candidate.username === body.username);
				if (!user || body.password !== password)
					return problem(401, "INVALID_CREDENTIALS", "The username or password is wrong, or the account is disabled.");
				const token = `fixture-${user.username}-${tokens.size}`;
				tokens.set(token, user);
				return send(200, { token, tokenType: "Bearer", expiresIn: 900 });
			}
			const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? "")?.[1];
			const user = token ? tokens.get(token) : undefined;
			if (!user) return problem(401, "UNAUTHENTICATED", "Send `Authorization: Bearer <token>`.");

			if (method === "GET" && path === "/v2/auth/me")
				return send(200, { userId: user.username, tenantId: "public-security", ...user });

			if (method === "POST" && path === "/v2/user-tasks/search") {
				const filter = (body.filter ?? {}) as Record<string, unknown>;
				let items = taskList.filter((task) => task.state === "CREATED");
				if (typeof filter.assignee === "string") items = items.filter((task) => task.assignee === filter.assignee);
				const groups = filter.candidateGroups as string[] | undefined;
				if (groups) items = items.filter((task) => task.candidateGroups.some((group) => groups.includes(group)));
				if (typeof filter.caseNumber === "string")
					items = items.filter((task) => task.caseNumber === filter.caseNumber);
				return send(200, { items, page: { totalItems: items.length, endCursor: null } });
			}
			const taskMatch = /^\/v2\/user-tasks\/(\d+)(\/[a-z/-]+)?$/.exec(path);
			if (taskMatch) {
				const task = taskList.find((candidate) => candidate.userTaskKey === taskMatch[1]);
				if (!task) return problem(404, "USER_TASK_NOT_FOUND", `No user task ${taskMatch[1]}.`);
				const rest = taskMatch[2] ?? "";
				if (method === "GET" && rest === "") return send(200, task);
				if (method === "GET" && rest === "/form") {
					return task.formKey
						? send(200, { formKey: "suspect-statement", version: 1, schema: JSON.stringify(intakeForm) })
						: send(204);
				}
				if (method === "GET" && rest === "/variables") {
					const values: Record<string, unknown> = {
						caseNumber: task.caseNumber,
						parties: [
							{
								name: { ar: "خالد بن سعد بن محمد الحربي", en: "Khalid Saad Al-Harbi" },
								role: "SUSPECT",
								roleLabel: { ar: "مشتبه به", en: "Suspect" },
								phone: "+966 50 123 4567",
							},
						],
						offences: [{ ar: "سرقة", en: "Theft" }],
						arrestedAt: new Date(now - 21 * hour).toISOString(),
						heardOn: "2026-11-28",
					};
					return send(200, {
						items: Object.entries(values).map(([name, value]) => ({ name, value: JSON.stringify(value) })),
						page: { totalItems: 4, endCursor: null },
					});
				}
				if (method === "POST" && rest === "/assignment") {
					if (task.assignee && task.assignee !== body.assignee && !body.allowOverride)
						return problem(409, "USER_TASK_ALREADY_ASSIGNED", "Assigned to someone else.");
					task.assignee = String(body.assignee);
					return send(204);
				}
				if (method === "DELETE" && rest === "/assignee") {
					task.assignee = null;
					return send(204);
				}
				if (method === "POST" && rest === "/completion") {
					if (task.assignee !== user.username) return problem(409, "USER_TASK_NOT_ASSIGNED_TO_YOU", "Claim it first.");
					const variables = (body.variables ?? {}) as Record<string, unknown>;
					if (task.formKey && !validNationalId(variables.nationalId)) {
						return problem(400, "FORM_VALIDATION_FAILED", "The variables break the form.", {
							errors: [
								{
									field: "/nationalId",
									location: "body",
									message: "رقم الهوية غير صالح: ١٠ أرقام تبدأ بـ ١ أو ٢",
								},
							],
						});
					}
					taskList = taskList.filter((candidate) => candidate !== task);
					return send(204);
				}
				if (rest === "/comments") {
					const list = comments.get(task.userTaskKey) ?? [];
					if (method === "POST") {
						const comment = {
							commentId: String(list.length + 1),
							userTaskKey: task.userTaskKey,
							author: user.username,
							body: String(body.body),
							createdAt: new Date().toISOString(),
						};
						comments.set(task.userTaskKey, [...list, comment]);
						return send(201, comment);
					}
					return send(200, { items: list });
				}
			}

			if (method === "POST" && path === "/v2/deployments") {
				return problem(400, "DEPLOYMENT_REJECTED", "Command 'CREATE' rejected with code 'INVALID_ARGUMENT'", {
					errors: [
						{
							field: "StartEvent_1",
							location: "resource",
							message: "A process must have at least one end event; add one after the start event.",
						},
					],
				});
			}

			if (method === "POST" && path === "/v2/audit-logs/search") {
				const items = ["LOGIN", "USER_TASK_ASSIGNED", "USER_TASK_COMPLETED"].map((action, index) => ({
					seq: String(3 - index),
					occurredAt: new Date(now - index * hour).toISOString(),
					actorUsername: "officer.olaya",
					actorRoles: ["officer"],
					action,
					entityType: index === 0 ? "user" : "user-task",
					entityId: index === 0 ? "officer.olaya" : "2251799813685301",
					hash: "ab".repeat(32),
					prevHash: "cd".repeat(32),
				}));
				return send(200, { items, page: { totalItems: items.length, endCursor: null } });
			}
			if (method === "POST" && path === "/v2/audit-logs/verification")
				return send(200, { valid: true, entriesChecked: 3, headSeq: "3", problems: [] });

			return problem(404, "ROUTE_NOT_FOUND", `There is no route ${method} ${path}; see /docs for the API.`);
		},
	};
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	const text = Buffer.concat(chunks).toString();
	if (!text || !(request.headers["content-type"] ?? "").includes("json")) return {};
	try {
		return JSON.parse(text) as Record<string, unknown>;
	} catch {
		return {};
	}
}
