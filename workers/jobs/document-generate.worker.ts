import { CASE_MACHINE, loadCaseFile, uuidv7 } from "../../domain";
import { complete, type JobModule } from "../runtime/job-module";
import { DOCUMENT_TYPES, type DocumentContent, renderDocument } from "./document.renderer";
import { findCaseRef, requireHeader, requireString } from "./job-variables";

/**
 * `document.generate`: renders the header's document (inquiry record, referral letter, lost report
 * certificate) for the case as right-to-left Arabic HTML with the classification marking on every page,
 * stores it in `worker_document` with the SHA-256 of its bytes (once per job key) and writes
 * `generatedDocumentId`, `generatedDocumentSha256`.
 */
export const documentGenerateWorker: JobModule = {
	type: "document.generate",
	description: "Renders the bilingual RTL document with its classification marking; stores it with its SHA-256",
	async handle(job, { em, services }) {
		const documentType = requireHeader(job, "documentType", DOCUMENT_TYPES);
		const ref = await findCaseRef(em, requireString(job, "caseNumber"));
		const rows: DocumentContent["rows"] = [];
		let unitNameAr = ref.unitCode;
		let unitNameEn = ref.unitCode;
		if (ref.caseRecord) {
			const file = await loadCaseFile(em, ref.caseRecord.id);
			const caseRecord = file.caseRecord;
			unitNameAr = caseRecord.unit.nameAr;
			unitNameEn = caseRecord.unit.nameEn;
			const status = CASE_MACHINE.labels[caseRecord.status];
			rows.push({ labelAr: "رقم القضية", labelEn: "Case number", value: caseRecord.caseNumber });
			rows.push({ labelAr: "حالة القضية", labelEn: "Status", value: `${status.ar} / ${status.en}` });
			if (caseRecord.titleAr) rows.push({ labelAr: "الموضوع", labelEn: "Subject", value: caseRecord.titleAr });
			for (const offence of file.offences) {
				rows.push({ labelAr: "الجريمة", labelEn: "Offence", value: `${offence.offence.nameAr} (${offence.offence.nameEn})` });
			}
			rows.push({ labelAr: "عدد الأطراف", labelEn: "Parties", value: String(file.parties.length) });
			rows.push({ labelAr: "عدد الأحراز", labelEn: "Evidence items", value: String(file.evidence.length) });
			rows.push({ labelAr: "عدد حالات التوقيف", labelEn: "Custody episodes", value: String(file.custodyEpisodes.length) });
		} else if (ref.report) {
			unitNameAr = ref.report.unit.nameAr;
			unitNameEn = ref.report.unit.nameEn;
			rows.push({ labelAr: "رقم البلاغ", labelEn: "Report number", value: ref.report.reportNumber });
			rows.push({ labelAr: "الوصف", labelEn: "Description", value: ref.report.summary });
		}
		const rendered = renderDocument({
			documentType,
			number: ref.number,
			classification: ref.classification,
			unitNameAr,
			unitNameEn,
			issuedAt: services.now(),
			rows,
		});
		const id = uuidv7();
		await em.execute(
			`insert into worker_document (id, job_key, case_number, document_type, classification, media_type, content, sha256)
			 values (?, ?, ?, ?, ?, ?, ?, ?)`,
			[id, job.key, ref.number, documentType, ref.classification, rendered.mediaType, rendered.content, rendered.sha256],
		);
		return complete({ generatedDocumentId: id, generatedDocumentSha256: rendered.sha256 });
	},
};
