import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import type { InstanceFilter, ProcessInstanceView } from "../../engine/query/index";
import type { Principal } from "../auth/principal";
import { ProblemError } from "../errors/error-registry";
import { incidentView } from "../incidents/incidents.routes";
import type { EngineAccess } from "../processes/engine-access";
import { decodeCursor, type PageRequest, pageOf } from "../search/paging";
import type { ApiContext } from "../v2.plugin";
import {
	batchCancelSchema,
	cancelInstanceSchema,
	createInstanceSchema,
	exportInstancesSchema,
	getInstanceSchema,
	processInstanceSchema,
	searchInstancesSchema,
	setVariablesSchema,
} from "./instances.schemas";

/** Filter of the instance search, as received. */
interface InstanceSearchFilter {
	processDefinitionId?: string;
	processDefinitionKey?: string;
	state?: "ACTIVE" | "COMPLETED" | "TERMINATED";
	hasIncident?: boolean;
	startDate?: { from?: string; to?: string };
	parentProcessInstanceKey?: string;
	caseNumber?: string;
	variables?: Array<{ name: string; value: string }>;
}

function jsonOrText(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/** The engine/query filter; the case number is the `caseNumber` variable, ANDed with the other variables. */
function engineFilter(filter: InstanceSearchFilter): InstanceFilter {
	const variables = [
		...(filter.caseNumber !== undefined ? [{ name: "caseNumber", value: filter.caseNumber as unknown }] : []),
		...(filter.variables ?? []).map((variable) => ({ name: variable.name, value: jsonOrText(variable.value) })),
	];
	return {
		bpmnProcessId: filter.processDefinitionId,
		processDefinitionKey: filter.processDefinitionKey,
		state: filter.state,
		hasIncident: filter.hasIncident,
		startedAfter: filter.startDate?.from,
		startedBefore: filter.startDate?.to,
		parentProcessInstanceKey: filter.parentProcessInstanceKey,
		variables,
	};
}

function view(instance: ProcessInstanceView) {
	return {
		processInstanceKey: instance.key,
		processDefinitionKey: instance.processDefinitionKey,
		processDefinitionId: instance.bpmnProcessId,
		processDefinitionVersion: instance.version,
		state: instance.state,
		startDate: instance.startTime,
		endDate: instance.endTime,
		hasIncident: instance.hasIncident,
		parentProcessInstanceKey: instance.parentProcessInstanceKey,
		parentElementInstanceKey: instance.parentElementInstanceKey,
		tenantId: instance.tenantId,
	};
}

const csvCell = (value: unknown) => {
	const text = value === null || value === undefined ? "" : String(value);
	// Quote always; neutralise spreadsheet formulas (CSV injection).
	return `"${(/^[=+\-@]/.test(text) ? `'${text}` : text).replaceAll('"', '""')}"`;
};

type KeyParams = { Params: { processInstanceKey: string } };

/** `/v2/process-instances`: create, search, export, get, cancel, batch cancel; `/v2/element-instances/{key}/variables`. */
export const instancesRoutes: FastifyPluginAsync<{ context: ApiContext; engine: EngineAccess }> = async (
	app,
	{ context, engine },
) => {
	app.addSchema(processInstanceSchema);

	/** Instances of the principal's agency matching a filter (the engine has one tenant per installation today). */
	async function search(principal: Principal, filter: InstanceSearchFilter, from: number, limit: number) {
		if (!engine.ownsDefaultTenant(principal)) return { items: [] as ProcessInstanceView[], total: 0 };
		const result = await engine.queries.searchInstances(engineFilter(filter), { from, limit });
		return { items: result.items.filter((item) => engine.owns(principal, item)), total: result.total };
	}

	async function owned(principal: Principal, key: string) {
		const instance = await engine.queries.getInstance(key);
		if (!instance || !engine.owns(principal, instance))
			throw new ProblemError(
				"PROCESS_INSTANCE_NOT_FOUND",
				`Process instance ${key} does not exist in your agency's engine.`,
			);
		return instance;
	}

	/**
	 * The agency check before a command on an instance: on the read side in embedded mode; against a Zeebe cluster
	 * (no read side, no multi-tenancy: everything is the installation's own agency) only that agency may command.
	 */
	async function commandable(principal: Principal, key: string): Promise<void> {
		if (engine.hasReads) {
			await owned(principal, key);
			return;
		}
		if (!engine.ownsDefaultTenant(principal))
			throw new ProblemError("PROCESS_INSTANCE_NOT_FOUND", `Process instance ${key} does not exist in your agency's engine.`);
	}

	async function cancel(request: FastifyRequest, key: string) {
		await engine.command(
			`cancel process instance ${key}`,
			(zbc) => zbc.cancelProcessInstance(key),
			"PROCESS_INSTANCE_NOT_FOUND",
		);
		await context.audit.record(request, {
			action: "PROCESS_INSTANCE_CANCELED",
			entityType: "process-instance",
			entityId: key,
		});
	}

	app.post<{
		Body: { processDefinitionId: string; version?: number; caseNumber?: string; variables?: Record<string, unknown> };
	}>(
		"/process-instances",
		{ schema: createInstanceSchema, config: { permission: "process:start" } },
		async (request) => {
			const { processDefinitionId, version, caseNumber, variables } = request.body;
			const created = await engine.command(`start process ${processDefinitionId}`, (zbc) =>
				zbc.createProcessInstance({
					bpmnProcessId: processDefinitionId,
					version,
					variables: { ...variables, ...(caseNumber ? { caseNumber } : {}) },
					tenantId: engine.commandTenant(request.principal!),
				}),
			);
			await context.audit.record(request, {
				action: "PROCESS_INSTANCE_CREATED",
				entityType: "process-instance",
				entityId: String(created.processInstanceKey),
				caseNumber: caseNumber ?? null,
				detail: { processDefinitionId, version: created.version, variables: Object.keys(variables ?? {}) },
			});
			return {
				processInstanceKey: String(created.processInstanceKey),
				processDefinitionKey: String(created.processDefinitionKey),
				processDefinitionId: created.bpmnProcessId,
				processDefinitionVersion: created.version,
			};
		},
	);

	app.post<{ Body: { filter?: InstanceSearchFilter; page?: PageRequest } | null }>(
		"/process-instances/search",
		{ schema: searchInstancesSchema, config: { permission: "process:read" } },
		async (request) => {
			const offset = decodeCursor(request.body?.page?.after);
			const result = await search(
				request.principal!,
				request.body?.filter ?? {},
				offset,
				request.body?.page?.limit ?? 100,
			);
			return { items: result.items.map(view), page: pageOf(offset, result.items.length, result.total) };
		},
	);

	app.post<{ Body: { filter?: InstanceSearchFilter } | null }>(
		"/process-instances/export",
		{ schema: exportInstancesSchema, config: { permission: "process:read" } },
		async (request, reply) => {
			const rows: ProcessInstanceView[] = [];
			for (let from = 0; from < 10_000; from += 1000) {
				const page = await search(request.principal!, request.body?.filter ?? {}, from, 1000);
				rows.push(...page.items);
				if (page.items.length < 1000) break;
			}
			const header = [
				"processInstanceKey",
				"processDefinitionId",
				"processDefinitionVersion",
				"caseNumber",
				"state",
				"startDate",
				"endDate",
				"hasIncident",
			];
			const caseNumbers = new Map<string, unknown>();
			for (let from = 0; from < rows.length; from += 1000) {
				const keys = rows.slice(from, from + 1000).map((row) => row.key);
				for (const [key, value] of await engine.queries.rootVariableOf(keys, "caseNumber")) caseNumbers.set(key, value);
			}
			const lines = rows.map((row) =>
				[
					row.key,
					row.bpmnProcessId,
					row.version,
					caseNumbers.get(row.key),
					row.state,
					row.startTime,
					row.endTime,
					row.hasIncident,
				]
					.map((value) => csvCell(typeof value === "object" && value !== null ? JSON.stringify(value) : value))
					.join(","),
			);
			await context.audit.record(request, {
				action: "PROCESS_INSTANCES_EXPORTED",
				entityType: "process-instance",
				entityId: "search",
				detail: { filter: request.body?.filter ?? {}, rows: rows.length },
			});
			return reply
				.type("text/csv; charset=utf-8")
				.header("content-disposition", 'attachment; filename="process-instances.csv"')
				.send(`${header.join(",")}\r\n${lines.join("\r\n")}${lines.length ? "\r\n" : ""}`);
		},
	);

	app.get<KeyParams>(
		"/process-instances/:processInstanceKey",
		{ schema: getInstanceSchema, config: { permission: "process:read" } },
		async (request) => {
			const instance = await owned(request.principal!, request.params.processInstanceKey);
			const [elements, variables, incidents] = await Promise.all([
				engine.queries.elementInstances(instance.key),
				engine.queries.instanceVariables(instance.key),
				engine.queries.searchIncidents({ processInstanceKey: instance.key }, { limit: 1000 }),
			]);
			return {
				...view(instance),
				elementInstances: elements.map((element) => ({
					elementInstanceKey: element.key,
					elementId: element.elementId,
					type: element.elementType,
					state: element.state,
					startDate: element.startTime,
					endDate: element.endTime,
					flowScopeKey: element.flowScopeKey,
				})),
				variables: variables.map((variable) => ({
					name: variable.name,
					value: JSON.stringify(variable.value),
					scopeKey: variable.scopeKey,
				})),
				incidents: incidents.items.map(incidentView),
			};
		},
	);

	app.post<KeyParams>(
		"/process-instances/:processInstanceKey/cancellation",
		{ schema: cancelInstanceSchema, config: { permission: "process:operate" } },
		async (request, reply) => {
			await commandable(request.principal!, request.params.processInstanceKey);
			await cancel(request, request.params.processInstanceKey);
			return reply.code(204).send();
		},
	);

	app.post<{ Body: { filter: InstanceSearchFilter } }>(
		"/process-instances/batch-cancellation",
		{ schema: batchCancelSchema, config: { permission: "process:operate" } },
		async (request) => {
			const { items } = await search(request.principal!, { ...request.body.filter, state: "ACTIVE" }, 0, 1000);
			const results = [];
			for (const instance of items) {
				try {
					await cancel(request, instance.key);
					results.push({ processInstanceKey: instance.key, status: "CANCELED" as const });
				} catch (error) {
					results.push({
						processInstanceKey: instance.key,
						status: "FAILED" as const,
						detail: (error as Error).message,
					});
				}
			}
			return { items: results };
		},
	);

	app.put<{ Params: { elementInstanceKey: string }; Body: { variables: Record<string, unknown>; local?: boolean } }>(
		"/element-instances/:elementInstanceKey/variables",
		{ schema: setVariablesSchema, config: { permission: "process:operate" } },
		async (request, reply) => {
			const key = request.params.elementInstanceKey;
			await engine.command(`set variables on element instance ${key}`, (zbc) =>
				zbc.setVariables({
					elementInstanceKey: key,
					variables: request.body.variables,
					local: request.body.local ?? false,
				}),
			);
			await context.audit.record(request, {
				action: "VARIABLES_UPDATED",
				entityType: "element-instance",
				entityId: key,
				// Names only: values may be sensitive case data.
				detail: { variables: Object.keys(request.body.variables), local: request.body.local ?? false },
			});
			return reply.code(204).send();
		},
	);
};
