import { get } from "node:http";
import type { AddressInfo } from "node:net";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TaskEvents } from "../tasks/task-events";
import type { UserTaskJob } from "../tasks/user-task-job";
import { storeUserTaskJob } from "../tasks/user-task.worker";
import { type ApiTestKit, createApiTestKit } from "../testing/api-test-kit";
import { openSse } from "../testing/sse-client";

const job = (key: string, group: string): UserTaskJob => ({
	key,
	type: "io.camunda.zeebe:userTask",
	processInstanceKey: "100",
	bpmnProcessId: "p",
	processDefinitionVersion: 1,
	processKey: "1",
	elementId: "t",
	elementInstanceKey: "101",
	customHeaders: { "io.camunda.zeebe:candidateGroups": JSON.stringify([group]) },
	deadline: "0",
	variables: {},
});

describe("GET /v2/events", () => {
	let kit: ApiTestKit;
	const events = new TaskEvents();
	beforeAll(async () => {
		kit = await createApiTestKit("events", { api: { tasks: { events } } });
		await kit.app.listen({ port: 0, host: "127.0.0.1" });
	});
	afterAll(async () => kit.close());

	it("should stream only the task changes the caller may see", async () => {
		const { port } = kit.app.server.address() as AddressInfo;
		const { authorization } = await kit.as("officer.olaya");
		const received = await new Promise<string>((resolve, reject) => {
			const request = get({ host: "127.0.0.1", port, path: "/v2/events", headers: { authorization } }, (response) => {
				expect(response.statusCode).toBe(200);
				expect(response.headers["content-type"]).toMatch(/^text\/event-stream/);
				let text = "";
				let stored = false;
				response.on("data", (chunk: Buffer) => {
					text += chunk.toString();
					if (!stored) {
						stored = true;
						const options = { orm: kit.orm, logger: pino({ level: "silent" }), events };
						void storeUserTaskJob(job("9001", "duty-desk-officer:RUH-MLZ"), options).then(() =>
							storeUserTaskJob(job("9002", "investigation-officer:RUH-OLY"), options),
						);
					}
					const event = text.indexOf("event:");
					if (event >= 0 && text.indexOf("\n\n", event) > 0) {
						request.destroy();
						resolve(text);
					}
				});
			});
			request.on("error", reject);
		});
		expect(received).toContain('event: userTask.created\ndata: {"userTaskKey":"9002"}');
		expect(received).not.toContain("9001");
	});

	it("should refuse the stream without a token, and to auditors, who may see neither tasks nor instances", async () => {
		const response = await kit.app.inject({ url: "/v2/events" });
		expect(response.statusCode).toBe(401);
		const auditor = await kit.app.inject({ url: "/v2/events", headers: await kit.as("auditor") });
		expect(auditor.statusCode).toBe(403);
	});

	it("should give analysts no task events: they do not hold task:read", async () => {
		const { port } = kit.app.server.address() as AddressInfo;
		const analyst = await openSse(port, "/v2/events", await kit.as("analyst"));
		const admin = await openSse(port, "/v2/events", await kit.as("admin"));
		try {
			await storeUserTaskJob(job("9003", "investigation-officer:RUH-OLY"), {
				orm: kit.orm,
				logger: pino({ level: "silent" }),
				events,
			});
			await admin.waitFor(
				(event) => (event.data as { userTaskKey?: string }).userTaskKey === "9003",
				"the admin's event",
			);
			expect(analyst.events).toEqual([]);
		} finally {
			analyst.close();
			admin.close();
		}
	});
});
