import { EventEmitter } from "node:events";

/** A change of the task lists, as pushed on `/v2/events`. */
export interface TaskEvent {
	type: "userTask.created" | "userTask.updated" | "userTask.completed" | "userTask.canceled";
	userTaskKey: string;
	tenantId: string;
	/** Who may care: the task's assignee, candidate users and groups and units, to filter per listener. */
	assignee: string | null;
	candidateUsers: string[];
	candidateGroups: string[];
	units: string[];
}

/** In-process fan-out of task list changes from the worker and the routes to event-stream listeners. */
export class TaskEvents {
	readonly #emitter = new EventEmitter();
	constructor() {
		// One listener per open event stream.
		this.#emitter.setMaxListeners(0);
	}

	emit(event: TaskEvent): void {
		this.#emitter.emit("task", event);
	}

	/** Subscribes; returns the function that unsubscribes. */
	subscribe(listener: (event: TaskEvent) => void): () => void {
		this.#emitter.on("task", listener);
		return () => this.#emitter.off("task", listener);
	}
}
