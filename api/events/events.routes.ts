import type { FastifyPluginAsync } from "fastify";
import type { InstanceChange } from "../../engine/query/index";
import { hasPermission } from "../auth/permissions";
import { type Principal, unitsOf } from "../auth/principal";
import { problemResponses } from "../errors/problem";
import type { EngineAccess } from "../processes/engine-access";
import type { TaskEvent, TaskEvents } from "../tasks/task-events";
import type { InstanceChangeFeed } from "./instance-change-feed";

/** The same rule as the task search's visibility, for one event. */
export function eventVisibleTo(principal: Principal, event: TaskEvent): boolean {
	if (!hasPermission(principal.roles, "task:read")) return false;
	if (event.tenantId !== principal.tenantId) return false;
	if (principal.roles.includes("admin")) return true;
	if (event.assignee === principal.username || event.candidateUsers.includes(principal.username)) return true;
	if (event.candidateGroups.some((group) => principal.groups.includes(group))) return true;
	if (principal.roles.includes("supervisor")) {
		const units = unitsOf(principal.groups);
		return event.units.some((unit) => units.includes(unit));
	}
	return false;
}

const instanceEventNames = {
	created: "processInstance.created",
	completed: "processInstance.completed",
	canceled: "processInstance.canceled",
	incidentCreated: "incident.created",
	incidentResolved: "incident.resolved",
} as const satisfies Record<InstanceChange["type"], string>;

/** The SSE event of an instance change: the monitor's names and keys (Camunda REST v2 field names). */
export function instanceEvent(change: InstanceChange): { type: string; data: Record<string, string> } {
	return {
		type: instanceEventNames[change.type],
		data: {
			processInstanceKey: change.processInstanceKey,
			processDefinitionKey: change.processDefinitionKey,
			processDefinitionId: change.bpmnProcessId,
			...(change.incidentKey ? { incidentKey: change.incidentKey } : {}),
		},
	};
}

/**
 * `GET /v2/events`: server-sent events, each only to callers allowed to see it, with a comment line every
 * `heartbeatMs` so proxies keep the stream open. Clients re-query the list concerned on an event.
 * - task list changes to holders of `task:read` who see the task (`userTask.created`, `userTask.updated`,
 *   `userTask.completed`, `userTask.canceled`, data `{userTaskKey}`);
 * - process instance changes of the caller's agency to holders of `process:read` (`processInstance.created`,
 *   `processInstance.completed`, `processInstance.canceled`, `incident.created`, `incident.resolved`, data
 *   `{processInstanceKey, processDefinitionKey, processDefinitionId, incidentKey?}`), embedded engine only.
 */
export const eventsRoutes: FastifyPluginAsync<{
	events: TaskEvents;
	instances?: { feed: InstanceChangeFeed; engine: EngineAccess };
	heartbeatMs?: number;
}> = async (app, { events, instances, heartbeatMs = 15_000 }) => {
	const open = new Set<() => void>();
	// Open streams would keep app.close() waiting forever.
	app.addHook("onClose", async () => {
		for (const close of open) close();
		instances?.feed.stop();
	});
	app.get(
		"/events",
		{
			schema: {
				tags: ["events"],
				summary: "Server-sent events of task list and process instance changes (text/event-stream)",
				produces: ["text/event-stream"],
				response: { 200: { type: "string", description: "text/event-stream" }, ...problemResponses() },
			},
			config: { permission: "event:read" },
		},
		async (request, reply) => {
			const principal = request.principal!;
			reply.hijack();
			const raw = reply.raw;
			raw.writeHead(200, {
				"content-type": "text/event-stream; charset=utf-8",
				"cache-control": "no-cache, no-transform",
				connection: "keep-alive",
				"x-accel-buffering": "no",
				"x-request-id": request.id,
			});
			let id = 0;
			const send = (type: string, data: unknown) => {
				id++;
				raw.write(`id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
			};
			const unsubscribe = events.subscribe((event) => {
				if (eventVisibleTo(principal, event)) send(event.type, { userTaskKey: event.userTaskKey });
			});
			let unsubscribeInstances = () => {};
			let heartbeat: NodeJS.Timeout | undefined;
			const stop = () => {
				clearInterval(heartbeat);
				unsubscribe();
				unsubscribeInstances();
				open.delete(close);
			};
			const close = () => {
				stop();
				raw.end();
			};
			open.add(close);
			request.raw.on("close", stop);
			if (instances && hasPermission(principal.roles, "process:read")) {
				const { feed, engine } = instances;
				unsubscribeInstances = feed.subscribe((change) => {
					if (!engine.owns(principal, change)) return;
					const event = instanceEvent(change);
					send(event.type, event.data);
				});
				// The first poll fixes where the feed starts, so nothing that happens after `connected` is missed.
				await feed.poll();
				if (!open.has(close)) return;
			}
			raw.write(": connected\n\n");
			heartbeat = setInterval(() => raw.write(": heartbeat\n\n"), heartbeatMs);
		},
	);
};
