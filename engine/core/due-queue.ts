/**
 * A min-heap of instants at which something may become due (job deadlines and back-offs, timers,
 * message time-to-live). Derived from the state by the appliers and never snapshotted: entries can be
 * stale (the job was completed meanwhile), so readers check each entry against the state.
 */

export type DueKind = "job-deadline" | "job-backoff" | "timer" | "message";

export interface DueEntry {
	at: number;
	kind: DueKind;
	key: number;
}

export class DueQueue {
	private readonly heap: DueEntry[] = [];

	get size(): number {
		return this.heap.length;
	}

	peek(): DueEntry | undefined {
		return this.heap[0];
	}

	push(entry: DueEntry): void {
		const heap = this.heap;
		heap.push(entry);
		let index = heap.length - 1;
		while (index > 0) {
			const parent = (index - 1) >> 1;
			if (heap[parent].at <= heap[index].at) break;
			[heap[parent], heap[index]] = [heap[index], heap[parent]];
			index = parent;
		}
	}

	pop(): DueEntry | undefined {
		const heap = this.heap;
		if (heap.length === 0) return undefined;
		const top = heap[0];
		const last = heap.pop()!;
		if (heap.length > 0) {
			heap[0] = last;
			let index = 0;
			for (;;) {
				const left = index * 2 + 1;
				const right = left + 1;
				let smallest = index;
				if (left < heap.length && heap[left].at < heap[smallest].at) smallest = left;
				if (right < heap.length && heap[right].at < heap[smallest].at) smallest = right;
				if (smallest === index) break;
				[heap[smallest], heap[index]] = [heap[index], heap[smallest]];
				index = smallest;
			}
		}
		return top;
	}
}
