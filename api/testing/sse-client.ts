import { get } from "node:http";

/** One server-sent event as received. */
export interface ReceivedEvent {
	event: string;
	data: unknown;
}

/** An open event stream of a listening app, collecting every event it receives. */
export interface SseStream {
	readonly events: ReceivedEvent[];
	/** Waits until an event matching `predicate` arrived (or was already there). */
	waitFor(predicate: (event: ReceivedEvent) => boolean, what: string, timeoutMs?: number): Promise<ReceivedEvent>;
	close(): void;
}

/** Opens `GET path` as an event stream; resolves once the server wrote its `: connected` comment. */
export function openSse(port: number, path: string, headers: Record<string, string>): Promise<SseStream> {
	return new Promise((resolve, reject) => {
		const events: ReceivedEvent[] = [];
		let buffer = "";
		const request = get({ host: "127.0.0.1", port, path, headers }, (response) => {
			if (response.statusCode !== 200) {
				reject(new Error(`event stream answered ${response.statusCode}`));
				return;
			}
			let connected = false;
			response.on("data", (chunk: Buffer) => {
				buffer += chunk.toString();
				let end = buffer.indexOf("\n\n");
				while (end >= 0) {
					const block = buffer.slice(0, end);
					buffer = buffer.slice(end + 2);
					end = buffer.indexOf("\n\n");
					if (block.startsWith(": connected") && !connected) {
						connected = true;
						resolve(stream);
					}
					const event = /^event: (.*)$/m.exec(block)?.[1];
					const data = /^data: (.*)$/m.exec(block)?.[1];
					if (event && data) events.push({ event, data: JSON.parse(data) });
				}
			});
		});
		request.on("error", (error) => {
			if ((error as NodeJS.ErrnoException).code !== "ECONNRESET") reject(error);
		});
		const stream: SseStream = {
			events,
			async waitFor(predicate, what, timeoutMs = 10_000) {
				const deadline = Date.now() + timeoutMs;
				for (;;) {
					const found = events.find(predicate);
					if (found) return found;
					if (Date.now() > deadline)
						throw new Error(`timed out waiting for ${what}; received ${JSON.stringify(events)}`);
					await new Promise((done) => setTimeout(done, 25));
				}
			},
			close: () => request.destroy(),
		};
	});
}
