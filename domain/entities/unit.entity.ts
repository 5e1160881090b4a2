import { EntitySchema, type OptionalProps } from "@mikro-orm/core";
import { createdAtColumn, textEnum, uuidPrimaryKey } from "./common";

/** Kinds of issuing unit. */
export const UNIT_KINDS = ["POLICE_STATION", "TRAFFIC", "CRIMINAL_INVESTIGATION", "HEADQUARTERS"] as const;

/** A police station or department that issues case numbers (domain.md §5.1). */
export interface Unit {
	[OptionalProps]?: "createdAt" | "active";
	id: string;
	/** `RUH-OLY`: region, hyphen, unit; the prefix of every case number the unit issues. */
	code: string;
	region: string;
	nameAr: string;
	nameEn: string;
	kind: (typeof UNIT_KINDS)[number];
	districtAr?: string | null;
	districtEn?: string | null;
	latitude?: number | null;
	longitude?: number | null;
	active: boolean;
	createdAt: Date;
}

/** Schema of {@link Unit}. */
export const UnitSchema = new EntitySchema<Unit>({
	name: "Unit",
	tableName: "unit",
	properties: {
		id: uuidPrimaryKey,
		code: { type: "text", unique: true },
		region: { type: "text" },
		nameAr: { type: "text" },
		nameEn: { type: "text" },
		kind: textEnum(UNIT_KINDS),
		districtAr: { type: "text", nullable: true },
		districtEn: { type: "text", nullable: true },
		latitude: { type: "double", nullable: true },
		longitude: { type: "double", nullable: true },
		active: { type: "boolean", default: true },
		createdAt: createdAtColumn,
	},
});
