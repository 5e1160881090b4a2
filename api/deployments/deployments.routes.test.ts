import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestKit, createApiTestKit } from "../testing/api-test-kit";

/** A multipart/form-data body with each file in the `resources` field. */
function multipart(files: Array<[string, string]>): { payload: Buffer; headers: Record<string, string> } {
	const boundary = "----mizan-lint-boundary";
	const parts = files.map(
		([name, content]) =>
			`--${boundary}\r\nContent-Disposition: form-data; name="resources"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n${content}\r\n`,
	);
	return {
		payload: Buffer.from(`${parts.join("")}--${boundary}--\r\n`),
		headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
	};
}

const loneStart = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="d" targetNamespace="http://bpmn.io/schema/bpmn" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.6.0">
  <bpmn:process id="lone" isExecutable="true"><bpmn:startEvent id="StartEvent_1" /></bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1"><bpmndi:BPMNPlane id="p" bpmnElement="lone">
    <bpmndi:BPMNShape id="s" bpmnElement="StartEvent_1"><dc:Bounds x="180" y="160" width="36" height="36" /></bpmndi:BPMNShape>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>`;

describe("POST /v2/deployments/lint", () => {
	let kit: ApiTestKit;
	beforeAll(async () => {
		kit = await createApiTestKit("lint");
	});
	afterAll(async () => kit?.close());

	it("should answer bpmnlint's errors and warnings per element and deploy nothing", async () => {
		const body = multipart([
			["lone.bpmn", loneStart],
			["broken.form", "{"],
		]);
		const response = await kit.app.inject({
			method: "POST",
			url: "/v2/deployments/lint",
			headers: { ...(await kit.as("analyst")), ...body.headers },
			payload: body.payload,
		});
		expect(response.statusCode, response.body).toBe(200);
		const problems = response.json().problems as Array<Record<string, unknown>>;
		expect(problems).toContainEqual(
			expect.objectContaining({
				file: "lone.bpmn",
				elementId: "StartEvent_1",
				rule: "no-disconnected",
				category: "error",
			}),
		);
		// Warnings come too (a deployment would let them through): the unnamed start event.
		expect(problems).toContainEqual(
			expect.objectContaining({ elementId: "StartEvent_1", rule: "label-required", category: "warn" }),
		);
		expect(problems).toContainEqual(expect.objectContaining({ file: "broken.form", rule: "json", category: "error" }));
	});

	it("should refuse a file that cannot be deployed and a request without files", async () => {
		const headers = await kit.as("analyst");
		const text = multipart([["notes.txt", "x"]]);
		const wrong = await kit.app.inject({
			method: "POST",
			url: "/v2/deployments/lint",
			headers: { ...headers, ...text.headers },
			payload: text.payload,
		});
		expect(wrong.statusCode).toBe(400);
		const json = await kit.app.inject({ method: "POST", url: "/v2/deployments/lint", headers, payload: {} });
		expect(json.statusCode).toBe(415);
	});
});
