import type { MikroORM } from "@mikro-orm/postgresql";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
	addParty,
	findOrCreatePerson,
	migrateDomainSchema,
	openDomainOrm,
	registerCase,
	seedDomain,
} from "../../domain/index";
import { storeUserTaskJob } from "../tasks/user-task.worker";
import { type ApiTestKit, createApiTestKit } from "../testing/api-test-kit";

describe("case files", () => {
	let kit: ApiTestKit;
	let domain: Awaited<ReturnType<typeof openDomainOrm>>;
	const numbers: Record<string, string> = {};

	beforeAll(async () => {
		const holder: { orm?: MikroORM } = {};
		// The app is built before the domain schema exists; the case routes read the ORM at request time.
		kit = await createApiTestKit("cases", {
			api: {
				cases: {
					get orm() {
						return holder.orm!;
					},
				},
			},
		});
		await migrateDomainSchema(kit.db.url, pino({ level: "silent" }));
		domain = await openDomainOrm(kit.db.url);
		holder.orm = domain as unknown as MikroORM;
		await seedDomain(domain);
		const em = () => domain.em.fork();
		const openedAt = new Date("2026-11-20T09:00:00Z");
		const olaya = await registerCase(em() as never, {
			unitCode: "RUH-OLY",
			openedAt,
			titleEn: "Car theft",
			classification: "RESTRICTED",
		});
		numbers.olaya = olaya.caseNumber;
		numbers.secret = (
			await registerCase(em() as never, {
				unitCode: "RUH-OLY",
				openedAt,
				titleEn: "Juvenile suspect",
				classification: "SECRET",
			})
		).caseNumber;
		numbers.malaz = (
			await registerCase(em() as never, { unitCode: "RUH-MLZ", openedAt, titleEn: "Burglary" })
		).caseNumber;
		const { person } = await findOrCreatePerson(em() as never, {
			idType: "NATIONAL_ID",
			idNumber: "1000000107",
			firstNameAr: "سالم",
			familyNameAr: "الدوسري",
			synthetic: true,
		});
		await addParty(em() as never, { caseId: olaya.id, personId: person.id, role: "COMPLAINANT" });
		await storeUserTaskJob(
			{
				key: "880001",
				type: "io.camunda.zeebe:userTask",
				processInstanceKey: "88",
				bpmnProcessId: "report-intake",
				processDefinitionVersion: 1,
				processDefinitionKey: "8",
				elementId: "review-report",
				elementInstanceKey: "89",
				customHeaders: { "io.camunda.zeebe:candidateGroups": '["investigation-officer:RUH-OLY"]' },
				deadline: "0",
				variables: { caseNumber: numbers.olaya },
			},
			{ orm: kit.orm, logger: pino({ level: "silent" }) },
		);
	});
	afterAll(async () => {
		await domain?.close(true);
		await kit.close();
	});

	it("should give an officer the case file of their unit with its task timeline, and audit the read", async () => {
		const response = await kit.app.inject({
			url: `/v2/cases/${numbers.olaya}`,
			headers: await kit.as("officer.olaya"),
			remoteAddress: "192.0.2.44",
		});
		expect(response.statusCode, response.body).toBe(200);
		const file = response.json();
		expect(file.case).toMatchObject({
			caseNumber: numbers.olaya,
			unitCode: "RUH-OLY",
			classification: "RESTRICTED",
			titleEn: "Car theft",
		});
		expect(file.timeline.userTasks.map((task: { userTaskKey: string }) => task.userTaskKey)).toEqual(["880001"]);
		expect(file.timeline.processInstances).toEqual([]);
		expect(file.parties).toHaveLength(1);
		expect(file.parties[0].role).toBe("COMPLAINANT");
		const audit = await kit.app.inject({
			method: "POST",
			url: "/v2/audit-logs/search",
			headers: await kit.as("auditor"),
			payload: { filter: { caseNumber: numbers.olaya } },
		});
		expect(JSON.stringify(audit.json())).not.toContain("1000000107");
		expect(audit.json().items[0]).toMatchObject({
			action: "CASE_FILE_READ",
			actorUsername: "officer.olaya",
			clientIp: "192.0.2.44",
		});
	});

	it("should hide other units' cases, refuse files above the clearance, and audit the refusals", async () => {
		expect(
			(await kit.app.inject({ url: `/v2/cases/${numbers.malaz}`, headers: await kit.as("officer.olaya") })).json().code,
		).toBe("CASE_NOT_FOUND");
		const secret = await kit.app.inject({ url: `/v2/cases/${numbers.secret}`, headers: await kit.as("officer.olaya") });
		expect(secret.json()).toMatchObject({ status: 403, code: "FORBIDDEN" });
		expect(
			(await kit.app.inject({ url: `/v2/cases/${numbers.secret}`, headers: await kit.as("supervisor.olaya") }))
				.statusCode,
		).toBe(200);
		expect(
			(await kit.app.inject({ url: `/v2/cases/${numbers.malaz}`, headers: await kit.as("admin") })).statusCode,
		).toBe(200);
		expect(
			(await kit.app.inject({ url: `/v2/cases/${numbers.olaya}`, headers: await kit.as("officer.border") })).statusCode,
		).toBe(404);
		const denied = await kit.app.inject({
			method: "POST",
			url: "/v2/audit-logs/search",
			headers: await kit.as("auditor"),
			payload: { filter: { action: "CASE_FILE_READ_DENIED" } },
		});
		expect(
			denied
				.json()
				.items.map((item: { caseNumber: string }) => item.caseNumber)
				.sort(),
		).toEqual([numbers.malaz, numbers.secret].sort());
	});

	it("should search only the caller's units up to their clearance", async () => {
		const search = async (username: string) =>
			(await kit.app.inject({ method: "POST", url: "/v2/cases/search", headers: await kit.as(username), payload: {} }))
				.json()
				.items.map((item: { caseNumber: string }) => item.caseNumber)
				.sort();
		expect(await search("officer.olaya")).toEqual([numbers.olaya]);
		expect(await search("supervisor.olaya")).toEqual([numbers.olaya, numbers.secret].sort());
		expect(await search("officer.malaz")).toEqual([numbers.malaz]);
		expect(await search("admin")).toEqual([numbers.olaya, numbers.secret, numbers.malaz].sort());
		expect(await search("officer.border")).toEqual([]);
	});
});
