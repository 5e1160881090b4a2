import { describe, expect, it } from "vitest";
import { taskSearchRequest } from "../tasks.screen";
import { deadlineState } from "./task-badges";

describe("deadlineState", () => {
	const now = new Date("2026-11-28T10:00:00Z");
	it("should call a task overdue after its due date and near within a day of it", () => {
		expect(deadlineState({ dueDate: "2026-11-28T09:59:00Z" }, now)).toBe("overdue");
		expect(deadlineState({ dueDate: "2026-11-29T09:00:00Z" }, now)).toBe("near");
		expect(deadlineState({ dueDate: "2026-12-05T09:00:00Z" }, now)).toBe("ok");
		expect(deadlineState({ dueDate: null }, now)).toBe("none");
	});
});

describe("taskSearchRequest", () => {
	it("should ask for my open tasks with the filters in Camunda v2 form", () => {
		const request = taskSearchRequest(
			"mine",
			{
				process: "criminal-case",
				caseNumber: " RUH-OLY-1447-000153-9 ",
				dueBefore: "2026-11-30",
				priority: "50",
				variables: "offenceType=THEFT; level=2",
			},
			"officer.olaya",
			[],
		);
		expect(request.filter).toEqual({
			state: "CREATED",
			assignee: "officer.olaya",
			processDefinitionId: "criminal-case",
			caseNumber: "RUH-OLY-1447-000153-9",
			dueDate: { to: "2026-11-30T20:59:59.000Z" },
			priority: { gte: 50 },
			variables: [
				{ name: "offenceType", value: '"THEFT"' },
				{ name: "level", value: "2" },
			],
		});
	});

	it("should ask for my groups' tasks by candidate group", () => {
		const request = taskSearchRequest(
			"groups",
			{ process: "", caseNumber: "", dueBefore: "", priority: "", variables: "" },
			"officer.olaya",
			["RUH-OLY"],
			"cursor",
		);
		expect(request.filter).toEqual({ state: "CREATED", candidateGroups: ["RUH-OLY"] });
		expect(request.page).toEqual({ limit: 50, after: "cursor" });
	});
});
