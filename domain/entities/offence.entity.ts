import { EntitySchema, type OptionalProps } from "@mikro-orm/core";
import { createdAtColumn, uuidPrimaryKey } from "./common";

/**
 * An entry of the offence catalogue (domain.md §5.2). The major-crime flag here is descriptive; the
 * authoritative, versioned list is the DMN table of the processes.
 */
export interface Offence {
	[OptionalProps]?: "createdAt" | "governingLaw";
	id: string;
	/** `THF-001`. */
	code: string;
	nameAr: string;
	nameEn: string;
	category: string;
	/** null: depends on the facts (e.g. a traffic accident) or not applicable (lost property). */
	majorCrime?: boolean | null;
	/** Complaint-dependent (private-right) offence: no investigation without the victim's complaint. */
	complaintRequired?: boolean | null;
	/** Key of the legal clock table that applies (LEGAL_CLOCKS). */
	governingLaw: string;
	note?: string | null;
	createdAt: Date;
}

/** Schema of {@link Offence}. */
export const OffenceSchema = new EntitySchema<Offence>({
	name: "Offence",
	tableName: "offence",
	properties: {
		id: uuidPrimaryKey,
		code: { type: "text", unique: true },
		nameAr: { type: "text" },
		nameEn: { type: "text" },
		category: { type: "text" },
		majorCrime: { type: "boolean", nullable: true },
		complaintRequired: { type: "boolean", nullable: true },
		governingLaw: { type: "text", default: "LCP-1435" },
		note: { type: "text", nullable: true },
		createdAt: createdAtColumn,
	},
});
