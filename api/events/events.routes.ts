import type { FastifyPluginAsync } from "fastify";
import { type Principal, unitsOf } from "../auth/principal";
import { problemResponses } from "../errors/problem";
import type { TaskEvent, TaskEvents } from "../tasks/task-events";

/** The same rule as the task search's visibility, for one event. */
export function eventVisibleTo(principal: Principal, event: TaskEvent): boolean {
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

/**
 * `GET /v2/events`: server-sent events of task list changes visible to the caller (`userTask.created`,
 * `userTask.updated`, `userTask.completed`, `userTask.canceled`, data `{userTaskKey}`), with a comment line
 * every `heartbeatMs` so proxies keep the stream open. Clients re-query the task list on an event.
 */
export const eventsRoutes: FastifyPluginAsync<{ events: TaskEvents; heartbeatMs?: number }> = async (
	app,
	{ events, heartbeatMs = 15_000 },
) => {
	const open = new Set<() => void>();
	// Open streams would keep app.close() waiting forever.
	app.addHook("onClose", async () => {
		for (const close of open) close();
	});
	app.get(
		"/events",
		{
			schema: {
				tags: ["events"],
				summary: "Server-sent events of task list changes (text/event-stream)",
				produces: ["text/event-stream"],
				response: { 200: { type: "string", description: "text/event-stream" }, ...problemResponses() },
			},
			config: { permission: "task:read" },
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
			raw.write(": connected\n\n");
			let id = 0;
			const unsubscribe = events.subscribe((event) => {
				if (!eventVisibleTo(principal, event)) return;
				id++;
				raw.write(`id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify({ userTaskKey: event.userTaskKey })}\n\n`);
			});
			const heartbeat = setInterval(() => raw.write(": heartbeat\n\n"), heartbeatMs);
			const stop = () => {
				clearInterval(heartbeat);
				unsubscribe();
				open.delete(close);
			};
			const close = () => {
				stop();
				raw.end();
			};
			open.add(close);
			request.raw.on("close", stop);
		},
	);
};
