/// <reference types="vite/client" />
import { describe, expect, it } from "vitest";
import { engineCore } from "./engine-core";
import { EngineHarness } from "./testing/engine-harness";

// The repository's own resources, loaded by the test bundler (no node:fs in the pure core's folders).
const resources = {
	...import.meta.glob<string>("../../processes/*.{bpmn,dmn}", { query: "?raw", import: "default", eager: true }),
	...import.meta.glob<string>("../../forms/*.form", { query: "?raw", import: "default", eager: true }),
};
const files = () =>
	Object.entries(resources).map(([path, resource]) => ({ resourceName: path.split("/").pop()!, resource }));

describe("the platform's own case processes", () => {
	it("should deploy every BPMN, DMN and form of the repository and drive each process a few steps", async () => {
		const engine = new EngineHarness();
		const deployed = await engine.deploy(...files());
		expect(files().length).toBeGreaterThan(10);
		const rejection = deployed.records.find((record) => record.recordType === "COMMAND_REJECTION");
		expect(rejection?.rejectionReason).toBeUndefined();
		const value = deployed.responses[0].record.value as { processesMetadata: Array<{ bpmnProcessId: string }> };
		for (const { bpmnProcessId } of value.processesMetadata) {
			const definition = [...engine.state.processes.values()].find((p) => p.bpmnProcessId === bpmnProcessId)!;
			if (!definition.model.elements[bpmnProcessId].noneStartEventId) continue;
			await engine.createInstance(bpmnProcessId, {
				caseId: "C-1",
				caseNumber: "C-1",
				courtCaseNumber: "K-1",
				reportId: "R-1",
				personId: "P-1",
			});
		}
		// Complete whatever jobs appear, a few rounds, with empty results; then let time pass.
		for (let round = 0; round < 3; round++) {
			const types = new Set([...engine.state.jobs.values()].map((job) => job.type));
			for (const type of types) {
				for (const job of (await engine.activateJobs(type, { max: 50 })).jobs) await engine.completeJob(job.key);
			}
			engine.now += 86_400_000;
			for (const command of engineCore.dueWork(engine.state, engine.now).commands) await engine.send(command);
		}
		expect(engine.log.length).toBeGreaterThan(100);
		const { processed, replayed } = await engine.replayed();
		expect(replayed).toEqual(processed);
	});
});
