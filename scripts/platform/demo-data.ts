import { readFileSync } from "node:fs";
import type { Logger } from "pino";
import { ZBClient } from "zeebe-node";
import { openDomainOrm, seedDomain } from "../../domain/index";
import { listDeploymentResources } from "../../processes/resource.catalog";

/** The raw gRPC call behind zeebe-node's `deployResource`, which takes several resources in one deployment. */
interface DeployGrpc {
	deployResourceSync(request: { resources: Array<{ name: string; content: Buffer }> }): Promise<{
		key: string;
		deployments: Array<{ process?: { bpmnProcessId: string; version: number } }>;
	}>;
}

/**
 * Demo mode's data: the units, people, offences and person registry of domain.md §5 (idempotent), and every
 * case process, decision and form deployed as ONE deployment through the Zeebe gateway — so a diagram never
 * goes live without its forms and decisions, and an unchanged deployment creates no new versions.
 */
export async function seedDemoData(options: { databaseUrl: string; zeebeAddress: string; logger: Logger }): Promise<Record<string, unknown>> {
	const orm = await openDomainOrm(options.databaseUrl);
	let seeded: Awaited<ReturnType<typeof seedDomain>>;
	try {
		seeded = await seedDomain(orm);
	} finally {
		await orm.close(true);
	}
	const resources = listDeploymentResources().map((resource) => ({ name: resource.name, content: readFileSync(resource.path) }));
	const zbc = new ZBClient(options.zeebeAddress, { useTLS: false, loglevel: "NONE" });
	try {
		const grpc = (zbc as unknown as { grpc: DeployGrpc }).grpc;
		const deployment = await grpc.deployResourceSync({ resources });
		const processes = deployment.deployments.flatMap((item) => (item.process ? [`${item.process.bpmnProcessId} v${item.process.version}`] : []));
		options.logger.info({ seeded, deploymentKey: deployment.key, processes }, "demo data ready");
		return { ...seeded, resources: resources.length, processes };
	} finally {
		await zbc.close();
	}
}
