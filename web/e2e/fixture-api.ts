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
	/** Path prefixes answered 404 ROUTE_NOT_FOUND, to show the app's "not available yet" states. */
	missing: Set<string>;
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

/** The monitored diagram: start, a service task that has an incident, the statement user task, end. */
const diagramXml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="criminal-case" name="القضية الجنائية" isExecutable="true">
    <bpmn:startEvent id="start" name="ورود بلاغ" />
    <bpmn:serviceTask id="check-identity" name="التحقق من الهوية" />
    <bpmn:userTask id="take-statement" name="سماع أقوال المشتبه به" />
    <bpmn:endEvent id="end" name="إحالة" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check-identity" />
    <bpmn:sequenceFlow id="f2" sourceRef="check-identity" targetRef="take-statement" />
    <bpmn:sequenceFlow id="f3" sourceRef="take-statement" targetRef="end" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="d">
    <bpmndi:BPMNPlane id="p" bpmnElement="criminal-case">
      <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="152" y="102" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="check_di" bpmnElement="check-identity"><dc:Bounds x="240" y="80" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="take_di" bpmnElement="take-statement"><dc:Bounds x="400" y="80" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="end_di" bpmnElement="end"><dc:Bounds x="562" y="102" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="188" y="120" /><di:waypoint x="240" y="120" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="340" y="120" /><di:waypoint x="400" y="120" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="f3_di" bpmnElement="f3"><di:waypoint x="500" y="120" /><di:waypoint x="562" y="120" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>`;

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

	const missing = new Set<string>();
	let incidentOpen = true;
	let instanceActive = true;
	const instanceVariables: Record<string, unknown> = {
		caseNumber: "RUH-OLY-1447-000153-9",
		offences: [{ ar: "سرقة", en: "Theft" }],
		reviewDue: "2026-12-01",
	};

	return {
		calls,
		missing,
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
			if ([...missing].some((prefix) => path.startsWith(prefix)))
				return problem(404, "ROUTE_NOT_FOUND", `There is no route ${method} ${path}; see /docs for the API.`);
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

			if (method === "GET" && path === "/v2/cases/RUH-OLY-1447-000153-9") {
				return send(200, {
					case: {
						caseId: "0193a1b2-0000-7000-8000-000000000153",
						caseNumber: "RUH-OLY-1447-000153-9",
						unitCode: "RUH-OLY",
						status: "UNDER_INVESTIGATION",
						classification: "RESTRICTED",
						titleAr: "سرقة محل تجاري في العليا",
						titleEn: "Shop theft in Olaya",
						openedAt: new Date(now - 48 * hour).toISOString(),
					},
					parties: [
						{
							role: "SUSPECT",
							person: {
								firstNameAr: "خالد",
								fatherNameAr: "سعد",
								grandfatherNameAr: "محمد",
								familyNameAr: "الحربي",
								firstNameLatin: "Khalid",
								familyNameLatin: "Al-Harbi",
							},
						},
						{
							role: "VICTIM",
							person: {
								firstNameAr: "ناصر",
								familyNameAr: "الشهري",
								firstNameLatin: "Nasser",
								familyNameLatin: "Al-Shehri",
							},
						},
					],
					offences: [{ offence: { code: "THF-001", nameAr: "سرقة", nameEn: "Theft" } }],
					charges: [],
					custodyEpisodes: [
						{
							custodyNumber: "C01",
							arrestedAt: new Date(now - 21 * hour).toISOString(),
							policeHoldDeadline: new Date(now + 3 * hour).toISOString(),
							detentionExpiresAt: new Date(now + 99 * hour).toISOString(),
							investigatorOrderAt: null,
							releasedAt: null,
						},
					],
					evidence: [],
					hearings: [],
					judgments: [],
					timeline: { processInstances: [], userTasks: [] },
				});
			}

			if (method === "POST" && path === "/v2/deployments") {
				return problem(
					400,
					"DEPLOYMENT_INVALID",
					"Nothing was deployed: 1 problem(s) in 1 file(s); fix them and deploy again.",
					{
						problems: [
							{
								file: "diagram.bpmn",
								elementId: "StartEvent_1",
								rule: "end-event-required",
								category: "error",
								message: "Process is missing end event",
							},
						],
					},
				);
			}

			// The monitor, in the shapes of api/processes, api/instances and api/incidents.
			const definition = {
				processDefinitionKey: "2251799813685249",
				processDefinitionId: "criminal-case",
				version: 3,
				resourceName: "criminal-case.bpmn",
				tenantId: "public-security",
				deploymentKey: "2251799813685248",
				deployedAt: new Date(now - 72 * hour).toISOString(),
			};
			const instance = {
				processInstanceKey: "2251799813685290",
				processDefinitionKey: definition.processDefinitionKey,
				processDefinitionId: definition.processDefinitionId,
				processDefinitionVersion: 3,
				state: instanceActive ? "ACTIVE" : "TERMINATED",
				startDate: new Date(now - 30 * hour).toISOString(),
				endDate: instanceActive ? null : new Date().toISOString(),
				hasIncident: incidentOpen,
				tenantId: "public-security",
			};
			const custodyInstance = {
				processInstanceKey: "2251799813685500",
				processDefinitionKey: "2251799813685260",
				processDefinitionId: "custody-clock",
				processDefinitionVersion: 1,
				state: "ACTIVE",
				startDate: new Date(now - 21 * hour).toISOString(),
				endDate: null,
				hasIncident: false,
				tenantId: "public-security",
			};
			const incident = {
				incidentKey: "2251799813685400",
				state: incidentOpen ? "ACTIVE" : "RESOLVED",
				errorType: "JOB_NO_RETRIES",
				errorMessage: "تعذّر الاتصال بنظام أبشر: انتهت المهلة",
				processInstanceKey: instance.processInstanceKey,
				processDefinitionKey: definition.processDefinitionKey,
				processDefinitionId: definition.processDefinitionId,
				elementId: "check-identity",
				elementInstanceKey: "2251799813685399",
				jobKey: "2251799813685398",
				creationTime: new Date(now - 2 * hour).toISOString(),
				resolvedAt: null,
			};
			if (method === "POST" && path === "/v2/process-definitions/search") {
				return send(200, { items: [definition], page: { totalItems: 1, endCursor: null } });
			}
			if (method === "GET" && path === `/v2/process-definitions/${definition.processDefinitionKey}/xml`) {
				response.writeHead(200, { "content-type": "text/xml; charset=utf-8" }).end(diagramXml);
				return;
			}
			if (
				method === "GET" &&
				path === `/v2/process-definitions/${definition.processDefinitionKey}/statistics/element-instances`
			) {
				return send(200, {
					items: [
						{ elementId: "take-statement", active: 2, completed: 5, canceled: 0, incidents: 0 },
						{
							elementId: "check-identity",
							active: incidentOpen ? 1 : 0,
							completed: 7,
							canceled: 0,
							incidents: incidentOpen ? 1 : 0,
						},
					],
				});
			}
			if (method === "POST" && path === "/v2/process-instances/search") {
				const filter = (body.filter ?? {}) as Record<string, unknown>;
				const candidates = [
					{ ...instance, caseNumber: "RUH-OLY-1447-000153-9" },
					{ ...custodyInstance, caseNumber: "RUH-OLY-1447-000160-4" },
				];
				const matches = candidates
					.filter(
						(item) =>
							(!filter.state || item.state === filter.state) &&
							(filter.hasIncident === undefined || item.hasIncident === filter.hasIncident) &&
							(!filter.processDefinitionId || item.processDefinitionId === filter.processDefinitionId) &&
							(!filter.caseNumber || item.caseNumber === filter.caseNumber),
					)
					.map(({ caseNumber: _caseNumber, ...item }) => item);
				return send(200, { items: matches, page: { totalItems: matches.length, endCursor: null } });
			}
			if (method === "GET" && path === `/v2/process-instances/${custodyInstance.processInstanceKey}`) {
				const variables = {
					caseNumber: "RUH-OLY-1447-000160-4",
					deadline24h: new Date(now + 3 * hour).toISOString(),
					detentionExpiresAt: new Date(now + 99 * hour).toISOString(),
				};
				return send(200, {
					...custodyInstance,
					elementInstances: [],
					variables: Object.entries(variables).map(([name, value]) => ({
						name,
						value: JSON.stringify(value),
						scopeKey: custodyInstance.processInstanceKey,
					})),
					incidents: [],
				});
			}
			if (method === "GET" && path === `/v2/process-instances/${instance.processInstanceKey}`) {
				return send(200, {
					...instance,
					elementInstances: [
						{
							elementInstanceKey: "2251799813685291",
							elementId: "criminal-case",
							type: "PROCESS",
							state: instance.state,
						},
						{
							elementInstanceKey: "2251799813685399",
							elementId: "check-identity",
							type: "SERVICE_TASK",
							state: instance.state,
						},
					],
					variables: Object.entries(instanceVariables).map(([name, value]) => ({
						name,
						value: JSON.stringify(value),
						scopeKey: instance.processInstanceKey,
					})),
					incidents: [incident],
				});
			}
			if (method === "PUT" && path === `/v2/element-instances/${instance.processInstanceKey}/variables`) {
				Object.assign(instanceVariables, body.variables as Record<string, unknown>);
				return send(204);
			}
			if (method === "POST" && path === "/v2/process-instances/export") {
				response
					.writeHead(200, { "content-type": "text/csv; charset=utf-8" })
					.end(
						`processInstanceKey,processDefinitionId,state\r\n${instance.processInstanceKey},${instance.processDefinitionId},${instance.state}\r\n`,
					);
				return;
			}
			if (method === "POST" && path === "/v2/process-instances/batch-cancellation") {
				const item = instanceActive
					? { processInstanceKey: instance.processInstanceKey, status: "CANCELED" }
					: { processInstanceKey: instance.processInstanceKey, status: "FAILED", detail: "Instance is not active" };
				instanceActive = false;
				return send(200, { items: [item] });
			}
			if (method === "POST" && path === "/v2/incidents/batch-resolution") {
				const items = incidentOpen ? [{ incidentKey: incident.incidentKey, status: "RESOLVED" }] : [];
				incidentOpen = false;
				return send(200, { items });
			}
			if (method === "POST" && path === `/v2/process-instances/${instance.processInstanceKey}/cancellation`) {
				instanceActive = false;
				return send(204);
			}
			if (method === "POST" && path === "/v2/incidents/search") {
				const items = incidentOpen ? [incident] : [];
				return send(200, { items, page: { totalItems: items.length, endCursor: null } });
			}
			if (method === "POST" && path === `/v2/incidents/${incident.incidentKey}/resolution`) {
				if (body.retries !== 3) return problem(400, "VALIDATION_FAILED", "Give the job retries.");
				incidentOpen = false;
				return send(204);
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
