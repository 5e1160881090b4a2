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
 * The analysts' lost-property process (P7, domain.md §5.4 C7) unchanged, on the embedded engine, with the
 * real workers: identity check, MFQ number, certificate, receipt SMS, retention clock, up to the wait for
 * ItemFound.
 */
describe("lost-property (P7) with the workers on the embedded engine", () => {
	let kit: WorkersTestDatabase;
	let engine: EngineProcess;
	let workers: RunningWorkers;
	let zbc: ZBClient;

	beforeAll(async () => {
		kit = await createWorkersTestDatabase("workers_e2e_lost");
		engine = await startEngineProcess(kit.db.url);
		zbc = new ZBClient(engine.gatewayAddress, { useTLS: false, loglevel: "NONE", retry: false });
		for (const form of ["register-unverified-person", "verify-ownership-handover"]) {
			await zbc.deployResource({ name: `${form}.form`, form: readFileSync(path.join(root, "forms", `${form}.form`)) });
		}
		await zbc.deployResource({ name: "lost-property.bpmn", process: readFileSync(path.join(root, "processes/lost-property.bpmn")) });
		workers = await startWorkers({ zeebeAddress: engine.gatewayAddress, databaseUrl: kit.db.url, logger: pino({ level: "silent" }) });
	}, 90_000);

	afterAll(async () => {
		await workers?.stop();
		await zbc?.close();
		await engine?.stop();
		await kit?.close();
	});

	it("should number the report, issue the certificate and the receipt, set the retention clock, and hand the item over when ItemFound arrives", async () => {
		const instance = await zbc.createProcessInstance({
			bpmnProcessId: "lost-property",
			variables: {
				unitCode: "RUH-OLY",
				reporterNationalId: "1000000107",
				reporterPhone: "0501234567",
				itemCategory: "WALLET",
				itemDescription: "محفظة جلد بنية",
			},
		});
		type Outcome = { job_type: string; outcome: string; variables: Record<string, unknown> };
		let outcomes: Outcome[] = [];
		for (let attempt = 0; attempt < 200 && outcomes.length < 5; attempt++) {
			outcomes = await kit.rows<Outcome>(
				"select job_type, outcome, variables from worker_job_outcome where process_instance_key = ? order by settled_at",
				[instance.processInstanceKey],
			);
			if (outcomes.length < 5) await new Promise((resolve) => setTimeout(resolve, 100));
		}
		expect(outcomes.map((o) => `${o.job_type} ${o.outcome}`)).toEqual([
			"identity.verify COMPLETE",
			"case.assign-number COMPLETE",
			"document.generate COMPLETE",
			"notify.citizen COMPLETE",
			"clock.compute-deadline COMPLETE",
		]);
		const reportNumber = outcomes[1]!.variables.caseNumber as string;
		expect(reportNumber).toMatch(/^MFQ-\d{4}-\d{6}$/);
		expect(outcomes[4]!.variables).toMatchObject({ rematchCycle: "R/P7D", retentionEndsAt: expect.any(String) });
		expect(await kit.rows("select document_type from worker_document where case_number = ?", [reportNumber])).toEqual([
			{ document_type: "LOST_REPORT_CERTIFICATE" },
		]);
		expect(await kit.rows("select channel, recipient, template from notification where payload->>'caseNumber' = ?", [reportNumber])).toEqual([
			{ channel: "SMS", recipient: "+966501234567", template: "lost-report-receipt" },
		]);
		// C7: the item is found → the clerk verifies ownership (user task) → handed over, instance completes.
		const handedOver = new Promise<Record<string, unknown>>((resolve) => {
			zbc.createWorker({
				taskType: "io.camunda.zeebe:userTask",
				taskHandler: (job) => {
					resolve({ elementId: job.elementId, headers: job.customHeaders, caseNumber: job.variables.caseNumber });
					return job.complete({ claimantNationalId: "1000000115", ownershipEvidence: "بطاقة الهوية داخل المحفظة", ownershipConfirmed: true, handedOverAt: "2025-10-02T10:00:00+03:00" });
				},
				loglevel: "NONE",
			});
		});
		await zbc.publishMessage({ name: "ItemFound", correlationKey: reportNumber, variables: { foundAtUnit: "RUH-YSM" }, timeToLive: 60_000 });
		expect(await handedOver).toMatchObject({
			elementId: "Task_VerifyOwnership",
			caseNumber: reportNumber,
			headers: { "io.camunda.zeebe:formKey": expect.stringContaining("verify-ownership-handover") },
		});
		let state = "";
		for (let attempt = 0; attempt < 100 && state !== "COMPLETED"; attempt++) {
			// The engine's read-side table, read here only to see the instance end (the engine runs in its own process).
			const rows = await kit.rows<{ state: string }>("select state from engine_process_instance where key = ?", [instance.processInstanceKey]);
			state = rows[0]?.state ?? "";
			if (state !== "COMPLETED") await new Promise((resolve) => setTimeout(resolve, 100));
		}
		expect(state).toBe("COMPLETED");
	}, 60_000);
});
