/**
 * The scenario harness (domain.md §5.4 C1–C8): one whole platform per test file — real PostgreSQL, the embedded
 * engine with its controlled clock, the API with its task service, every worker, the demo data and every case
 * process, decision and form deployed — and the steps a scenario script takes: sign in as a demo user, find my
 * task, complete it through `/v2/user-tasks/…`, publish a message through `/v2/messages/publication`, move the
 * engine clock through `/actuator/clock`, and wait until a condition holds.
 *
 * The engine runs in this process (as in `npm start`); everything else reaches it the way production does:
 * the API and the workers through the Zeebe gateway (zeebe-node), the clock through the management port.
 */
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import pg from "pg";
import pino from "pino";
import { runMigrations } from "../../api/db/migrate";
import { apiMigrations } from "../../api/db/migrations";
import { PartRegistry } from "../../api/health/part-registry";
import { startApi } from "../../api/platform";
import { migrateDomainSchema } from "../../domain/index";
import { type RunningEngine, startEngine } from "../../engine/index";
import { migrateWorkersSchema } from "../../workers/index";
import { type RunningWorkers, startWorkers } from "../../workers/runtime/start-workers";
import { seedDemoData } from "../platform/demo-data";
import { freePort } from "../platform/embedded-postgres";
import { createTestDatabase, type TestDatabase } from "../testing/database";

const FORMS_DIR = fileURLToPath(new URL("../../forms/", import.meta.url));
const DEMO_PASSWORD = "mizan-demo-2026";

/** A user task as `/v2/user-tasks/search` returns it. */
export interface ScenarioTask {
	userTaskKey: string;
	name: string;
	state: "CREATED" | "COMPLETED" | "CANCELED";
	elementId: string;
	processDefinitionId: string;
	processInstanceKey: string;
	caseNumber: string | null;
	candidateGroups: string[];
	assignee: string | null;
	dueDate: string | null;
}

/** Which task to find: by element id, and by case number or process instance. */
export interface TaskQuery {
	elementId: string;
	caseNumber?: string;
	processInstanceKey?: string;
	processDefinitionId?: string;
}

/** An element instance of `GET /v2/process-instances/{key}`. */
export interface ScenarioElement {
	elementId: string;
	type: string;
	state: string;
}

/** `GET /v2/process-instances/{key}` as the harness reads it. */
export interface ScenarioInstance {
	processInstanceKey: string;
	processDefinitionId: string;
	state: string;
	elementInstances: ScenarioElement[];
	variables: Array<{ name: string; value: string }>;
	incidents: Array<{ errorType: string; errorMessage: string }>;
}

/** The running platform of one scenario file. */
export interface ScenarioPlatform {
	app: FastifyInstance;
	db: TestDatabase;
	engine: RunningEngine;
	/** Bearer headers of a demo user (or a user made with {@link ScenarioPlatform.createUser}). */
	login(username: string): Promise<Record<string, string>>;
	/** Creates a user through `POST /v2/users` (as admin) for a role no demo user holds, e.g. `evidence-custodian:RUH-SWD`. */
	createUser(username: string, roles: string[], groups: string[]): Promise<void>;
	/** An HTTP call to the API as `username`; fails the test with the answer's body unless the status is 2xx. */
	call<T = unknown>(
		username: string,
		method: "GET" | "POST" | "PATCH" | "DELETE",
		url: string,
		payload?: unknown,
	): Promise<T>;
	/** Starts an instance through `POST /v2/process-instances`. */
	start(
		username: string,
		processDefinitionId: string,
		variables: Record<string, unknown>,
		caseNumber?: string,
	): Promise<string>;
	/** Waits until `username` sees an open task matching the query in `/v2/user-tasks/search`. */
	task(username: string, query: TaskQuery, timeoutMs?: number): Promise<ScenarioTask>;
	/** Finds the task, claims it and completes it with `variables` through the API (the server checks them against the form). */
	complete(username: string, query: TaskQuery, variables: Record<string, unknown>): Promise<ScenarioTask>;
	/** Publishes a message through `POST /v2/messages/publication` as the integration user (admin). */
	publish(
		name: string,
		correlationKey: string,
		variables?: Record<string, unknown>,
		options?: { messageId?: string; timeToLiveMs?: number },
	): Promise<void>;
	/** The engine clock: pin it, move it, read it (the workers' `now` follows it). */
	clock: {
		pin(instant: string | Date): Promise<void>;
		add(ms: number): Promise<void>;
		now(): Date;
	};
	/** `GET /v2/process-instances/{key}` as admin. */
	instance(processInstanceKey: string): Promise<ScenarioInstance>;
	/** Waits until the instance is in `state` (COMPLETED, TERMINATED …) and returns it. */
	instanceEnded(processInstanceKey: string, state?: string, timeoutMs?: number): Promise<ScenarioInstance>;
	/** The process instances of a business key (a variable equal to `value`), through `/v2/process-instances/search`. */
	instancesWith(
		name: string,
		value: string,
		processDefinitionId?: string,
	): Promise<Array<{ processInstanceKey: string; processDefinitionId: string; state: string }>>;
	/** `GET /v2/cases/{caseNumber}` as `username` (admin by default). */
	caseFile(caseNumber: string, username?: string): Promise<CaseFile>;
	/** {@link eventually} with the platform at hand. */
	eventually<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs?: number): Promise<T>;
	/** Waits until the case file shows `status`; on time-out names the last status and the active elements of the case's instances. */
	caseStatus(caseNumber: string, status: string, timeoutMs?: number): Promise<CaseFile>;
	/**
	 * Waits until the workers have nothing left to do: no service-task job open in the engine (user tasks wait for
	 * people), seen twice in a row. Use after moving the clock before checking that something did NOT happen.
	 */
	settle(): Promise<void>;
	/** Rows of a SQL query on the platform's database (outbox, worker outcomes): for checks only. */
	rows<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
	stop(): Promise<void>;
}

/** The case file of `GET /v2/cases/{caseNumber}` (the parts scenarios check). */
export interface CaseFile {
	case: { caseNumber: string; status: string; classification: string; unitCode?: string } & Record<string, unknown>;
	parties: Array<Record<string, unknown>>;
	offences: Array<Record<string, unknown>>;
	charges: Array<Record<string, unknown>>;
	custodyEpisodes: Array<Record<string, unknown>>;
	detentionOrders: Array<Record<string, unknown>>;
	evidence: Array<Record<string, unknown>>;
	hearings: Array<Record<string, unknown>>;
	judgments: Array<Record<string, unknown>>;
	appeals: Array<Record<string, unknown>>;
	timeline: {
		processInstances: Array<{
			processInstanceKey: string;
			processDefinitionId: string;
			state: string;
			hasIncident: boolean;
		}>;
		userTasks: Array<Record<string, unknown>>;
	};
}

/**
 * Polls `probe` until it returns a truthy value; on time-out fails with `what` and the last value or error seen,
 * so a stuck scenario says where it stopped.
 */
export async function eventually<T>(
	what: string,
	probe: () => Promise<T | null | undefined | false>,
	timeoutMs = 15_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	for (;;) {
		try {
			const value = await probe();
			if (value) return value;
			last = value;
		} catch (error) {
			last = error;
		}
		if (Date.now() > deadline) {
			const detail = last instanceof Error ? last.message : JSON.stringify(last);
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last seen: ${detail})`);
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

/** Options of {@link startScenarioPlatform}. */
export interface ScenarioPlatformOptions {
	/** The instant the engine clock is pinned to at start (the scenario's first event). */
	startAt: string;
	/** Database name prefix. */
	name: string;
}

/**
 * Starts the whole platform on a fresh database, the engine clock pinned at `startAt`; call `stop()` in `afterAll`.
 * @example
 * const platform = await startScenarioPlatform({ name: "c1", startAt: "2025-09-02T22:10:00+03:00" });
 */
export async function startScenarioPlatform(options: ScenarioPlatformOptions): Promise<ScenarioPlatform> {
	const logger = pino({ level: process.env.SCENARIO_LOG_LEVEL ?? "silent" });
	const db = await createTestDatabase(`scn_${options.name}`);
	const stoppers: Array<() => Promise<unknown>> = [() => db.drop()];
	const stop = async () => {
		for (const close of stoppers.reverse()) await close().catch(() => undefined);
	};
	try {
		await runMigrations({ databaseUrl: db.url, tableName: "api_migrations", migrations: apiMigrations, logger });
		await migrateDomainSchema(db.url, logger);
		await migrateWorkersSchema(db.url, logger);
		let clockMs = new Date(options.startAt).getTime();
		const engine = await startEngine({
			databaseUrl: db.url,
			gatewayPort: await freePort(),
			gatewayHost: "127.0.0.1",
			managementPort: await freePort(),
			clockControlled: true,
			logger,
		});
		stoppers.push(() => engine.stop());
		const management = `http://127.0.0.1:${engine.managementPort}/actuator/clock`;
		const clockCall = async (path: string, body: unknown) => {
			const response = await fetch(`${management}${path}`, {
				method: "POST",
				headers: { "content-type": "application/json" },
				body: JSON.stringify(body),
			});
			if (!response.ok)
				throw new Error(`POST /actuator/clock${path} answered ${response.status}: ${await response.text()}`);
			const answer = (await response.json()) as { epochMilli: number };
			clockMs = answer.epochMilli;
		};
		await clockCall("/pin", { epochMilli: clockMs });
		const gatewayAddress = `127.0.0.1:${engine.gatewayPort}`;
		const app = await startApi({
			databaseUrl: db.url,
			logger,
			parts: new PartRegistry(),
			mode: "demo",
			auth: {
				jwtSecret: "scenario-test-secret-long-enough-0123456789",
				loginRateLimit: { max: 10_000, timeWindowMs: 60_000 },
			},
			gatewayAddress,
			embeddedEngine: true,
			formsDir: FORMS_DIR,
		});
		stoppers.push(() => app.close());
		const workers: RunningWorkers = await startWorkers({
			zeebeAddress: gatewayAddress,
			databaseUrl: db.url,
			logger,
			services: { now: () => new Date(clockMs) },
		});
		stoppers.push(() => workers.stop());
		await seedDemoData({ databaseUrl: db.url, zeebeAddress: gatewayAddress, logger });
		const sql = new pg.Pool({ connectionString: db.url, max: 2 });
		stoppers.push(() => sql.end());

		const tokens = new Map<string, Record<string, string>>();
		const login = async (username: string) => {
			const known = tokens.get(username);
			if (known) return known;
			const answer = await app.inject({
				method: "POST",
				url: "/v2/auth/login",
				payload: { username, password: DEMO_PASSWORD },
			});
			if (answer.statusCode !== 200)
				throw new Error(`sign-in of ${username} answered ${answer.statusCode}: ${answer.body}`);
			const headers = { authorization: `Bearer ${answer.json().token}` };
			tokens.set(username, headers);
			return headers;
		};
		const call = async <T>(
			username: string,
			method: "GET" | "POST" | "PATCH" | "DELETE",
			url: string,
			payload?: unknown,
		): Promise<T> => {
			const answer = await app.inject({ method, url, headers: await login(username), payload: payload as never });
			if (answer.statusCode < 200 || answer.statusCode > 299) {
				throw new Error(`${username}: ${method} ${url} answered ${answer.statusCode}: ${answer.body}`);
			}
			return (answer.body ? answer.json() : undefined) as T;
		};
		const search = async (username: string, query: TaskQuery) => {
			const filter: Record<string, unknown> = { state: "CREATED", elementId: query.elementId };
			if (query.caseNumber) filter.caseNumber = query.caseNumber;
			if (query.processInstanceKey) filter.processInstanceKey = query.processInstanceKey;
			if (query.processDefinitionId) filter.processDefinitionId = query.processDefinitionId;
			const answer = await call<{ items: ScenarioTask[] }>(username, "POST", "/v2/user-tasks/search", { filter });
			return answer.items;
		};
		const task = async (username: string, query: TaskQuery, timeoutMs = 15_000) => {
			try {
				return await eventually(
					`${username}'s task ${JSON.stringify(query)}`,
					async () => (await search(username, query))[0],
					timeoutMs,
				);
			} catch (error) {
				// Say what is open instead: the usual cause is a process that went another way or an incident.
				const open = await call<{ items: ScenarioTask[] }>("admin", "POST", "/v2/user-tasks/search", {
					filter: { state: "CREATED" },
				});
				const incidents = await call<{ items: unknown[] }>("admin", "POST", "/v2/incidents/search", {}).catch(() => ({
					items: [],
				}));
				throw new Error(
					`${(error as Error).message}\nopen tasks: ${JSON.stringify(open.items.map((t) => `${t.processDefinitionId}/${t.elementId} ${t.caseNumber ?? ""} ${t.candidateGroups.join(",")}`))}\nincidents: ${JSON.stringify(incidents.items)}`,
				);
			}
		};
		const instance_ = (processInstanceKey: string) =>
			call<ScenarioInstance>("admin", "GET", `/v2/process-instances/${processInstanceKey}`);

		const platform: ScenarioPlatform = {
			app,
			db,
			engine,
			login,
			createUser: async (username, roles, groups) => {
				await call("admin", "POST", "/v2/users", {
					username,
					displayName: username,
					password: DEMO_PASSWORD,
					roles,
					groups,
				});
			},
			call,
			start: async (username, processDefinitionId, variables, caseNumber) => {
				const answer = await call<{ processInstanceKey: string }>(username, "POST", "/v2/process-instances", {
					processDefinitionId,
					variables,
					...(caseNumber ? { caseNumber } : {}),
				});
				return answer.processInstanceKey;
			},
			task,
			complete: async (username, query, variables) => {
				const found = await task(username, query);
				if (found.assignee !== username) {
					await call(username, "POST", `/v2/user-tasks/${found.userTaskKey}/assignment`, {
						assignee: username,
						allowOverride: false,
					});
				}
				await call(username, "POST", `/v2/user-tasks/${found.userTaskKey}/completion`, { variables });
				return found;
			},
			publish: async (name, correlationKey, variables = {}, publishOptions = {}) => {
				await call("admin", "POST", "/v2/messages/publication", {
					name,
					correlationKey,
					variables,
					timeToLive: publishOptions.timeToLiveMs ?? 60_000,
					...(publishOptions.messageId ? { messageId: publishOptions.messageId } : {}),
				});
			},
			clock: {
				pin: async (instant) => {
					await clockCall("/pin", { epochMilli: new Date(instant).getTime() });
				},
				add: async (ms) => {
					await clockCall("/add", { offsetMilli: ms });
				},
				now: () => new Date(clockMs),
			},
			instance: instance_,
			instanceEnded: async (processInstanceKey, state = "COMPLETED", timeoutMs = 15_000) =>
				eventually(
					`process instance ${processInstanceKey} to be ${state}`,
					async () => {
						const found = await instance_(processInstanceKey);
						if (found.state === state) return found;
						if (found.incidents.length > 0) throw new Error(`incidents: ${JSON.stringify(found.incidents)}`);
						throw new Error(
							`state ${found.state}, active: ${found.elementInstances
								.filter((e) => e.state === "ACTIVE")
								.map((e) => e.elementId)
								.join(", ")}`,
						);
					},
					timeoutMs,
				),
			instancesWith: async (name, value, processDefinitionId) => {
				const filter: Record<string, unknown> = { variables: [{ name, value: JSON.stringify(value) }] };
				if (processDefinitionId) filter.processDefinitionId = processDefinitionId;
				const answer = await call<{
					items: Array<{ processInstanceKey: string; processDefinitionId: string; state: string }>;
				}>("admin", "POST", "/v2/process-instances/search", { filter });
				return answer.items;
			},
			eventually: async (what, probe, timeoutMs) => {
				try {
					return await eventually(what, probe, timeoutMs);
				} catch (error) {
					const incidents = await call<{ items: unknown[] }>("admin", "POST", "/v2/incidents/search", {}).catch(() => ({
						items: [],
					}));
					throw new Error(`${(error as Error).message}\nincidents: ${JSON.stringify(incidents.items)}`);
				}
			},
			caseStatus: async (caseNumber, status, timeoutMs = 15_000) => {
				let last: CaseFile | undefined;
				try {
					return await eventually(
						`case ${caseNumber} to be ${status}`,
						async () => {
							last = await platform.caseFile(caseNumber);
							return last.case.status === status ? last : undefined;
						},
						timeoutMs,
					);
				} catch (error) {
					const active: string[] = [];
					for (const instance of last?.timeline.processInstances ?? []) {
						if (instance.state !== "ACTIVE") continue;
						const found = await instance_(instance.processInstanceKey);
						active.push(
							`${instance.processDefinitionId}: ${found.elementInstances
								.filter((e) => e.state === "ACTIVE")
								.map((e) => e.elementId)
								.join(", ")}`,
						);
					}
					throw new Error(`${(error as Error).message}; status ${last?.case.status}; active: ${active.join(" | ")}`);
				}
			},
			settle: async () => {
				let quiet = 0;
				await eventually(
					"the workers to finish every open job",
					async () => {
						await new Promise((resolve) => setTimeout(resolve, 250));
						const open = await sql.query(
							"select type, element_id from engine_job where state in ('ACTIVATABLE', 'ACTIVATED') and type <> 'io.camunda.zeebe:userTask' and retries > 0",
						);
						quiet = open.rowCount === 0 ? quiet + 1 : 0;
						if (open.rowCount) throw new Error(JSON.stringify(open.rows));
						return quiet >= 2;
					},
					20_000,
				);
			},
			caseFile: (caseNumber, username = "admin") =>
				call<CaseFile>(username, "GET", `/v2/cases/${encodeURIComponent(caseNumber)}`),
			rows: async <T>(text: string, params: unknown[] = []) => (await sql.query(text, params)).rows as T[],
			stop,
		};
		return platform;
	} catch (error) {
		await stop();
		throw error;
	}
}

/** The ids of the instance's elements that completed (end events reached, tasks done), in no particular order. */
export function completedElements(instance: ScenarioInstance): string[] {
	return instance.elementInstances
		.filter((element) => element.state === "COMPLETED")
		.map((element) => element.elementId);
}

/** The value of one of the instance's variables (root or local scope; the first one found), parsed. */
export function variableOf(instance: ScenarioInstance, name: string): unknown {
	const found = instance.variables.find((variable) => variable.name === name);
	return found ? JSON.parse(found.value) : undefined;
}

/** Milliseconds of whole hours and days, for `clock.add`. */
export const hours = (n: number) => n * 3_600_000;
export const days = (n: number) => n * 86_400_000;
