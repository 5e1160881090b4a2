import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkersTestDatabase, nextJobKey, type WorkersTestDatabase } from "../testing/workers-database";
import { caseAssignNumberWorker } from "./case-assign-number.worker";
import { documentGenerateWorker } from "./document-generate.worker";

describe("document.generate", () => {
	let kit: WorkersTestDatabase;
	let caseNumber: string;
	beforeAll(async () => {
		kit = await createWorkersTestDatabase("workers_document");
		const registered = await kit.run(caseAssignNumberWorker, {
			variables: { unitCode: "RUH-OLY", classification: "SECRET" },
			customHeaders: { series: "CASE" },
		});
		caseNumber = String(registered.outcome.kind === "complete" && registered.outcome.variables.caseNumber);
	});
	afterAll(async () => {
		await kit?.close();
	});

	it("should store a right-to-left Arabic referral letter marked سري at the top and bottom, with the SHA-256 of its bytes", async () => {
		const key = nextJobKey();
		const result = await kit.run(documentGenerateWorker, { key, variables: { caseNumber }, customHeaders: { documentType: "REFERRAL_LETTER" } });
		await kit.run(documentGenerateWorker, { key, variables: { caseNumber }, customHeaders: { documentType: "REFERRAL_LETTER" } });
		expect(result.outcome.kind).toBe("complete");
		const variables = result.outcome.kind === "complete" ? result.outcome.variables : {};
		const rows = await kit.rows<{ id: string; content: Buffer; sha256: string; classification: string }>(
			"select id, content, sha256, classification from worker_document where case_number = ?",
			[caseNumber],
		);
		expect(rows).toHaveLength(1);
		const document = rows[0]!;
		const html = document.content.toString("utf8");
		expect(document.id).toBe(variables.generatedDocumentId);
		expect(document.sha256).toBe(createHash("sha256").update(document.content).digest("hex"));
		expect(variables.generatedDocumentSha256).toBe(document.sha256);
		expect(html).toContain('<html lang="ar" dir="rtl">');
		expect(html).toContain("خطاب إحالة إلى النيابة العامة");
		expect(html).toContain("مركز شرطة العليا");
		expect(html.match(/class="classification (top|bottom)"[^>]*>سري /g)).toHaveLength(2);
		expect(html).toContain('@top-center { content: "سري — Secret"; }');
		expect(html).toContain(caseNumber);
	});

	it("should fail with no retries for a document type the template does not offer", async () => {
		const result = await kit.run(documentGenerateWorker, { variables: { caseNumber }, customHeaders: { documentType: "MEMO" } });
		expect(result.outcome).toMatchObject({ kind: "fail", final: true });
	});
});
