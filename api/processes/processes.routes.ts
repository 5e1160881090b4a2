import type { FastifyPluginAsync } from "fastify";
import type { ProcessDefinitionView } from "../../engine/query/index";
import { ProblemError } from "../errors/error-registry";
import { decodeCursor, type PageRequest, pageOf } from "../search/paging";
import { elementNameIn } from "../tasks/element-name.resolver";
import type { EngineAccess } from "./engine-access";
import {
	definitionStatisticsSchema,
	getDefinitionSchema,
	getDefinitionXmlSchema,
	processDefinitionSchema,
	searchDefinitionsSchema,
} from "./processes.schemas";

function view(definition: ProcessDefinitionView, name: string | null) {
	return {
		processDefinitionKey: definition.key,
		processDefinitionId: definition.bpmnProcessId,
		name,
		version: definition.version,
		resourceName: definition.resourceName,
		tenantId: definition.tenantId,
		deploymentKey: definition.deploymentKey,
		deployedAt: definition.deployedAt,
	};
}

type KeyParams = { Params: { processDefinitionKey: string } };

/** `/v2/process-definitions`: search, one, its XML, and per-element statistics (embedded engine reads). */
export const processesRoutes: FastifyPluginAsync<{ engine: EngineAccess }> = async (app, { engine }) => {
	app.addSchema(processDefinitionSchema);

	// A deployed definition never changes, so its name (from the XML's process element) is read once per key.
	const names = new Map<string, string | null>();
	async function nameOf(definition: {
		key: string;
		bpmnProcessId: string;
		xml?: string | null;
	}): Promise<string | null> {
		if (!names.has(definition.key)) {
			const xml =
				definition.xml !== undefined ? definition.xml : (await engine.queries.getDefinition(definition.key))?.xml;
			names.set(definition.key, xml ? (elementNameIn(xml, definition.bpmnProcessId) ?? null) : null);
		}
		return names.get(definition.key) ?? null;
	}

	async function owned(principal: Parameters<EngineAccess["owns"]>[0], key: string) {
		const definition = await engine.queries.getDefinition(key);
		if (!definition || !engine.owns(principal, definition)) {
			throw new ProblemError(
				"PROCESS_DEFINITION_NOT_FOUND",
				`Process definition ${key} does not exist in your agency's engine.`,
			);
		}
		return definition;
	}

	app.post<{ Body: { filter?: { processDefinitionId?: string; latestOnly?: boolean }; page?: PageRequest } | null }>(
		"/process-definitions/search",
		{ schema: searchDefinitionsSchema, config: { permission: "process:read" } },
		async (request) => {
			const filter = request.body?.filter ?? {};
			let definitions = (await engine.queries.listDefinitions({ bpmnProcessId: filter.processDefinitionId })).filter(
				(definition) => engine.owns(request.principal!, definition),
			);
			definitions.sort((a, b) => a.bpmnProcessId.localeCompare(b.bpmnProcessId) || b.version - a.version);
			if (filter.latestOnly)
				definitions = definitions.filter(
					(definition, index) => index === 0 || definitions[index - 1]!.bpmnProcessId !== definition.bpmnProcessId,
				);
			const offset = decodeCursor(request.body?.page?.after);
			const items = definitions.slice(offset, offset + (request.body?.page?.limit ?? 100));
			const views = await Promise.all(items.map(async (item) => view(item, await nameOf(item))));
			return { items: views, page: pageOf(offset, items.length, definitions.length) };
		},
	);

	app.get<KeyParams>(
		"/process-definitions/:processDefinitionKey",
		{ schema: getDefinitionSchema, config: { permission: "process:read" } },
		async (request) => {
			const definition = await owned(request.principal!, request.params.processDefinitionKey);
			return view(definition, await nameOf(definition));
		},
	);

	app.get<KeyParams>(
		"/process-definitions/:processDefinitionKey/xml",
		{ schema: getDefinitionXmlSchema, config: { permission: "process:read" } },
		async (request, reply) => {
			const definition = await owned(request.principal!, request.params.processDefinitionKey);
			return reply.type("text/xml; charset=utf-8").send(definition.xml ?? "");
		},
	);

	app.get<KeyParams>(
		"/process-definitions/:processDefinitionKey/statistics/element-instances",
		{ schema: definitionStatisticsSchema, config: { permission: "process:read" } },
		async (request) => {
			await owned(request.principal!, request.params.processDefinitionKey);
			const statistics = await engine.queries.elementStatistics(request.params.processDefinitionKey);
			return {
				items: statistics.map((item) => ({
					elementId: item.elementId,
					active: item.active,
					completed: item.completed,
					canceled: item.terminated,
					incidents: item.incidents,
				})),
			};
		},
	);
};
