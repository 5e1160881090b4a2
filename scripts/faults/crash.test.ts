import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ZBClient } from "zeebe-node";
import { createTestDatabase, type TestDatabase } from "../testing/database";
import { type EngineProcess, startEngineProcess } from "../testing/engine-process";
import { deployMixedLoad, drainTimersAndMessages, grpcLoad, emptyLedger, verifyLedger } from "./ledger";
import { grpcCode, management, plainClient, runSeed, seededRandom, sleep } from "./fault-kit";

/** How many times the engine is SIGKILLed under load (env FAULTS_KILLS). */
const KILLS = Number(process.env.FAULTS_KILLS ?? 5);
const ALREADY_EXISTS = 6;
const NOT_FOUND = 5;
const MINUTE = 60_000;

describe("SIGKILL of the engine under mixed load, at random points", () => {
	let db: TestDatabase;
	let engine: EngineProcess | undefined;

	beforeAll(async () => {
		db = await createTestDatabase("faults_crash");
	});
	afterAll(async () => {
		await engine?.kill("SIGKILL");
		await db?.drop();
	});

	it("should keep every acknowledged instance, job completion, message and timer exactly once after each restart", async () => {
		const seed = runSeed();
		const random = seededRandom(seed);
		const ledger = emptyLedger();
		const killPoints: number[] = [];
		const restartMs: number[] = [];
		const recoveries: string[] = [];
		let caseCounter = 0;

		const start = async () => {
			const started = Date.now();
			engine = await startEngineProcess(db.url, 60_000, { env: { ENGINE_CLOCK_CONTROLLED: "true" } });
			restartMs.push(Date.now() - started);
			// The engine logs how long recovery (snapshot + replay) took and how many records it replayed.
			const recovered = /"replayed":(\d+),"ms":(\d+),"msg":"engine state recovered"/.exec(engine.output());
			if (recovered) recoveries.push(`${recovered[2]} ms/${recovered[1]} records`);
			if (ledger.clockOffsetMs > 0) {
				const moved = await management(engine.managementPort, "/actuator/clock/add", {
					offsetMilli: ledger.clockOffsetMs,
				});
				expect(moved.status).toBe(200);
			}
			return engine;
		};

		let running = await start();
		let zb: ZBClient = plainClient(running.gatewayAddress);
		await deployMixedLoad(zb);

		try {
			for (let round = 0; round < KILLS; round++) {
				let stop = false;
				const loops = grpcLoad(zb, ledger, {
					stopped: () => stop,
					managementPort: running.managementPort,
					nextCaseId: () => `case-${round}-${caseCounter++}`,
				});
				const killAfter = Math.round(300 + random() * 1_500);
				killPoints.push(killAfter);
				await sleep(killAfter);
				await running.kill("SIGKILL");
				stop = true;
				await Promise.all(loops);
				await zb.close();

				running = await start();
				zb = plainClient(running.gatewayAddress);
				const stored = await verifyLedger(db.url, ledger);
				// The engine's own state (not only the tables) kept the acknowledged effects: a completed job is gone and
				// a published message is still buffered under its id.
				for (const jobKey of [...ledger.completedJobs.keys()].slice(-5)) {
					const again = await zb.completeJob({ jobKey, variables: {} }).then(
						() => "completed again",
						(error) => grpcCode(error),
					);
					expect(again, `job ${jobKey} completed before the kill`).toBe(NOT_FOUND);
				}
				for (const caseId of [...ledger.published].slice(-5)) {
					const again = await zb
						.publishMessage({
							name: "crash-ping",
							correlationKey: caseId,
							messageId: caseId,
							timeToLive: MINUTE,
							variables: {},
						})
						.then(
							() => "published again",
							(error) => grpcCode(error),
						);
					expect(again, `message ${caseId} published before the kill`).toBe(ALREADY_EXISTS);
				}
				expect(stored.instances.size).toBeGreaterThan(0);
			}

			// Finally every timer falls due and every published message has correlated, each exactly once.
			const final = await drainTimersAndMessages(db.url, running.managementPort, ledger, 15_000);
			await verifyLedger(db.url, ledger);
			for (const caseId of ledger.published)
				expect(final.waitState.get(ledger.messageInstances.get(caseId) ?? ""), `message wait of ${caseId}`).toBe(
					"COMPLETED",
				);

			console.log(
				`crash test: seed ${seed} (FAULTS_SEED=${seed} replays it), ${KILLS} kill points after ${killPoints.join(", ")} ms of load; ` +
					`acknowledged: ${ledger.jobInstances.size + ledger.messageInstances.size + ledger.timerInstances.size} instances, ${ledger.completedJobs.size} job completions, ` +
					`${ledger.published.size} messages, ${ledger.timerInstances.size} timers (engine clock +${Math.round(ledger.clockOffsetMs / MINUTE)} min); ` +
					`restart to ready: ${restartMs.join(", ")} ms; recovery (snapshot + replay): ${recoveries.join(", ")}`,
			);
			expect(ledger.completedJobs.size).toBeGreaterThan(0);
			expect(ledger.published.size).toBeGreaterThan(0);
			expect(ledger.timerInstances.size).toBeGreaterThan(0);
		} finally {
			await zb.close();
		}
	}, 300_000);
});
