import { describe, expect, it } from "vitest";
import { elementNameIn, elementNameResolver } from "./element-name.resolver";
import type { UserTaskJob } from "./user-task-job";

const xml = `<?xml version="1.0"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">
  <bpmn:process id="report-intake">
    <bpmn:userTask id="review" name="مراجعة البلاغ &amp; Review report">
      <bpmn:extensionElements />
    </bpmn:userTask>
    <bpmn:userTask name="Approve" id="approve" />
    <bpmn:userTask id="review-2" />
  </bpmn:process>
</bpmn:definitions>`;

describe("element names from BPMN XML", () => {
	it("should read the name whatever the attribute order, decode entities, and give nothing for unnamed elements", () => {
		expect(elementNameIn(xml, "review")).toBe("مراجعة البلاغ & Review report");
		expect(elementNameIn(xml, "approve")).toBe("Approve");
		expect(elementNameIn(xml, "review-2")).toBeUndefined();
		expect(elementNameIn(xml, "nope")).toBeUndefined();
	});

	it("should fetch each definition's XML once", async () => {
		let calls = 0;
		const resolve = elementNameResolver(async () => {
			calls++;
			return xml;
		});
		const job = { processKey: "1", elementId: "approve" } as UserTaskJob;
		expect(await resolve(job)).toBe("Approve");
		expect(await resolve({ ...job, elementId: "review" })).toMatch(/Review report/);
		expect(calls).toBe(1);
	});
});
