import { afterEach, describe, expect, it, vi } from "vitest";
import { parseBlock, type ServerEvent, subscribeEvents } from "./events";

describe("parseBlock", () => {
	it("should read the event name and JSON data of a server-sent event", () => {
		expect(parseBlock('event: user-task.created\ndata: {"userTaskKey":"1"}')).toEqual({
			type: "user-task.created",
			data: { userTaskKey: "1" },
		});
	});

	it("should ignore keep-alive comments", () => {
		expect(parseBlock(": keep-alive")).toBeNull();
	});
});

describe("subscribeEvents", () => {
	afterEach(() => vi.unstubAllGlobals());

	it("should reconnect after the stream drops and tell the caller to re-read what it shows (resync)", async () => {
		let connections = 0;
		// The server side of two streams: the first sends one event and ends (a dropped connection), the second stays.
		vi.stubGlobal("fetch", async () => {
			connections++;
			const encoder = new TextEncoder();
			const body = new ReadableStream<Uint8Array>({
				start(controller) {
					controller.enqueue(encoder.encode(`event: userTask.created\ndata: {"userTaskKey":"${connections}"}\n\n`));
					if (connections === 1) controller.close();
				},
			});
			return new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } });
		});
		const events: ServerEvent[] = [];
		const states: string[] = [];
		const close = subscribeEvents((event) => events.push(event), (state) => states.push(state), 10);
		await vi.waitFor(() => expect(events).toHaveLength(3), { timeout: 2_000 });
		close();
		expect(events).toEqual([
			{ type: "userTask.created", data: { userTaskKey: "1" } },
			{ type: "resync", data: null },
			{ type: "userTask.created", data: { userTaskKey: "2" } },
		]);
		expect(states.slice(0, 4)).toEqual(["connecting", "live", "connecting", "live"]);
	});
});
