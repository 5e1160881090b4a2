import multipart from "@fastify/multipart";
import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import { ProblemError } from "../errors/error-registry";
import { problemResponses } from "../errors/problem";
import type { EngineAccess } from "../processes/engine-access";
import type { ApiContext } from "../v2.plugin";
import { type DeploymentProblem, lintBpmn } from "./bpmn-lint";

const deploymentResponse = {
	type: "object",
	properties: {
		deploymentKey: { type: "string" },
		tenantId: { type: "string" },
		deployments: { type: "array", items: { type: "object", additionalProperties: true } },
		warnings: {
			type: "array",
			items: {
				type: "object",
				properties: {
					file: { type: "string" },
					elementId: { type: ["string", "null"] },
					rule: { type: "string" },
					category: { type: "string" },
					message: { type: "string" },
				},
			},
		},
	},
	required: ["deploymentKey", "deployments", "warnings"],
} as const;

interface UploadedResource {
	name: string;
	content: Buffer;
}

/**
 * Why an uploaded file is refused before it is parsed at all, or null: a DOCTYPE (entity expansion:
 * billion laughs, external entities) or NUL bytes (a binary file; PostgreSQL cannot store it as text).
 */
function unsafeText(content: Buffer): string | null {
	if (content.includes(0)) return "The file contains NUL bytes; it looks binary. Upload the .bpmn, .dmn or .form text file.";
	if (/<!DOCTYPE|<!ENTITY/i.test(content.toString("utf8")))
		return "The file declares a DOCTYPE or ENTITY, which is refused (entity expansion is unsafe); remove the DOCTYPE declaration and export the diagram again.";
	return null;
}

/** The part of zeebe-node's gRPC client that deploys several resources in one request (all or nothing). */
interface DeployGrpc {
	deployResourceSync(request: { resources: UploadedResource[]; tenantId?: string }): Promise<{
		key: string;
		tenantId?: string;
		deployments: Array<Record<string, unknown>>;
	}>;
}

/** The files of a multipart request's `resources` field. @throws ProblemError when there are none or one is not deployable. */
async function readResources(request: FastifyRequest): Promise<UploadedResource[]> {
	if (!request.isMultipart()) {
		throw new ProblemError(
			"UNSUPPORTED_MEDIA_TYPE",
			"Send the files as multipart/form-data, each in a field named `resources`.",
		);
	}
	try {
		return await readParts(request);
	} catch (error) {
		if (error instanceof ProblemError || (error as { statusCode?: number }).statusCode) throw error;
		// busboy's own errors (a cut-off body, a broken boundary) carry no status: they are the client's.
		throw new ProblemError("MALFORMED_REQUEST", `The multipart body could not be read: ${(error as Error).message}. Send complete multipart/form-data.`);
	}
}

async function readParts(request: FastifyRequest): Promise<UploadedResource[]> {
	const resources: UploadedResource[] = [];
	for await (const part of request.parts()) {
		if (part.type !== "file") continue;
		const name = part.filename || part.fieldname;
		if (!/\.(bpmn|dmn|form)$/i.test(name)) {
			throw new ProblemError(
				"VALIDATION_FAILED",
				`${name} is not a .bpmn, .dmn or .form file; only those can be deployed.`,
				{
					errors: [{ field: `/resources/${name}`, location: "body", message: "must end in .bpmn, .dmn or .form" }],
				},
			);
		}
		resources.push({ name, content: await part.toBuffer() });
	}
	if (resources.length === 0) {
		throw new ProblemError(
			"VALIDATION_FAILED",
			"The request holds no files; attach .bpmn, .dmn or .form files in the `resources` field.",
			{
				errors: [{ field: "/resources", location: "body", message: "at least one file is required" }],
			},
		);
	}
	return resources;
}

/** bpmnlint (recommended + camunda-compat) problems of the BPMN files and JSON errors of the forms, errors and warnings. */
async function lintResources(resources: UploadedResource[]): Promise<DeploymentProblem[]> {
	const problems: DeploymentProblem[] = [];
	for (const resource of resources) {
		const refusal = unsafeText(resource.content);
		if (refusal) {
			problems.push({ file: resource.name, elementId: null, rule: "safe-text", category: "error", message: refusal });
			continue;
		}
		if (/\.bpmn$/i.test(resource.name))
			problems.push(...(await lintBpmn(resource.name, resource.content.toString("utf8"))));
		if (/\.form$/i.test(resource.name)) {
			try {
				JSON.parse(resource.content.toString("utf8"));
			} catch (error) {
				problems.push({
					file: resource.name,
					elementId: null,
					rule: "json",
					category: "error",
					message: `The form is not valid JSON: ${(error as Error).message}`,
				});
			}
		}
	}
	return problems;
}

/**
 * `POST /v2/deployments` (multipart/form-data, one or more files in `resources`): BPMN is linted with bpmnlint and
 * camunda-compat first; any error answers 400 DEPLOYMENT_INVALID listing every problem per file and element, and
 * nothing is deployed. Then all files go to the engine in one request, which validates and deploys all or none.
 */
export const deploymentsRoutes: FastifyPluginAsync<{ context: ApiContext; engine: EngineAccess }> = async (
	app,
	{ context, engine },
) => {
	await app.register(multipart, { limits: { fileSize: 5 * 1024 * 1024, files: 50, fields: 10 } });

	app.post(
		"/deployments/lint",
		{
			schema: {
				tags: ["deployments"],
				summary: "Lint BPMN and form files (multipart field `resources`) as a deployment would, without deploying",
				consumes: ["multipart/form-data"],
				response: {
					200: {
						type: "object",
						properties: { problems: deploymentResponse.properties.warnings },
						required: ["problems"],
					},
					...problemResponses(413, 415),
				},
			},
			config: { permission: "process:deploy" },
		},
		async (request) => ({ problems: await lintResources(await readResources(request)) }),
	);

	app.post(
		"/deployments",
		{
			schema: {
				tags: ["deployments"],
				summary: "Deploy BPMN, DMN and form files (multipart field `resources`), linted and validated first",
				consumes: ["multipart/form-data"],
				response: { 200: deploymentResponse, ...problemResponses(413, 415, 503) },
			},
			config: { permission: "process:deploy" },
		},
		async (request) => {
			const resources = await readResources(request);
			const problems = await lintResources(resources);
			const errors = problems.filter((problem) => problem.category === "error");
			if (errors.length > 0) {
				throw new ProblemError(
					"DEPLOYMENT_INVALID",
					`Nothing was deployed: ${errors.length} problem(s) in ${new Set(errors.map((error) => error.file)).size} file(s); fix them and deploy again.`,
					{ problems: errors },
				);
			}
			const tenantId = engine.commandTenant(request.principal!);
			const deployed = await engine.command(
				`deploy ${resources.map((resource) => resource.name).join(", ")}`,
				async (zbc) => {
					const grpc = (zbc as unknown as { grpc?: DeployGrpc }).grpc;
					if (!grpc?.deployResourceSync) throw new Error("this zeebe-node version offers no multi-resource deployment");
					return grpc.deployResourceSync({ resources, ...(tenantId ? { tenantId } : {}) });
				},
			);
			await context.audit.record(request, {
				action: "RESOURCES_DEPLOYED",
				entityType: "deployment",
				entityId: String(deployed.key),
				detail: { files: resources.map((resource) => resource.name) },
			});
			return {
				deploymentKey: String(deployed.key),
				tenantId: deployed.tenantId ?? "<default>",
				deployments: deployed.deployments,
				warnings: problems.filter((problem) => problem.category === "warn"),
			};
		},
	);
};
