import { correlateSubscription } from "../bpmn/message.behavior";
import type { PublishMessageCommandValue } from "../commands";
import { latestProcess, messageIndexKey } from "../engine-state";
import type { ProcessingContext, QueuedCommand } from "../processing-context";
import { DEFAULT_TENANT, MessageIntent, RejectionType, ValueType } from "../protocol";
import { startProcessInstance } from "./process-instance-creation.processor";

/**
 * MESSAGE PUBLISH (zeebe-behaviour.md §5.1): PUBLISHED (the answer), then correlation to open
 * subscriptions (at most one per bpmnProcessId, oldest first) and to message start events (latest
 * versions; one active instance per non-empty correlation key); TTL 0 expires it at once, else it stays
 * buffered until its deadline.
 */
export function processMessagePublish(context: ProcessingContext, command: QueuedCommand): void {
	const state = context.state;
	const value = command.record.value as unknown as PublishMessageCommandValue;
	const name = value.name ?? "";
	if (name === "") {
		context.reject(
			command,
			RejectionType.INVALID_ARGUMENT,
			"Expected to publish a message with a name, but the name is empty",
		);
		return;
	}
	const correlationKey = value.correlationKey ?? "";
	const tenantId = value.tenantId ? value.tenantId : DEFAULT_TENANT;
	const messageId = value.messageId ?? "";
	const timeToLive = Math.max(0, Math.trunc(value.timeToLive ?? 0));
	const variables = value.variables ?? {};
	if (messageId !== "") {
		for (const message of state.messages.values()) {
			const sameMessage =
				message.messageId === messageId &&
				message.name === name &&
				message.correlationKey === correlationKey &&
				message.tenantId === tenantId;
			if (sameMessage && message.deadline > context.now) {
				context.reject(
					command,
					RejectionType.ALREADY_EXISTS,
					`Expected to publish a new message with id '${messageId}', but a message with that id was already published`,
				);
				return;
			}
		}
	}
	const messageKey = context.nextKey();
	const published = context.event(ValueType.MESSAGE, MessageIntent.PUBLISHED, messageKey, {
		name,
		correlationKey,
		timeToLive,
		deadline: context.now + timeToLive,
		messageId,
		variables,
		tenantId,
	});
	context.respond(command.requestId, published);

	const correlated = new Set<string>();
	for (const key of [...(state.subscriptionsByMessage.get(messageIndexKey(name, correlationKey)) ?? [])]) {
		const subscription = state.subscriptions.get(key);
		if (!subscription || subscription.tenantId !== tenantId || correlated.has(subscription.bpmnProcessId)) continue;
		if (correlateSubscription(context, subscription, messageKey, variables)) correlated.add(subscription.bpmnProcessId);
	}
	for (const bpmnProcessId of state.processVersions.keys()) {
		if (correlated.has(bpmnProcessId)) continue;
		const definition = latestProcess(state, bpmnProcessId);
		if (!definition || definition.tenantId !== tenantId) continue;
		const model = definition.model;
		const startId = (model.elements[bpmnProcessId].messageStartEventIds ?? []).find(
			(id) => model.elements[id].message?.name === name,
		);
		if (!startId) continue;
		if (correlationKey !== "" && state.messageStartLocks.has(`${bpmnProcessId}\u0000${correlationKey}`)) continue;
		const { processInstanceKey } = startProcessInstance(context, definition, variables, [startId]);
		context.event(ValueType.MESSAGE_START_EVENT_SUBSCRIPTION, "CORRELATED", context.nextKey(), {
			processDefinitionKey: definition.key,
			bpmnProcessId,
			startEventId: startId,
			messageKey,
			messageName: name,
			correlationKey,
			processInstanceKey,
			variables,
			tenantId,
		});
		correlated.add(bpmnProcessId);
	}
	if (timeToLive <= 0) context.event(ValueType.MESSAGE, MessageIntent.EXPIRED, messageKey, published.value);
}

/** MESSAGE EXPIRE (from dueWork): the buffered message's time-to-live is over. */
export function processMessageExpire(context: ProcessingContext, command: QueuedCommand): void {
	const message = context.state.messages.get(command.record.key);
	if (!message) {
		context.reject(
			command,
			RejectionType.NOT_FOUND,
			`Expected to expire message with key '${command.record.key}', but no such message is buffered`,
		);
		return;
	}
	const { key: _key, ...value } = message;
	context.event(ValueType.MESSAGE, MessageIntent.EXPIRED, message.key, value);
}
