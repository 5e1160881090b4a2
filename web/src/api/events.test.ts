import { describe, expect, it } from "vitest";
import { parseBlock } from "./events";

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
