import type { MikroORM } from "@mikro-orm/core";
import { wrap } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import type { FastifyPluginAsync } from "fastify";
import { type CaseRecord, CaseRecordSchema, loadCaseFile } from "../../domain/index";
import { type Principal, unitsOf } from "../auth/principal";
import { ProblemError } from "../errors/error-registry";
import type { EngineAccess } from "../processes/engine-access";
import { decodeCursor, type PageRequest, pageOf } from "../search/paging";
import { userTaskView } from "../tasks/user-tasks.routes";
import { UserTasksRepository } from "../tasks/user-tasks.repository";
import type { ApiContext } from "../v2.plugin";
import { caseSummarySchema, getCaseFileSchema, searchCasesSchema } from "./cases.schemas";

/** What the case routes need: the domain's ORM (`openDomainOrm`) on the same database. */
export interface CasesOptions {
	orm: MikroORM;
}

const levels = ["PUBLIC", "RESTRICTED", "SECRET", "TOP_SECRET"] as const;

/** The highest classification a principal may read: officers RESTRICTED, supervisors and investigators SECRET, admins all. */
export function clearanceOf(principal: Principal): number {
	if (principal.roles.includes("admin")) return 3;
	if (principal.roles.includes("supervisor") || principal.roles.includes("investigator")) return 2;
	return 1;
}

function summary(record: CaseRecord) {
	return {
		caseId: record.id,
		caseNumber: record.caseNumber,
		unitCode: record.unit.code,
		status: record.status,
		classification: record.classification,
		titleAr: record.titleAr ?? null,
		titleEn: record.titleEn ?? null,
		openedAt: record.openedAt.toISOString(),
		closedAt: record.closedAt?.toISOString() ?? null,
		dismissalReason: record.dismissalReason ?? null,
	};
}

const plain = (entities: object[]) =>
	entities.map((entity) => JSON.parse(JSON.stringify(wrap(entity).toObject())) as Record<string, unknown>);

/**
 * `/v2/cases`: search and the case file. Cases belong to the installation's agency; a user reads cases of their
 * units (admins every unit) up to their clearance. Every case-file read, and every refused one, is audited.
 */
export const casesRoutes: FastifyPluginAsync<{
	context: ApiContext;
	engine: EngineAccess;
	cases?: CasesOptions;
}> = async (app, { context, engine, cases }) => {
	app.addSchema(caseSummarySchema);

	function domainEm(): EntityManager {
		if (!cases)
			throw new ProblemError(
				"MONITORING_NOT_AVAILABLE",
				"This API runs without the case records (domain) database; case files are not available.",
			);
		return cases.orm.em.fork() as EntityManager;
	}
	const ownsCases = (principal: Principal) => engine.ownsDefaultTenant(principal);

	app.post<{
		Body: {
			filter?: { unitCode?: string; status?: string; caseNumber?: string; openedAt?: { from?: string; to?: string } };
			page?: PageRequest;
		} | null;
	}>("/cases/search", { schema: searchCasesSchema, config: { permission: "case:read" } }, async (request) => {
		const principal = request.principal!;
		const filter = request.body?.filter ?? {};
		const offset = decodeCursor(request.body?.page?.after);
		if (!ownsCases(principal)) return { items: [], page: pageOf(offset, 0, 0) };
		const units = principal.roles.includes("admin") ? undefined : unitsOf(principal.groups);
		const unitCodes = filter.unitCode ? (units && !units.includes(filter.unitCode) ? [] : [filter.unitCode]) : units;
		const where: Record<string, unknown> = { classification: { $in: levels.slice(0, clearanceOf(principal) + 1) } };
		if (unitCodes) where.unit = { code: { $in: unitCodes } };
		if (filter.status) where.status = filter.status;
		if (filter.caseNumber) where.caseNumber = filter.caseNumber;
		if (filter.openedAt?.from || filter.openedAt?.to) {
			where.openedAt = {
				...(filter.openedAt.from ? { $gte: new Date(filter.openedAt.from) } : {}),
				...(filter.openedAt.to ? { $lt: new Date(filter.openedAt.to) } : {}),
			};
		}
		const [items, total] = await domainEm().findAndCount(CaseRecordSchema, where, {
			populate: ["unit"],
			orderBy: { openedAt: "desc", id: "desc" },
			limit: request.body?.page?.limit ?? 100,
			offset,
		});
		return { items: items.map(summary), page: pageOf(offset, items.length, total) };
	});

	app.get<{ Params: { caseNumber: string } }>(
		"/cases/:caseNumber",
		{ schema: getCaseFileSchema, config: { permission: "case:read" } },
		async (request) => {
			const principal = request.principal!;
			const caseNumber = request.params.caseNumber;
			const notFound = () =>
				new ProblemError("CASE_NOT_FOUND", `Case ${caseNumber} does not exist, or is not one of your units' cases.`);
			if (!ownsCases(principal)) throw notFound();
			let file: Awaited<ReturnType<typeof loadCaseFile>>;
			try {
				file = await loadCaseFile(domainEm(), caseNumber);
			} catch (error) {
				if ((error as { code?: string }).code === "NOT_FOUND") throw notFound();
				throw error;
			}
			const record = file.caseRecord;
			const inUnit = principal.roles.includes("admin") || unitsOf(principal.groups).includes(record.unit.code);
			const cleared = levels.indexOf(record.classification) <= clearanceOf(principal);
			if (!inUnit || !cleared) {
				await context.audit.record(request, {
					action: "CASE_FILE_READ_DENIED",
					entityType: "case",
					entityId: record.id,
					caseNumber: record.caseNumber,
					detail: { reason: inUnit ? "classification" : "unit", classification: record.classification },
				});
				if (!inUnit) throw notFound();
				throw new ProblemError(
					"FORBIDDEN",
					`Case ${caseNumber} is classified ${record.classification}, above your clearance; ask a supervisor.`,
				);
			}
			const [tasks, instances] = await Promise.all([
				new UserTasksRepository(context.orm).search(
					principal,
					{ caseNumber: record.caseNumber },
					[{ field: "creationDate", order: "ASC" }],
					{ limit: 1000 },
				),
				engine.options.queries
					? engine.options.queries.searchInstances(
							{ variable: { name: "caseNumber", value: record.caseNumber } },
							{ limit: 1000 },
						)
					: Promise.resolve({ items: [], total: 0 }),
			]);
			await context.audit.record(request, {
				action: "CASE_FILE_READ",
				entityType: "case",
				entityId: record.id,
				caseNumber: record.caseNumber,
				detail: { classification: record.classification },
			});
			return {
				case: summary(record),
				parties: plain(file.parties),
				offences: plain(file.offences),
				charges: plain(file.charges),
				custodyEpisodes: plain(file.custodyEpisodes),
				detentionOrders: plain(file.detentionOrders),
				evidence: plain(file.evidence),
				hearings: plain(file.hearings),
				judgments: plain(file.judgments),
				appeals: plain(file.appeals),
				externalRefs: plain(file.externalRefs),
				timeline: {
					processInstances: instances.items.map((instance) => ({
						processInstanceKey: instance.key,
						processDefinitionId: instance.bpmnProcessId,
						state: instance.state,
						startDate: instance.startTime,
						endDate: instance.endTime,
						hasIncident: instance.hasIncident,
					})),
					userTasks: tasks.items.map(userTaskView),
				},
			};
		},
	);
};
