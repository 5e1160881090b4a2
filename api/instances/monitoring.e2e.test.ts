import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZBClient } from "zeebe-node";
import { type EngineQueries, openEngineQueries } from "../../engine/query/index";
import type { AddressInfo } from "node:net";
import type { MikroORM } from "@mikro-orm/postgresql";
import pino from "pino";
import { migrateDomainSchema, openDomainOrm, registerCase, seedDomain } from "../../domain/index";
import { buildApp } from "../app";
import { PartRegistry } from "../health/part-registry";
import { type ApiTestKit, createApiTestKit, testSecret } from "../testing/api-test-kit";
import { openSse, type SseStream } from "../testing/sse-client";
import { UsersRepository } from "../users/users.repository";
import { type EngineProcess, startEngineProcess } from "../../scripts/testing/engine-process";

/** A multipart/form-data body with each file in the `resources` field. */
function multipart(files: Array<[string, string]>): { payload: Buffer; headers: Record<string, string> } {
	const boundary = "----mizan-test-boundary";
	const parts = files.map(
		([name, content]) =>
			`--${boundary}\r\nContent-Disposition: form-data; name="resources"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n${content}\r\n`,
	);
	return {
		payload: Buffer.from(`${parts.join("")}--${boundary}--\r\n`),
		headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
	};
}

async function eventually<T>(
	probe: () => Promise<T | null | undefined | false>,
	what: string,
	timeoutMs = 10_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
}

describe("processes, instances and incidents on the embedded engine", () => {
	let kit: ApiTestKit;
	let engine: EngineProcess;
	let zbc: ZBClient;
	let queries: EngineQueries;
	let closeQueries: () => Promise<void>;
	let domain: Awaited<ReturnType<typeof openDomainOrm>> | undefined;
	let failNext = true;
	const streams: SseStream[] = [];
	/** An event stream as this demo user, closed after the suite. */
	async function stream(username: string): Promise<SseStream> {
		const { port } = kit.app.server.address() as AddressInfo;
		const opened = await openSse(port, "/v2/events", await kit.as(username));
		streams.push(opened);
		return opened;
	}
	async function start(admin: { authorization: string }, processDefinitionId: string, variables = {}): Promise<string> {
		const created = await kit.app.inject({
			method: "POST",
			url: "/v2/process-instances",
			headers: admin,
			payload: { processDefinitionId, variables },
		});
		expect(created.statusCode, created.body).toBe(200);
		return created.json().processInstanceKey;
	}

	beforeAll(async () => {
		const proxy = {} as { zbc?: ZBClient; queries?: EngineQueries; cases?: MikroORM };
		kit = await createApiTestKit("monitoring", {
			api: {
				cases: {
					get orm() {
						return proxy.cases!;
					},
				},
				// The app is built before the engine runs; these forward to the client and queries made below.
				engine: {
					get zbc() {
						return proxy.zbc;
					},
					get queries() {
						return proxy.queries;
					},
				},
			},
		});
		await migrateDomainSchema(kit.db.url, pino({ level: "silent" }));
		domain = await openDomainOrm(kit.db.url);
		proxy.cases = domain as unknown as MikroORM;
		await seedDomain(domain);
		engine = await startEngineProcess(kit.db.url);
		zbc = new ZBClient(engine.gatewayAddress, { useTLS: false, loglevel: "NONE", retry: false });
		({ queries, close: closeQueries } = await openEngineQueries(kit.db.url));
		proxy.zbc = zbc;
		proxy.queries = queries;
		for (const file of ["../tasks/fixtures/report-review.bpmn", "./fixtures/flaky-check.bpmn"]) {
			const name = file.split("/").pop()!;
			await zbc.deployResource({ name, process: readFileSync(new URL(file, import.meta.url)) });
		}
		const batchCheck = readFileSync(new URL("./fixtures/flaky-check.bpmn", import.meta.url), "utf8")
			.replaceAll("flaky-check", "batch-check")
			.replaceAll("test.flaky-identity", "test.batch-check");
		await zbc.deployResource({ name: "batch-check.bpmn", process: Buffer.from(batchCheck) });
		zbc.createWorker({
			taskType: "test.batch-check",
			taskHandler: (job) =>
				job.variables.ok === true
					? job.complete({ verified: true })
					: job.fail({ errorMessage: `registry refused ${String(job.variables.label)}`, retries: 0 }),
		});
		await new UsersRepository(kit.orm.em.fork()).create({
			username: "analyst.border",
			password: "mizan-demo-2026",
			roles: ["analyst"],
			groups: [],
			tenantId: "border-guard",
		});
		await kit.app.listen({ port: 0, host: "127.0.0.1" });
		zbc.createWorker({
			taskType: "test.flaky-identity",
			taskHandler: (job) => {
				if (failNext) {
					failNext = false;
					return job.fail({ errorMessage: "identity registry timed out", retries: 0 });
				}
				return job.complete({ verified: true });
			},
		});
	});
	afterAll(async () => {
		for (const stream of streams) stream.close();
		await domain?.close(true);
		await zbc?.close();
		await closeQueries?.();
		await engine?.stop();
		await kit?.close();
	});

	it("should start an instance with a case number, find it by case number and show its elements, variables and diagram", async () => {
		const admin = await kit.as("admin");
		const created = await kit.app.inject({
			method: "POST",
			url: "/v2/process-instances",
			headers: await kit.as("officer.olaya"),
			payload: {
				processDefinitionId: "report-review",
				caseNumber: "RUH-OLY-1447-000200-3",
				variables: { district: "Olaya" },
			},
		});
		expect(created.statusCode, created.body).toBe(200);
		const { processInstanceKey, processDefinitionKey } = created.json();
		expect(processInstanceKey).toMatch(/^[0-9]+$/);

		const found = await kit.app.inject({
			method: "POST",
			url: "/v2/process-instances/search",
			headers: admin,
			payload: { filter: { caseNumber: "RUH-OLY-1447-000200-3" } },
		});
		expect(found.json().items.map((item: { processInstanceKey: string }) => item.processInstanceKey)).toEqual([
			processInstanceKey,
		]);

		const detail = await eventually(async () => {
			const response = (
				await kit.app.inject({ url: `/v2/process-instances/${processInstanceKey}`, headers: await kit.as("analyst") })
			).json();
			return response.elementInstances?.some(
				(element: { elementId: string; state: string }) =>
					element.elementId === "review-report" && element.state === "ACTIVE",
			)
				? response
				: null;
		}, "the user task element to be active");
		expect(detail).toMatchObject({ processDefinitionId: "report-review", state: "ACTIVE", hasIncident: false });
		expect(detail.variables).toContainEqual(
			expect.objectContaining({ name: "caseNumber", value: '"RUH-OLY-1447-000200-3"' }),
		);

		const definitions = await kit.app.inject({
			method: "POST",
			url: "/v2/process-definitions/search",
			headers: admin,
			payload: { filter: { latestOnly: true } },
		});
		expect(definitions.json().items.map((item: { processDefinitionId: string }) => item.processDefinitionId)).toEqual([
			"batch-check",
			"flaky-check",
			"report-review",
		]);
		expect(
			definitions
				.json()
				.items.find((item: { processDefinitionId: string }) => item.processDefinitionId === "report-review").name,
		).toBe("Report review");
		const xml = await kit.app.inject({ url: `/v2/process-definitions/${processDefinitionKey}/xml`, headers: admin });
		expect(xml.headers["content-type"]).toMatch(/^text\/xml/);
		expect(xml.body).toContain('name="Review the report"');
		const statistics = await kit.app.inject({
			url: `/v2/process-definitions/${processDefinitionKey}/statistics/element-instances`,
			headers: admin,
		});
		expect(statistics.json().items).toContainEqual(expect.objectContaining({ elementId: "review-report", active: 1 }));

		const csv = await kit.app.inject({
			method: "POST",
			url: "/v2/process-instances/export",
			headers: admin,
			payload: { filter: { processDefinitionId: "report-review" } },
		});
		expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
		expect(csv.body.split("\r\n")[0]).toBe(
			"processInstanceKey,processDefinitionId,processDefinitionVersion,caseNumber,state,startDate,endDate,hasIncident",
		);
		expect(csv.body).toContain(`"${processInstanceKey}","report-review","1","RUH-OLY-1447-000200-3","ACTIVE"`);

		expect(
			(
				await kit.app.inject({
					method: "PUT",
					url: `/v2/element-instances/${processInstanceKey}/variables`,
					headers: admin,
					payload: { variables: { priorityReason: "VIP" } },
				})
			).statusCode,
		).toBe(204);
		expect(
			(
				await kit.app.inject({
					method: "POST",
					url: `/v2/process-instances/${processInstanceKey}/cancellation`,
					headers: admin,
				})
			).statusCode,
		).toBe(204);
		await eventually(
			async () => (await queries.getInstance(processInstanceKey))?.state === "TERMINATED",
			"the instance to be canceled",
		);
		const again = await kit.app.inject({
			method: "POST",
			url: `/v2/process-instances/${processInstanceKey}/cancellation`,
			headers: admin,
		});
		expect([404, 409]).toContain(again.statusCode);
		const missing = await kit.app.inject({
			method: "POST",
			url: "/v2/process-instances",
			headers: admin,
			payload: { processDefinitionId: "no-such-process" },
		});
		expect([400, 404]).toContain(missing.statusCode);
	});

	it("should show a job incident and resolve it with new retries, letting the instance finish", async () => {
		const admin = await kit.as("admin");
		const created = await kit.app.inject({
			method: "POST",
			url: "/v2/process-instances",
			headers: admin,
			payload: { processDefinitionId: "flaky-check" },
		});
		const { processInstanceKey } = created.json();
		const incident = await eventually(async () => {
			const response = await kit.app.inject({
				method: "POST",
				url: "/v2/incidents/search",
				headers: admin,
				payload: { filter: { processInstanceKey, state: "ACTIVE" } },
			});
			return response.json().items[0] as
				| { incidentKey: string; errorType: string; errorMessage: string; jobKey: string | null }
				| undefined;
		}, "the incident");
		expect(incident).toMatchObject({ errorType: "JOB_NO_RETRIES", errorMessage: "identity registry timed out" });
		expect(incident.jobKey).toMatch(/^[0-9]+$/);
		const instance = (
			await kit.app.inject({ url: `/v2/process-instances/${processInstanceKey}`, headers: admin })
		).json();
		expect(instance.hasIncident).toBe(true);
		expect(instance.incidents).toEqual([
			expect.objectContaining({ incidentKey: incident.incidentKey, errorType: "JOB_NO_RETRIES" }),
		]);

		const resolved = await kit.app.inject({
			method: "POST",
			url: `/v2/incidents/${incident.incidentKey}/resolution`,
			headers: admin,
			payload: { retries: 1 },
		});
		expect(resolved.statusCode, resolved.body).toBe(204);
		await eventually(
			async () => (await queries.getInstance(processInstanceKey))?.state === "COMPLETED",
			"the instance to complete after the retry",
		);
		const twice = await kit.app.inject({
			method: "POST",
			url: `/v2/incidents/${incident.incidentKey}/resolution`,
			headers: admin,
			payload: {},
		});
		expect(twice.json().code).toBe("ENGINE_INVALID_STATE");
		const audit = await kit.app.inject({
			method: "POST",
			url: "/v2/audit-logs/search",
			headers: await kit.as("auditor"),
			payload: { filter: { action: "INCIDENT_RESOLVED" } },
		});
		expect(audit.json().items[0]).toMatchObject({ entityId: incident.incidentKey, actorUsername: "admin" });
	});

	it("should find instances by several variables at once, cancel a filter's instances in a batch and stream the changes by agency and role", async () => {
		const admin = await kit.as("admin");
		const analyst = await stream("analyst");
		const officer = await stream("officer.olaya");
		const foreign = await stream("analyst.border");
		const nakheelB1 = await start(admin, "report-review", { district: "Nakheel", batch: "b1" });
		const malazB1 = await start(admin, "report-review", { district: "Malaz", batch: "b1" });
		const nakheelB2 = await start(admin, "report-review", { district: "Nakheel", batch: "b2" });
		const search = async (filter: object) => {
			const response = await kit.app.inject({
				method: "POST",
				url: "/v2/process-instances/search",
				headers: admin,
				payload: { filter },
			});
			expect(response.statusCode, response.body).toBe(200);
			return response.json().items.map((item: { processInstanceKey: string }) => item.processInstanceKey);
		};
		const district = (value: string) => ({ name: "district", value: JSON.stringify(value) });
		const batch = (value: string) => ({ name: "batch", value: JSON.stringify(value) });
		expect(await search({ variables: [district("Nakheel"), batch("b1")] })).toEqual([nakheelB1]);
		expect(await search({ variables: [district("Nakheel")] })).toEqual([nakheelB2, nakheelB1]);
		expect(await search({ variables: [batch("b1")] })).toEqual([malazB1, nakheelB1]);
		expect(await search({ variables: [district("Malaz"), batch("b2")] })).toEqual([]);
		// Plain text that is not JSON is taken as a string value.
		expect(await search({ variables: [{ name: "district", value: "Malaz" }, batch("b1")] })).toEqual([malazB1]);
		const csv = await kit.app.inject({
			method: "POST",
			url: "/v2/process-instances/export",
			headers: admin,
			payload: { filter: { variables: [district("Nakheel"), batch("b2")] } },
		});
		expect(csv.body.trim().split("\r\n")).toHaveLength(2);
		expect(csv.body).toContain(`"${nakheelB2}","report-review"`);

		const created = await analyst.waitFor(
			(event) =>
				event.event === "processInstance.created" &&
				(event.data as { processInstanceKey: string }).processInstanceKey === nakheelB2,
			"the created event of the third instance",
		);
		expect(created.data).toMatchObject({
			processDefinitionId: "report-review",
			processDefinitionKey: expect.any(String),
		});

		const canceled = await kit.app.inject({
			method: "POST",
			url: "/v2/process-instances/batch-cancellation",
			headers: admin,
			payload: { filter: { variables: [batch("b1")] } },
		});
		expect(canceled.statusCode, canceled.body).toBe(200);
		expect(canceled.json().items).toEqual([
			{ processInstanceKey: malazB1, status: "CANCELED" },
			{ processInstanceKey: nakheelB1, status: "CANCELED" },
		]);
		for (const key of [nakheelB1, malazB1]) {
			await analyst.waitFor(
				(event) =>
					event.event === "processInstance.canceled" &&
					(event.data as { processInstanceKey: string }).processInstanceKey === key,
				`the canceled event of ${key}`,
			);
		}
		expect(await search({ variables: [batch("b1")], state: "TERMINATED" })).toEqual([malazB1, nakheelB1]);
		expect(await search({ variables: [batch("b2")], state: "ACTIVE" })).toEqual([nakheelB2]);
		const audit = await kit.app.inject({
			method: "POST",
			url: "/v2/audit-logs/search",
			headers: await kit.as("auditor"),
			payload: { filter: { action: "PROCESS_INSTANCE_CANCELED" } },
		});
		expect(audit.json().items.map((item: { entityId: string }) => item.entityId)).toEqual(
			expect.arrayContaining([nakheelB1, malazB1]),
		);
		// The border guard is another agency: none of this engine's definitions, instances or incidents exist for it.
		const border = await kit.as("analyst.border");
		const foreignRead = async (method: "GET" | "POST", url: string) =>
			kit.app.inject({ method, url, headers: border, payload: method === "POST" ? {} : undefined });
		expect((await foreignRead("POST", "/v2/process-instances/search")).json()).toMatchObject({
			items: [],
			page: { totalItems: 0 },
		});
		expect((await foreignRead("POST", "/v2/process-definitions/search")).json().items).toEqual([]);
		expect((await foreignRead("POST", "/v2/incidents/search")).json().items).toEqual([]);
		expect((await foreignRead("GET", `/v2/process-instances/${nakheelB2}`)).json().code).toBe(
			"PROCESS_INSTANCE_NOT_FOUND",
		);
		const definitionKey = (created.data as { processDefinitionKey: string }).processDefinitionKey;
		for (const url of [`/v2/process-definitions/${definitionKey}`, `/v2/process-definitions/${definitionKey}/xml`])
			expect((await foreignRead("GET", url)).json().code).toBe("PROCESS_DEFINITION_NOT_FOUND");
		const exported = await foreignRead("POST", "/v2/process-instances/export");
		expect(exported.body.trim().split("\r\n")).toHaveLength(1);
		// Officers hold no process:read and the border guard's analyst is another agency: neither sees these.
		expect(officer.events.filter((event) => !event.event.startsWith("userTask."))).toEqual([]);
		expect(foreign.events).toEqual([]);
	});

	it("should retry a filter's incidents in a batch with per-item results and stream incidents and completion", async () => {
		const admin = await kit.as("admin");
		const analyst = await stream("analyst");
		const fixed = await start(admin, "batch-check", { label: "fixed" });
		const broken = await start(admin, "batch-check", { label: "broken" });
		const active = async () =>
			(
				await kit.app.inject({
					method: "POST",
					url: "/v2/incidents/search",
					headers: admin,
					payload: { filter: { processDefinitionId: "batch-check", state: "ACTIVE" } },
				})
			).json().items as Array<{ incidentKey: string; processInstanceKey: string; errorMessage: string }>;
		const first = await eventually(async () => {
			const items = await active();
			return items.length === 2 ? items : null;
		}, "an incident on both instances");
		for (const incident of first) {
			await analyst.waitFor(
				(event) =>
					event.event === "incident.created" &&
					(event.data as { incidentKey: string }).incidentKey === incident.incidentKey,
				"the incident.created event",
			);
		}
		const statistics = await kit.app.inject({
			url: `/v2/process-definitions/${(first[0] as unknown as { processDefinitionKey: string }).processDefinitionKey}/statistics/element-instances`,
			headers: await kit.as("analyst"),
		});
		expect(statistics.json().items).toContainEqual({
			elementId: "verify-identity",
			active: 2,
			completed: 0,
			canceled: 0,
			incidents: 2,
		});
		expect(statistics.json().items).toContainEqual(expect.objectContaining({ elementId: "start", completed: 2 }));
		const fixedIncident = first.find((incident) => incident.processInstanceKey === fixed)!;
		expect(fixedIncident.errorMessage).toBe("registry refused fixed");
		expect(
			(
				await kit.app.inject({
					method: "PUT",
					url: `/v2/element-instances/${fixed}/variables`,
					headers: admin,
					payload: { variables: { ok: true } },
				})
			).statusCode,
		).toBe(204);

		const retried = await kit.app.inject({
			method: "POST",
			url: "/v2/incidents/batch-resolution",
			headers: admin,
			payload: { filter: { processDefinitionId: "batch-check" }, retries: 1 },
		});
		expect(retried.statusCode, retried.body).toBe(200);
		expect(retried.json().items).toEqual(
			expect.arrayContaining(first.map((incident) => ({ incidentKey: incident.incidentKey, status: "RESOLVED" }))),
		);
		expect(retried.json().items).toHaveLength(2);
		await analyst.waitFor(
			(event) =>
				event.event === "processInstance.completed" &&
				(event.data as { processInstanceKey: string }).processInstanceKey === fixed,
			"the fixed instance to complete",
		);
		await analyst.waitFor(
			(event) =>
				event.event === "incident.resolved" &&
				(event.data as { incidentKey: string }).incidentKey === fixedIncident.incidentKey,
			"the incident.resolved event",
		);
		// The broken one fails again: a new incident, and the batch answers per item again.
		const again = await eventually(async () => {
			const items = await active();
			return items.length === 1 && !first.some((incident) => incident.incidentKey === items[0]!.incidentKey)
				? items
				: null;
		}, "a new incident on the broken instance");
		expect(again[0]!.processInstanceKey).toBe(broken);
		const cancelled = await kit.app.inject({
			method: "POST",
			url: "/v2/incidents/batch-cancellation",
			headers: admin,
			payload: { filter: { processDefinitionId: "batch-check", errorType: "JOB_NO_RETRIES" } },
		});
		expect(cancelled.statusCode, cancelled.body).toBe(200);
		expect(cancelled.json().items).toEqual([
			{ incidentKey: again[0]!.incidentKey, processInstanceKey: broken, status: "CANCELED" },
		]);
		await analyst.waitFor(
			(event) =>
				event.event === "processInstance.canceled" &&
				(event.data as { processInstanceKey: string }).processInstanceKey === broken,
			"the broken instance to be canceled",
		);
		const twice = await kit.app.inject({
			method: "POST",
			url: "/v2/incidents/batch-cancellation",
			headers: admin,
			payload: { filter: { processDefinitionId: "batch-check" } },
		});
		expect(twice.json().items).toEqual([]);
		const noneLeft = await kit.app.inject({
			method: "POST",
			url: "/v2/incidents/batch-resolution",
			headers: admin,
			payload: { filter: { processDefinitionId: "batch-check" } },
		});
		expect(noneLeft.json().items).toEqual([]);
	});

	it("should lint uploaded diagrams, list every problem per file and element, and deploy valid files together", async () => {
		const admin = await kit.as("admin");
		const broken = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://x">
  <bpmn:process id="broken-process" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="no-type" />
    <bpmn:serviceTask id="no-type"><bpmn:incoming>f1</bpmn:incoming></bpmn:serviceTask>
  </bpmn:process>
</bpmn:definitions>`;
		const invalid = multipart([
			["broken.bpmn", broken],
			["bad.form", "{ not json"],
		]);
		const refused = await kit.app.inject({
			method: "POST",
			url: "/v2/deployments",
			headers: { ...admin, ...invalid.headers },
			payload: invalid.payload,
		});
		expect(refused.statusCode, refused.body).toBe(400);
		expect(refused.json().code).toBe("DEPLOYMENT_INVALID");
		const problems = refused.json().problems as Array<{ file: string; elementId: string | null; rule: string }>;
		expect(problems).toContainEqual(expect.objectContaining({ file: "broken.bpmn", elementId: "no-type" }));
		expect(problems).toContainEqual(expect.objectContaining({ file: "bad.form", rule: "json" }));
		const definitions = await kit.app.inject({
			method: "POST",
			url: "/v2/process-definitions/search",
			headers: admin,
			payload: { filter: { processDefinitionId: "broken-process" } },
		});
		expect(definitions.json().items).toEqual([]);

		const xml = readFileSync(new URL("./fixtures/flaky-check.bpmn", import.meta.url), "utf8").replaceAll(
			"flaky-check",
			"flaky-check-2",
		);
		const form = JSON.stringify({
			id: "check-form",
			type: "default",
			components: [{ type: "textfield", key: "note" }],
		});
		const valid = multipart([
			["flaky-check-2.bpmn", xml],
			["check-form.form", form],
		]);
		const deployed = await kit.app.inject({
			method: "POST",
			url: "/v2/deployments",
			headers: { ...admin, ...valid.headers },
			payload: valid.payload,
		});
		expect(deployed.statusCode, deployed.body).toBe(200);
		expect(deployed.json().deploymentKey).toMatch(/^[0-9]+$/);
		expect(deployed.json().deployments).toHaveLength(2);
		const found = await kit.app.inject({
			method: "POST",
			url: "/v2/process-definitions/search",
			headers: admin,
			payload: { filter: { processDefinitionId: "flaky-check-2" } },
		});
		expect(found.json().items).toHaveLength(1);
		const officer = await kit.app.inject({
			method: "POST",
			url: "/v2/deployments",
			headers: { ...(await kit.as("officer.olaya")), ...valid.headers },
			payload: valid.payload,
		});
		expect(officer.statusCode).toBe(403);
	});

	it("should publish a message correlated by case number and broadcast a signal that starts a process", async () => {
		const admin = await kit.as("admin");
		const files = multipart(
			["await-item.bpmn", "lockdown-drill.bpmn"].map((name) => [
				name,
				readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8"),
			]),
		);
		const deployed = await kit.app.inject({
			method: "POST",
			url: "/v2/deployments",
			headers: { ...admin, ...files.headers },
			payload: files.payload,
		});
		expect(deployed.statusCode, deployed.body).toBe(200);
		const caseNumber = "RUH-OLY-1447-000300-1";
		const created = await kit.app.inject({
			method: "POST",
			url: "/v2/process-instances",
			headers: admin,
			payload: { processDefinitionId: "await-item", caseNumber },
		});
		const { processInstanceKey } = created.json();
		await eventually(async () => {
			const elements = await queries.elementInstances(processInstanceKey);
			return elements.some((element) => element.elementId === "wait-item" && element.state === "ACTIVE");
		}, "the message catch event to wait");
		const published = await kit.app.inject({
			method: "POST",
			url: "/v2/messages/publication",
			headers: admin,
			payload: { name: "ItemFound", correlationKey: caseNumber, variables: { itemId: "ITEM-7" } },
		});
		expect(published.statusCode, published.body).toBe(200);
		expect(published.json().messageKey).toMatch(/^[0-9]+$/);
		await eventually(
			async () => (await queries.getInstance(processInstanceKey))?.state === "COMPLETED",
			"the instance to complete on the message",
		);
		expect(await queries.instanceVariables(processInstanceKey)).toContainEqual(
			expect.objectContaining({ name: "itemId", value: "ITEM-7" }),
		);

		const broadcast = await kit.app.inject({
			method: "POST",
			url: "/v2/signals/broadcast",
			headers: admin,
			payload: { signalName: "StationLockdown" },
		});
		expect(broadcast.statusCode, broadcast.body).toBe(200);
		expect(broadcast.json().signalKey).toMatch(/^[0-9]+$/);
		await eventually(
			async () => (await queries.searchInstances({ bpmnProcessId: "lockdown-drill", state: "COMPLETED" })).total === 1,
			"the signal to start the drill",
		);
		const audit = await kit.app.inject({
			method: "POST",
			url: "/v2/audit-logs/search",
			headers: await kit.as("auditor"),
			payload: { filter: { entityType: "message" } },
		});
		expect(audit.json().items[0]).toMatchObject({
			action: "MESSAGE_PUBLISHED",
			detail: { name: "ItemFound", variables: ["itemId"] },
		});
	});

	it("should answer the monitoring reads with 501 against a Zeebe cluster (no read side) while commands (start, publish, cancel, resolve) still reach it", async () => {
		const cluster = await buildApp({
			logger: pino({ level: "silent" }),
			parts: new PartRegistry(),
			api: { orm: kit.orm, mode: "demo", auth: { jwtSecret: testSecret }, engine: { zbc } },
		});
		try {
			const admin = await kit.as("admin");
			for (const [method, url] of [
				["POST", "/v2/process-definitions/search"],
				["GET", "/v2/process-definitions/1/xml"],
				["GET", "/v2/process-definitions/1/statistics/element-instances"],
				["POST", "/v2/process-instances/search"],
				["POST", "/v2/process-instances/export"],
				["GET", "/v2/process-instances/1"],
				["POST", "/v2/incidents/search"],
				["GET", "/v2/incidents/1"],
			] as const) {
				const response = await cluster.inject({
					method,
					url,
					headers: admin,
					payload: method === "POST" ? {} : undefined,
				});
				expect(response.statusCode, `${method} ${url}`).toBe(501);
				expect(response.json()).toMatchObject({
					code: "MONITORING_NOT_AVAILABLE",
					detail: expect.stringContaining("ZEEBE_ADDRESS"),
				});
			}
			const created = await cluster.inject({
				method: "POST",
				url: "/v2/process-instances",
				headers: admin,
				payload: { processDefinitionId: "report-review", caseNumber: "RUH-OLY-1447-000301-0" },
			});
			expect(created.statusCode, created.body).toBe(200);
			expect(await queries.getInstance(created.json().processInstanceKey)).toMatchObject({ state: "ACTIVE" });
			const published = await cluster.inject({
				method: "POST",
				url: "/v2/messages/publication",
				headers: admin,
				payload: { name: "Nobody", correlationKey: "x", timeToLive: 0 },
			});
			expect(published.statusCode, published.body).toBe(200);

			// Cancelling and resolving are commands: they reach the cluster without a read side.
			const cancelled = await cluster.inject({
				method: "POST",
				url: `/v2/process-instances/${created.json().processInstanceKey}/cancellation`,
				headers: admin,
			});
			expect(cancelled.statusCode, cancelled.body).toBe(204);
			expect(await queries.getInstance(created.json().processInstanceKey)).toMatchObject({ state: "TERMINATED" });
			const failing = await zbc.createProcessInstance({ bpmnProcessId: "batch-check", variables: { ok: false, label: "cluster" } });
			const incident = await eventually(
				async () =>
					(await queries.searchIncidents({ processInstanceKey: failing.processInstanceKey, state: "ACTIVE" }, { limit: 1 }))
						.items[0],
				"the incident of the cluster-mode instance",
			);
			const withRetries = await cluster.inject({
				method: "POST",
				url: `/v2/incidents/${incident.key}/resolution`,
				headers: admin,
				payload: { retries: 1 },
			});
			expect(withRetries.statusCode).toBe(501);
			expect(withRetries.json()).toMatchObject({ code: "MONITORING_NOT_AVAILABLE", detail: expect.stringContaining("zbctl") });
			await zbc.updateJobRetries({ jobKey: String(incident.jobKey), retries: 1 });
			const resolved = await cluster.inject({
				method: "POST",
				url: `/v2/incidents/${incident.key}/resolution`,
				headers: admin,
				payload: {},
			});
			expect(resolved.statusCode, resolved.body).toBe(204);
			expect(await queries.getIncident(incident.key)).toMatchObject({ state: "RESOLVED" });
		} finally {
			await cluster.close();
		}
	});

	it("should show a case's process instances on its case file timeline, read from the engine", async () => {
		const registered = await registerCase(domain!.em.fork() as never, {
			unitCode: "RUH-OLY",
			openedAt: new Date("2026-11-25T09:00:00Z"),
			titleEn: "Lost wallet",
		});
		const officer = await kit.as("officer.olaya");
		const created = await kit.app.inject({
			method: "POST",
			url: "/v2/process-instances",
			headers: officer,
			payload: { processDefinitionId: "report-review", caseNumber: registered.caseNumber },
		});
		expect(created.statusCode, created.body).toBe(200);
		const file = await kit.app.inject({ url: `/v2/cases/${registered.caseNumber}`, headers: officer });
		expect(file.statusCode, file.body).toBe(200);
		expect(file.json().timeline.processInstances).toEqual([
			expect.objectContaining({
				processInstanceKey: created.json().processInstanceKey,
				processDefinitionId: "report-review",
				state: "ACTIVE",
				hasIncident: false,
			}),
		]);
		const other = await kit.app.inject({
			url: `/v2/cases/${registered.caseNumber}`,
			headers: await kit.as("officer.malaz"),
		});
		expect(other.json().code).toBe("CASE_NOT_FOUND");
	});
});
