import { readFileSync } from "node:fs";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZBClient } from "zeebe-node";
import { type RunningWorkers, startWorkers } from "../runtime/start-workers";
import { type EngineProcess, startEngineProcess } from "../../scripts/testing/engine-process";
import { createWorkersTestDatabase, type WorkersTestDatabase } from "../testing/workers-database";

const root = path.resolve(import.meta.dirname, "../..");

/**
 * The analysts' report-intake process (P1) unchanged, with its classification DMN, on the embedded engine
 * with the real workers; the desk officer's and supervisor's tasks are completed through zeebe-node as the
 * task service would complete them.
 */
describe("report-intake (P1) with the workers on the embedded engine", () => {
	let kit: WorkersTestDatabase;
	let engine: EngineProcess;
	let workers: RunningWorkers;
	let zbc: ZBClient;
	let desk: { close(): Promise<unknown> };
	const completedTasks: string[] = [];

	beforeAll(async () => {
		kit = await createWorkersTestDatabase("workers_e2e_intake");
		engine = await startEngineProcess(kit.db.url);
		zbc = new ZBClient(engine.gatewayAddress, { useTLS: false, loglevel: "NONE", retry: false });
		for (const form of ["approve-report", "dispatch-patrol", "register-unverified-person", "review-report", "transfer-to-station"]) {
			await zbc.deployResource({ name: `${form}.form`, form: readFileSync(path.join(root, "forms", `${form}.form`)) });
		}
		await zbc.deployResource({ name: "report-classification.dmn", decision: readFileSync(path.join(root, "processes/report-classification.dmn")) });
		await zbc.deployResource({ name: "report-intake.bpmn", process: readFileSync(path.join(root, "processes/report-intake.bpmn")) });
		workers = await startWorkers({ zeebeAddress: engine.gatewayAddress, databaseUrl: kit.db.url, logger: pino({ level: "silent" }) });
		desk = zbc.createWorker({
			taskType: "io.camunda.zeebe:userTask",
			taskHandler: (job) => {
				completedTasks.push(job.elementId);
				return job.complete({ reportApproved: true });
			},
		});
	}, 90_000);

	afterAll(async () => {
		await desk?.close();
		await workers?.stop();
		await zbc?.close();
		await engine?.stop();
		await kit?.close();
	});

	it("should verify the reporter, register a criminal case with its number, notify the PP and send the receipt", async () => {
		const result = await zbc.createProcessInstanceWithResult({
			bpmnProcessId: "report-intake",
			variables: {
				unitCode: "RUH-OLY",
				reporterNationalId: "1000000107",
				reporterPhone: "0501234567",
				categoryCode: "THEFT",
				ongoingDanger: false,
				weaponInvolved: false,
				injuries: false,
				juvenileInvolved: false,
				location: { district: "العليا" },
			},
			requestTimeout: 45_000,
		});
		const variables = result.variables as Record<string, unknown>;
		expect(variables).toMatchObject({
			reporterVerified: true,
			jurisdictionUnitCode: "RUH-OLY",
			caseNumber: expect.stringMatching(/^RUH-OLY-\d{4}-\d{6}-\d$/),
			prosecutionNotifiedAt: expect.any(String),
			notifiedAt: expect.any(String),
		});
		expect(completedTasks).toEqual(expect.arrayContaining(["Task_ReviewReport", "Task_ApproveReport"]));
		const caseNumber = variables.caseNumber as string;
		expect(await kit.rows("select channel, template from notification where payload->>'caseNumber' = ? order by channel", [caseNumber])).toEqual([
			{ channel: "PROSECUTION", template: "prosecution-report" },
			{ channel: "SMS", template: "report-receipt" },
		]);
	}, 60_000);
});
