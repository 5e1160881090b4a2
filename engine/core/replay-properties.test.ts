import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { EngineRecord } from "./contract";
import { engineCore } from "./engine-core";
import type { EngineState } from "./engine-state";
import { type Op, op, run, sequenceFixtures } from "./testing/command-sequences";
import { EngineHarness } from "./testing/engine-harness";

/**
 * Property: whatever sequence of commands the core processes (valid or not, with arbitrary variable
 * documents), the state rebuilt from the stored records equals the processed state — replaying the whole
 * log on an empty state, and restoring a snapshot taken at a random point (as JSON, the way the store
 * keeps it) and replaying only the records after it. The due work (timers, time-outs) agrees too.
 * random-commands.test.ts checks the indexes; this file adds variables, signals, snapshots and the
 * stored (JSON) form of records.
 */

/** Records as the store keeps and returns them: JSON. */
const stored = (records: EngineRecord[]): EngineRecord[] => JSON.parse(JSON.stringify(records));

/** Due work of a state an hour from now: what the processing loop would fire next. */
function upcoming(state: EngineState, now: number) {
	const due = engineCore.dueWork(state, now + 3_600_000);
	return {
		commands: due.commands.map((command) => `${command.valueType} ${command.intent} ${command.key}`).sort(),
		nextDueAt: due.nextDueAt,
	};
}

describe("replay equals processing (property)", () => {
	it("should rebuild the processed state from the stored log, and from a snapshot at any point plus the records after it", async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 60 }), fc.nat(), async (ops, cut) => {
				const engine = new EngineHarness();
				await engine.deploy(...sequenceFixtures);
				const snapshotAfter = cut % (ops.length + 1);
				let snapshot: unknown = null;
				let snapshotPosition = 0;
				for (const [index, step] of ops.entries()) {
					if (index === snapshotAfter) {
						snapshot = JSON.parse(JSON.stringify(engineCore.snapshot(engine.state)));
						snapshotPosition = engineCore.lastPosition(engine.state);
					}
					await run(engine, step);
				}
				if (snapshot === null) {
					snapshot = JSON.parse(JSON.stringify(engineCore.snapshot(engine.state)));
					snapshotPosition = engineCore.lastPosition(engine.state);
				}
				const processed = engineCore.snapshot(engine.state);

				const replayed = engineCore.createState();
				await engineCore.replay(replayed, stored(engine.log));
				expect(engineCore.snapshot(replayed)).toEqual(processed);

				const restored = await engineCore.restore(snapshot);
				await engineCore.replay(restored, stored(engine.log.filter((record) => record.position > snapshotPosition)));
				expect(engineCore.snapshot(restored)).toEqual(processed);
				expect(engineCore.lastPosition(restored)).toBe(engineCore.lastPosition(engine.state));
				expect(upcoming(restored, engine.now)).toEqual(upcoming(engine.state, engine.now));

				// The rebuilt state goes on exactly like the original: the same next command gives the same records.
				const next: Op = { kind: "create", process: "one-task", variables: { after: true } };
				const twin = new EngineHarness();
				twin.state = restored;
				twin.now = engine.now;
				await run(engine, next);
				await run(twin, next);
				expect(stored(twin.log)).toEqual(stored(engine.log.slice(-twin.log.length)));
			}),
			{ numRuns: 40, seed: 20261202 },
		);
	});
});
