import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import type { IncidentFilter, IncidentView } from "../../engine/query/index";
import type { Principal } from "../auth/principal";
import { ProblemError } from "../errors/error-registry";
import type { EngineAccess } from "../processes/engine-access";
import { decodeCursor, type PageRequest, pageOf } from "../search/paging";
import type { ApiContext } from "../v2.plugin";
import {
	batchCancelIncidentsSchema,
	batchResolveSchema,
	getIncidentSchema,
	incidentSchema,
	resolveIncidentSchema,
	searchIncidentsSchema,
} from "./incidents.schemas";

interface IncidentSearchFilter {
	processInstanceKey?: string;
	processDefinitionKey?: string;
	processDefinitionId?: string;
	state?: "ACTIVE" | "RESOLVED";
	errorType?: string;
}

const toEngine = (filter: IncidentSearchFilter): IncidentFilter => ({
	processInstanceKey: filter.processInstanceKey,
	processDefinitionKey: filter.processDefinitionKey,
	bpmnProcessId: filter.processDefinitionId,
	state: filter.state,
	errorType: filter.errorType,
});

/** An incident as the API shows it (Camunda 8 REST v2 field names). */
export function incidentView(incident: IncidentView) {
	return {
		incidentKey: incident.key,
		state: incident.state,
		errorType: incident.errorType,
		errorMessage: incident.errorMessage,
		processInstanceKey: incident.processInstanceKey,
		processDefinitionKey: incident.processDefinitionKey,
		processDefinitionId: incident.bpmnProcessId,
		elementId: incident.elementId,
		elementInstanceKey: incident.elementInstanceKey,
		jobKey: incident.jobKey,
		creationTime: incident.createdAt,
		resolvedAt: incident.resolvedAt,
	};
}

type KeyParams = { Params: { incidentKey: string } };

/** `/v2/incidents`: search, get, resolve (with job retries), batch resolve. */
export const incidentsRoutes: FastifyPluginAsync<{ context: ApiContext; engine: EngineAccess }> = async (
	app,
	{ context, engine },
) => {
	app.addSchema(incidentSchema);

	// Incident rows carry no tenant; the engine serves one agency per installation today.
	const ownsEngine = (principal: Principal) => engine.ownsDefaultTenant(principal);

	async function owned(principal: Principal, key: string): Promise<IncidentView> {
		const incident = ownsEngine(principal) ? await engine.queries.getIncident(key) : null;
		if (!incident)
			throw new ProblemError("INCIDENT_NOT_FOUND", `Incident ${key} does not exist in your agency's engine.`);
		return incident;
	}

	/** Resolves an incident: with a read-side view in embedded mode, by its key alone against a Zeebe cluster. */
	async function resolve(
		request: FastifyRequest,
		incident: Pick<IncidentView, "key"> & Partial<Pick<IncidentView, "state" | "jobKey" | "processInstanceKey" | "errorType">>,
		retries: number | undefined,
	): Promise<void> {
		if (incident.state !== undefined && incident.state !== "ACTIVE")
			throw new ProblemError("ENGINE_INVALID_STATE", `Incident ${incident.key} is already resolved.`);
		if (incident.jobKey && retries !== undefined) {
			await engine.command(`update the retries of job ${incident.jobKey}`, (zbc) =>
				zbc.updateJobRetries({ jobKey: incident.jobKey!, retries }),
			);
		}
		await engine.command(
			`resolve incident ${incident.key}`,
			(zbc) => zbc.resolveIncident({ incidentKey: incident.key }),
			"INCIDENT_NOT_FOUND",
		);
		await context.audit.record(request, {
			action: "INCIDENT_RESOLVED",
			entityType: "incident",
			entityId: incident.key,
			detail: {
				processInstanceKey: incident.processInstanceKey ?? null,
				errorType: incident.errorType ?? null,
				retries: retries ?? null,
			},
		});
	}

	app.post<{ Body: { filter?: IncidentSearchFilter; page?: PageRequest } | null }>(
		"/incidents/search",
		{ schema: searchIncidentsSchema, config: { permission: "process:read" } },
		async (request) => {
			const offset = decodeCursor(request.body?.page?.after);
			if (!ownsEngine(request.principal!)) return { items: [], page: pageOf(offset, 0, 0) };
			const result = await engine.queries.searchIncidents(toEngine(request.body?.filter ?? {}), {
				from: offset,
				limit: request.body?.page?.limit ?? 100,
			});
			return { items: result.items.map(incidentView), page: pageOf(offset, result.items.length, result.total) };
		},
	);

	app.get<KeyParams>(
		"/incidents/:incidentKey",
		{ schema: getIncidentSchema, config: { permission: "process:read" } },
		async (request) => incidentView(await owned(request.principal!, request.params.incidentKey)),
	);

	app.post<KeyParams & { Body: { retries?: number } | null }>(
		"/incidents/:incidentKey/resolution",
		{ schema: resolveIncidentSchema, config: { permission: "process:operate" } },
		async (request, reply) => {
			const key = request.params.incidentKey;
			if (!engine.hasReads) {
				// A Zeebe cluster: no read side to find the incident's job, no multi-tenancy (only the installation's agency).
				if (!ownsEngine(request.principal!))
					throw new ProblemError("INCIDENT_NOT_FOUND", `Incident ${key} does not exist in your agency's engine.`);
				if (request.body?.retries !== undefined) {
					throw new ProblemError(
						"MONITORING_NOT_AVAILABLE",
						"This API talks to a Zeebe cluster (ZEEBE_ADDRESS), which has no read side here to find the incident's job; update the job's retries with zbctl (`zbctl update retries`), then resolve without `retries`.",
					);
				}
				await resolve(request, { key }, undefined);
				return reply.code(204).send();
			}
			await resolve(request, await owned(request.principal!, key), request.body?.retries);
			return reply.code(204).send();
		},
	);

	app.post<{ Body: { filter: IncidentSearchFilter; retries?: number } }>(
		"/incidents/batch-resolution",
		{ schema: batchResolveSchema, config: { permission: "process:operate" } },
		async (request) => {
			if (!ownsEngine(request.principal!)) return { items: [] };
			const { items } = await engine.queries.searchIncidents(
				{ ...toEngine(request.body.filter), state: "ACTIVE" },
				{ limit: 1000 },
			);
			const results = [];
			for (const incident of items) {
				try {
					await resolve(request, incident, request.body.retries);
					results.push({ incidentKey: incident.key, status: "RESOLVED" as const });
				} catch (error) {
					results.push({ incidentKey: incident.key, status: "FAILED" as const, detail: (error as Error).message });
				}
			}
			return { items: results };
		},
	);

	app.post<{ Body: { filter: IncidentSearchFilter } }>(
		"/incidents/batch-cancellation",
		{ schema: batchCancelIncidentsSchema, config: { permission: "process:operate" } },
		async (request) => {
			if (!ownsEngine(request.principal!)) return { items: [] };
			const { items } = await engine.queries.searchIncidents(
				{ ...toEngine(request.body.filter), state: "ACTIVE" },
				{ limit: 1000 },
			);
			// One cancellation per instance, even when it has several matching incidents.
			const outcomes = new Map<string, { status: "CANCELED" | "FAILED"; detail?: string }>();
			for (const incident of items) {
				const key = incident.processInstanceKey;
				if (outcomes.has(key)) continue;
				try {
					await engine.command(
						`cancel process instance ${key}`,
						(zbc) => zbc.cancelProcessInstance(key),
						"PROCESS_INSTANCE_NOT_FOUND",
					);
					await context.audit.record(request, {
						action: "PROCESS_INSTANCE_CANCELED",
						entityType: "process-instance",
						entityId: key,
						detail: { incidentKey: incident.key, errorType: incident.errorType },
					});
					outcomes.set(key, { status: "CANCELED" });
				} catch (error) {
					outcomes.set(key, { status: "FAILED", detail: (error as Error).message });
				}
			}
			return {
				items: items.map((incident) => ({
					incidentKey: incident.key,
					processInstanceKey: incident.processInstanceKey,
					...outcomes.get(incident.processInstanceKey)!,
				})),
			};
		},
	);
};
