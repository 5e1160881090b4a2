import type { FastifyPluginAsync } from "fastify";
import { problemResponses } from "../errors/problem";
import type { EngineAccess } from "../processes/engine-access";
import type { ApiContext } from "../v2.plugin";

const publishSchema = {
	tags: ["messages"],
	summary: "Publish a message, correlated by name and correlation key (e.g. a case number)",
	body: {
		type: "object",
		additionalProperties: false,
		properties: {
			name: { type: "string", minLength: 1 },
			correlationKey: { type: "string", default: "" },
			timeToLive: {
				type: "integer",
				minimum: 0,
				default: 0,
				description: "milliseconds the message waits for a subscription",
			},
			messageId: { type: "string" },
			variables: { type: "object", additionalProperties: true },
		},
		required: ["name"],
	},
	response: {
		200: { type: "object", properties: { messageKey: { type: "string" } }, required: ["messageKey"] },
		...problemResponses(409, 503),
	},
} as const;

const broadcastSchema = {
	tags: ["messages"],
	summary: "Broadcast a signal to every subscribed process",
	body: {
		type: "object",
		additionalProperties: false,
		properties: {
			signalName: { type: "string", minLength: 1 },
			variables: { type: "object", additionalProperties: true },
		},
		required: ["signalName"],
	},
	response: {
		200: { type: "object", properties: { signalKey: { type: "string" } }, required: ["signalKey"] },
		...problemResponses(503),
	},
} as const;

/** `POST /v2/messages/publication` and `POST /v2/signals/broadcast` (admins). */
export const messagesRoutes: FastifyPluginAsync<{ context: ApiContext; engine: EngineAccess }> = async (
	app,
	{ context, engine },
) => {
	app.post<{
		Body: {
			name: string;
			correlationKey?: string;
			timeToLive?: number;
			messageId?: string;
			variables?: Record<string, unknown>;
		};
	}>("/messages/publication", { schema: publishSchema, config: { permission: "message:publish" } }, async (request) => {
		const body = request.body;
		const published = await engine.command(`publish message ${body.name}`, (zbc) =>
			zbc.publishMessage({
				name: body.name,
				correlationKey: body.correlationKey ?? "",
				timeToLive: body.timeToLive ?? 0,
				messageId: body.messageId,
				variables: body.variables ?? {},
				tenantId: engine.commandTenant(request.principal!),
			}),
		);
		const messageKey = String((published as { key?: string | number }).key ?? "");
		await context.audit.record(request, {
			action: "MESSAGE_PUBLISHED",
			entityType: "message",
			entityId: messageKey,
			detail: {
				name: body.name,
				correlationKey: body.correlationKey ?? "",
				variables: Object.keys(body.variables ?? {}),
			},
		});
		return { messageKey };
	});

	app.post<{ Body: { signalName: string; variables?: Record<string, unknown> } }>(
		"/signals/broadcast",
		{ schema: broadcastSchema, config: { permission: "message:publish" } },
		async (request) => {
			const body = request.body;
			const broadcast = await engine.command(`broadcast signal ${body.signalName}`, (zbc) =>
				zbc.broadcastSignal({
					signalName: body.signalName,
					variables: (body.variables ?? {}) as Parameters<typeof zbc.broadcastSignal>[0]["variables"],
				}),
			);
			const signalKey = String((broadcast as { key?: string | number }).key ?? "");
			await context.audit.record(request, {
				action: "SIGNAL_BROADCAST",
				entityType: "signal",
				entityId: signalKey,
				detail: { signalName: body.signalName, variables: Object.keys(body.variables ?? {}) },
			});
			return { signalKey };
		},
	);
};
