import type { MikroORM } from "@mikro-orm/postgresql";
import type { FastifyInstance } from "fastify";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { TaskEvents } from "../tasks/task-events";

/** What `/metrics` reports besides HTTP traffic. */
export interface ApiMetricsOptions {
	/** The API's ORM: open user tasks per state are counted at each scrape. */
	orm?: MikroORM;
	/** The task service's events: created/updated/completed/canceled user tasks are counted. */
	taskEvents?: TaskEvents;
	/** The embedded engine's Prometheus text (`/actuator/prometheus`), appended to `/metrics`. */
	engine?: () => Promise<{ body: string }>;
	/** Node process metrics (CPU, memory, event-loop lag, GC): once per process, so only for the platform's app. */
	processMetrics?: boolean;
}

/** Label of requests that matched no route: URLs themselves never become labels (they carry case numbers). */
const UNMATCHED = "unmatched";

/**
 * `GET /metrics`: Prometheus text of the API — requests and latency by method, route pattern and status, sign-in
 * failures and rate-limit refusals, user task events and open tasks per state — followed by the embedded engine's
 * metrics when there is one. Counts only: no user, case number or token is ever a label.
 */
export function installApiMetrics(app: FastifyInstance, options: ApiMetricsOptions): Registry {
	const registry = new Registry();
	const registers = [registry];
	const requests = new Counter({
		name: "mizan_http_requests_total",
		help: "HTTP requests answered, by method, route pattern and status code",
		labelNames: ["method", "route", "status"],
		registers,
	});
	const latency = new Histogram({
		name: "mizan_http_request_duration_seconds",
		help: "Time from request to response, by method, route pattern and status code",
		labelNames: ["method", "route", "status"],
		buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
		registers,
	});
	const loginFailures = new Counter({ name: "mizan_login_failures_total", help: "Sign-ins refused: unknown user, wrong password or disabled account", registers });
	const loginRateLimited = new Counter({ name: "mizan_login_rate_limited_total", help: "Sign-in attempts refused by the rate limit", registers });
	const taskEvents = new Counter({
		name: "mizan_user_task_events_total",
		help: "User task changes seen by the task service and the routes, by event (userTask.created, .updated, .completed, .canceled)",
		labelNames: ["event"],
		registers,
	});
	const orm = options.orm;
	if (orm) {
		new Gauge({
			name: "mizan_user_tasks",
			help: "User tasks in the task lists, by state",
			labelNames: ["state"],
			registers,
			async collect() {
				this.reset();
				const rows = (await orm.em.getConnection().execute("select state, count(*)::int as n from user_task group by state")) as Array<{ state: string; n: number }>;
				for (const row of rows) this.set({ state: row.state }, row.n);
			},
		});
	}
	if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: "mizan_api_" });
	const unsubscribe = options.taskEvents?.subscribe((event) => taskEvents.inc({ event: event.type }));
	if (unsubscribe) app.addHook("onClose", async () => unsubscribe());

	app.addHook("onResponse", async (request, reply) => {
		const route = request.routeOptions.url ?? UNMATCHED;
		const labels = { method: request.method, route, status: String(reply.statusCode) };
		requests.inc(labels);
		latency.observe(labels, reply.elapsedTime / 1000);
		if (route === "/v2/auth/login") {
			if (reply.statusCode === 401) loginFailures.inc();
			else if (reply.statusCode === 429) loginRateLimited.inc();
		}
	});
	app.get("/metrics", { schema: { hide: true } }, async (_request, reply) => {
		let body = await registry.metrics();
		if (options.engine) {
			try {
				body += `\n${(await options.engine()).body}`;
			} catch (error) {
				app.log.warn({ err: error }, "engine metrics unavailable for /metrics");
			}
		}
		return reply.type(registry.contentType).send(body);
	});
	return registry;
}
