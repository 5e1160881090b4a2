import { LOSS_TYPES, registerEvidence } from "../../domain";
import { complete, type JobModule } from "../runtime/job-module";
import { findCaseRef, optionalInstant, optionalString, requireString, riyadhIso } from "./job-variables";

type LossType = (typeof LOSS_TYPES)[number];

/**
 * `evidence.register` (multi-instance over `seizedItems`, element `evidenceItem` from the collect-evidence
 * form): registers the item `{caseNumber}/E{nn}` with the first entry of its chain of custody (COLLECTED)
 * and, after commit, publishes `EvidenceSeized` with message id = evidenceId, which starts one
 * evidence-custody instance per item. Writes `evidenceId`.
 */
export const evidenceRegisterWorker: JobModule = {
	type: "evidence.register",
	description: "Registers a seized item (…/E01) and publishes EvidenceSeized (message id = evidenceId)",
	async handle(job, { em, services }) {
		const ref = await findCaseRef(em, requireString(job, "caseNumber"));
		if (!ref.caseRecord) throw new Error(`${ref.number} is a report, not a case; evidence needs a case`);
		const item = (job.variables.evidenceItem ?? {}) as Record<string, unknown>;
		const text = (name: string) => (typeof item[name] === "string" && item[name] !== "" ? (item[name] as string) : undefined);
		const number = (name: string) => (typeof item[name] === "number" ? (item[name] as number) : undefined);
		const descriptionAr = text("descriptionAr") ?? text("itemDescriptionAr");
		if (!descriptionAr) {
			throw new Error(
				`evidenceItem of ${ref.number} has no descriptionAr; the collect-evidence form must fill it for every seized item`,
			);
		}
		const collectedAt = optionalInstant(job, "seizedAt") ?? services.now();
		const lossType = LOSS_TYPES.includes(text("lossType") as LossType) ? (text("lossType") as LossType) : "SEIZED";
		const quantity = number("quantity");
		const registered = await registerEvidence(em, {
			caseId: ref.caseRecord.id,
			descriptionAr,
			descriptionEn: text("descriptionEn"),
			quantity: quantity === undefined ? undefined : { value: quantity, unit: text("quantityUnit") ?? "piece" },
			sealNumber: text("sealNo"),
			digital: text("itemType") === "DIGITAL" || item.digital === true,
			sha256: text("sha256"),
			lossType,
			valueSar: number("estimatedValueSar"),
			collectedBy: text("collectedBy") ?? optionalString(job, "investigatorId") ?? "investigation-officer",
			collectedAt,
			location: text("location"),
			idempotencyKey: job.key,
		});
		const evidenceId = registered.evidenceNumber;
		return complete({ evidenceId }, [
			{
				name: "EvidenceSeized",
				correlationKey: evidenceId,
				messageId: evidenceId,
				variables: { evidenceId, caseNumber: ref.number, evidenceItem: item, seizedAt: riyadhIso(collectedAt) },
			},
		]);
	},
};
