import { currentToken } from "./client";

/** One server-sent event of `/v2/events`. */
export interface ServerEvent {
	type: string;
	data: unknown;
}

/** How a subscription ended up. */
export type EventStreamState = "connecting" | "live" | "unavailable" | "closed";

/**
 * Subscribes to `GET /v2/events` (text/event-stream). EventSource cannot send an Authorization header, so
 * the stream is read with fetch. A 404 means the route does not exist yet: the state becomes `unavailable`
 * and the caller falls back to polling. Other failures reconnect after a pause (`retryMs`). Events sent while the
 * stream was down are not replayed: after a reconnection the caller gets a `resync` event and re-reads its list.
 * @returns a function that closes the subscription.
 */
export function subscribeEvents(
	onEvent: (event: ServerEvent) => void,
	onState: (state: EventStreamState) => void,
	retryMs = 5_000,
): () => void {
	const controller = new AbortController();
	let closed = false;
	let streams = 0;

	async function run(): Promise<void> {
		while (!closed) {
			onState("connecting");
			try {
				const headers: Record<string, string> = { accept: "text/event-stream" };
				const token = currentToken();
				if (token) headers.authorization = `Bearer ${token}`;
				const response = await fetch("/v2/events", { headers, signal: controller.signal });
				if (response.status === 404 || response.status === 405 || response.status === 501) {
					onState("unavailable");
					return;
				}
				if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
				onState("live");
				if (streams++ > 0) onEvent({ type: "resync", data: null });
				await readStream(response.body, onEvent);
			} catch (error) {
				if (closed || (error as Error).name === "AbortError") return;
			}
			if (!closed) await new Promise((resolve) => setTimeout(resolve, retryMs));
		}
	}

	void run();
	return () => {
		closed = true;
		controller.abort();
		onState("closed");
	};
}

async function readStream(body: ReadableStream<Uint8Array>, onEvent: (event: ServerEvent) => void): Promise<void> {
	const reader = body.getReader();
	const decoder = new TextDecoder();
	let buffer = "";
	for (;;) {
		const { value, done } = await reader.read();
		if (done) return;
		buffer += decoder.decode(value, { stream: true });
		let end = buffer.indexOf("\n\n");
		while (end >= 0) {
			const block = buffer.slice(0, end);
			buffer = buffer.slice(end + 2);
			const event = parseBlock(block);
			if (event) onEvent(event);
			end = buffer.indexOf("\n\n");
		}
	}
}

/** Parses one SSE block (`event:` and `data:` lines); comments and keep-alives give null. */
export function parseBlock(block: string): ServerEvent | null {
	let type = "message";
	const data: string[] = [];
	for (const line of block.split(/\r?\n/)) {
		if (line.startsWith(":")) continue;
		const colon = line.indexOf(":");
		const field = colon < 0 ? line : line.slice(0, colon);
		const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
		if (field === "event") type = value;
		else if (field === "data") data.push(value);
	}
	if (data.length === 0) return null;
	const text = data.join("\n");
	try {
		return { type, data: JSON.parse(text) };
	} catch {
		return { type, data: text };
	}
}
