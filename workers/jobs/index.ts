import type { JobModule } from "../runtime/job-module";
import { caseAssignNumberWorker } from "./case-assign-number.worker";
import { caseSetStatusWorker } from "./case-set-status.worker";
import { clockComputeDeadlineWorker } from "./clock-compute-deadline.worker";
import { courtRecordEventWorker } from "./court-record-event.worker";
import { custodyBookWorker } from "./custody-book.worker";
import { custodyComputeDeadlinesWorker } from "./custody-compute-deadlines.worker";
import { custodyOpenEpisodeWorker } from "./custody-open-episode.worker";
import { custodyRecordOrderWorker } from "./custody-record-order.worker";
import { custodyReleaseWorker } from "./custody-release.worker";
import { documentGenerateWorker } from "./document-generate.worker";
import { evidenceRegisterWorker } from "./evidence-register.worker";
import { evidenceTransferWorker } from "./evidence-transfer.worker";
import { foundItemsMatchWorker } from "./found-items-match.worker";
import { geoResolveJurisdictionWorker } from "./geo-resolve-jurisdiction.worker";
import { identityVerifyWorker } from "./identity-verify.worker";
import { labSubmitWorker } from "./lab-submit.worker";
import { notifyCitizenWorker } from "./notify-citizen.worker";
import { notifyStaffWorker } from "./notify-staff.worker";
import { passportsDeportationRequestWorker } from "./passports-deportation-request.worker";
import { prosecutionNotifyWorker } from "./prosecution-notify.worker";
import { prosecutionSubmitWorker } from "./prosecution-submit.worker";
import { recordsUpdateCriminalRecordWorker } from "./records-update-criminal-record.worker";

/** Every job type the case processes use (processes/README.md, "Job types"), one module each. */
export const jobModules: readonly JobModule[] = [
	caseAssignNumberWorker,
	caseSetStatusWorker,
	clockComputeDeadlineWorker,
	courtRecordEventWorker,
	custodyBookWorker,
	custodyComputeDeadlinesWorker,
	custodyOpenEpisodeWorker,
	custodyRecordOrderWorker,
	custodyReleaseWorker,
	documentGenerateWorker,
	evidenceRegisterWorker,
	evidenceTransferWorker,
	foundItemsMatchWorker,
	geoResolveJurisdictionWorker,
	identityVerifyWorker,
	labSubmitWorker,
	notifyCitizenWorker,
	notifyStaffWorker,
	passportsDeportationRequestWorker,
	prosecutionNotifyWorker,
	prosecutionSubmitWorker,
	recordsUpdateCriminalRecordWorker,
];
