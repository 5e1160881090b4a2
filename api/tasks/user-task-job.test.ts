import { describe, expect, it } from "vitest";
import { scopeCandidateGroups, taskFromJob, taskUnitOf, type UserTaskJob } from "./user-task-job";

const job = (variables: Record<string, unknown>, groups: string): UserTaskJob => ({
	key: "2251799813685300",
	type: "io.camunda.zeebe:userTask",
	processInstanceKey: "2251799813685200",
	bpmnProcessId: "custody-clock",
	processDefinitionVersion: 1,
	processDefinitionKey: "2251799813685100",
	elementId: "Task_HearStatement",
	elementInstanceKey: "2251799813685299",
	customHeaders: { "io.camunda.zeebe:candidateGroups": groups },
	deadline: "0",
	variables,
});

describe("candidate groups scoped to the task's unit", () => {
	it("should take the unit from a valid case number, else from unitCode, else none", () => {
		expect(taskUnitOf("RUH-OLY-1447-000153-9", { unitCode: "RUH-MLZ" })).toBe("RUH-OLY");
		expect(taskUnitOf("MFQ-1447-000077", { unitCode: "RUH-YSM" })).toBe("RUH-YSM");
		expect(taskUnitOf(null, { unitCode: "not a unit" })).toBeNull();
		expect(taskUnitOf("RUH-OLY-1447-000153-0", {})).toBeNull();
	});

	it("should scope role groups, keep scoped and unit groups, and change nothing without a unit", () => {
		expect(scopeCandidateGroups(["investigation-officer", "station-commander:RUH-MLZ", "RUH-OLY"], "RUH-OLY")).toEqual([
			"investigation-officer:RUH-OLY",
			"station-commander:RUH-MLZ",
			"RUH-OLY",
		]);
		expect(scopeCandidateGroups(["investigation-officer"], null)).toEqual(["investigation-officer"]);
	});

	it("should store a diagram's role group scoped to the case's unit", () => {
		const task = taskFromJob(job({ caseNumber: "RUH-OLY-1447-000153-9" }, '["investigation-officer"]'), {
			defaultTenantId: "public-security",
			now: new Date("2025-09-02T20:00:00Z"),
		});
		expect(task.candidateGroups).toEqual(["investigation-officer:RUH-OLY"]);
		expect(task.units).toEqual(["RUH-OLY"]);
	});
});
