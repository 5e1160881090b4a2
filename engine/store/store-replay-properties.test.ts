import fc from "fast-check";
import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../scripts/testing/database";
import { engineCore } from "../core/engine-core";
import { op, run, sequenceFixtures } from "../core/testing/command-sequences";
import { EngineHarness } from "../core/testing/engine-harness";
import { recoverState } from "../runtime/processing-loop";
import { EngineStore } from "./engine-store";
import { migrateEngineSchema } from "./migrate-engine-schema";

/**
 * Property through PostgreSQL: random command sequences are written batch by batch with the real store
 * (records and projections in one statement), a snapshot is saved at a random point, and recovery (latest
 * snapshot + the stored records after it, as the engine does on start) rebuilds exactly the processed state.
 */
describe("recovery from the store equals processing (property)", () => {
	const logger = pino({ level: "silent" });
	let db: TestDatabase;
	let store: EngineStore;
	let client: pg.Client;

	beforeAll(async () => {
		db = await createTestDatabase("store_replay");
		await migrateEngineSchema(db.url, logger);
		store = await EngineStore.open({ databaseUrl: db.url, logger, retention: { records: "all" } });
		client = new pg.Client({ connectionString: db.url });
		await client.connect();
	});
	afterAll(async () => {
		await client?.end();
		await store?.close();
		await db?.drop();
	});

	it("should recover the processed state from the stored snapshot and records", async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 40 }), fc.nat(), async (ops, cut) => {
				await client.query(
					"truncate engine_record, engine_snapshot, engine_process_definition, engine_process_instance, engine_element_instance, engine_variable, engine_job, engine_incident",
				);
				const engine = new EngineHarness();
				let written = 0;
				const commit = async () => {
					const batch = engine.log.slice(written);
					written = engine.log.length;
					if (batch.length > 0) await store.appendBatch(batch);
				};
				await engine.deploy(...sequenceFixtures);
				await commit();
				const snapshotAfter = cut % (ops.length + 1);
				for (const [index, step] of ops.entries()) {
					if (index === snapshotAfter)
						await store.saveSnapshot(engineCore.lastPosition(engine.state), engineCore.snapshot(engine.state));
					await run(engine, step);
					await commit();
				}
				const { state } = await recoverState(engineCore, store);
				expect(engineCore.snapshot(state)).toEqual(engineCore.snapshot(engine.state));
				expect(engineCore.lastPosition(state)).toBe(engineCore.lastPosition(engine.state));
			}),
			{ numRuns: 10, seed: 20261202 },
		);
	});
});
