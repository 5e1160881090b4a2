import { Migration } from "@mikro-orm/migrations";

/**
 * The case-record tables of domain.md §2.4 (generated from the entity schemas, then reviewed), plus what
 * entities cannot say: custody events are append-only, enforced by a trigger.
 */
export class Migration20261128CaseRecords extends Migration {
	override async up(): Promise<void> {
		this.addSql(
			`create table "identifier_sequence" ("series" text not null, "hijri_year" int not null, "last_value" int not null, constraint "identifier_sequence_pkey" primary key ("series", "hijri_year"))`,
		);
		this.addSql(
			`create table "offence" ("id" uuid not null, "code" text not null, "name_ar" text not null, "name_en" text not null, "category" text not null, "major_crime" boolean null, "complaint_required" boolean null, "governing_law" text not null default 'LCP-1435', "note" text null, "created_at" timestamptz not null, constraint "offence_pkey" primary key ("id"))`,
		);
		this.addSql(`alter table "offence" add constraint "offence_code_unique" unique ("code")`);
		this.addSql(
			`create table "person" ("id" uuid not null, "primary_id_number" text null, "primary_id_type" text check ("primary_id_type" in ('NATIONAL_ID', 'IQAMA', 'PASSPORT', 'BORDER_NUMBER', 'GCC_ID')) null, "first_name_ar" text not null, "father_name_ar" text null, "grandfather_name_ar" text null, "family_name_ar" text null, "first_name_latin" text null, "father_name_latin" text null, "grandfather_name_latin" text null, "family_name_latin" text null, "name_search" text not null, "nationality" text null, "sex" text check ("sex" in ('M', 'F')) null, "date_of_birth" text null, "dob_calendar" text check ("dob_calendar" in ('HIJRI', 'GREGORIAN')) null, "mobile" text null, "synthetic" boolean not null default false, "seed_key" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "person_pkey" primary key ("id"))`,
		);
		this.addSql(`alter table "person" add constraint "person_primary_id_number_unique" unique ("primary_id_number")`);
		this.addSql(`create index "person_name_search_index" on "person" ("name_search")`);
		this.addSql(`alter table "person" add constraint "person_seed_key_unique" unique ("seed_key")`);
		this.addSql(
			`create table "identity_document" ("id" uuid not null, "person_id" uuid not null, "type" text check ("type" in ('NATIONAL_ID', 'IQAMA', 'PASSPORT', 'BORDER_NUMBER', 'GCC_ID')) not null, "number" text not null, "issuing_country" text not null, "expires_on" text null, "verified_at" timestamptz null, "created_at" timestamptz not null, constraint "identity_document_pkey" primary key ("id"))`,
		);
		this.addSql(`create index "identity_document_person_id_index" on "identity_document" ("person_id")`);
		this.addSql(
			`alter table "identity_document" add constraint "identity_document_type_number_issuing_country_unique" unique ("type", "number", "issuing_country")`,
		);
		this.addSql(
			`create table "person_registry" ("id_number" text not null, "id_type" text check ("id_type" in ('NATIONAL_ID', 'IQAMA', 'PASSPORT', 'BORDER_NUMBER', 'GCC_ID')) not null, "first_name_ar" text not null, "father_name_ar" text null, "grandfather_name_ar" text null, "family_name_ar" text null, "full_name_latin" text null, "nationality" text not null, "sex" text check ("sex" in ('M', 'F')) null, "date_of_birth" text null, "dob_calendar" text check ("dob_calendar" in ('HIJRI', 'GREGORIAN')) null, "status" text check ("status" in ('ACTIVE', 'EXPIRED', 'DECEASED', 'CANCELLED')) not null default 'ACTIVE', "synthetic" boolean not null default true, "created_at" timestamptz not null, constraint "person_registry_pkey" primary key ("id_number"))`,
		);
		this.addSql(
			`create table "unit" ("id" uuid not null, "code" text not null, "region" text not null, "name_ar" text not null, "name_en" text not null, "kind" text check ("kind" in ('POLICE_STATION', 'TRAFFIC', 'CRIMINAL_INVESTIGATION', 'HEADQUARTERS')) not null, "district_ar" text null, "district_en" text null, "latitude" double precision null, "longitude" double precision null, "active" boolean not null default true, "created_at" timestamptz not null, constraint "unit_pkey" primary key ("id"))`,
		);
		this.addSql(`alter table "unit" add constraint "unit_code_unique" unique ("code")`);
		this.addSql(
			`create table "report" ("id" uuid not null, "report_number" text not null, "kind" text check ("kind" in ('CRIMINAL', 'TRAFFIC', 'LOST_PROPERTY', 'FOUND_PROPERTY', 'OTHER')) not null, "channel" text check ("channel" in ('STATION', 'EMERGENCY_911', 'KOLLONA_AMN', 'ABSHER', 'PATROL')) not null, "status" text check ("status" in ('DRAFT', 'SUBMITTED', 'TRIAGED', 'CASE_OPENED', 'REFERRED_OTHER_AGENCY', 'NON_CRIMINAL_SERVICE', 'REJECTED_DUPLICATE', 'UNFOUNDED')) not null default 'DRAFT', "unit_id" uuid not null, "reporter_id" uuid null, "received_at" timestamptz not null, "summary" text not null, "classification" text check ("classification" in ('PUBLIC', 'RESTRICTED', 'SECRET', 'TOP_SECRET')) not null default 'RESTRICTED', "synthetic" boolean not null default false, "created_at" timestamptz not null, constraint "report_pkey" primary key ("id"))`,
		);
		this.addSql(`alter table "report" add constraint "report_report_number_unique" unique ("report_number")`);
		this.addSql(
			`create table "case_record" ("id" uuid not null, "case_number" text not null, "unit_id" uuid not null, "hijri_year" int not null, "sequence" int not null, "report_id" uuid null, "status" text check ("status" in ('OPEN', 'UNDER_INQUIRY', 'SUSPENDED_UNKNOWN_OFFENDER', 'REFERRED_TO_PP', 'RETURNED_FOR_COMPLETION', 'DISMISSED_BY_PP', 'INDICTED', 'IN_TRIAL', 'JUDGMENT_ISSUED', 'UNDER_APPEAL', 'FINAL_JUDGMENT', 'IN_EXECUTION', 'CLOSED')) not null default 'OPEN', "classification" text check ("classification" in ('PUBLIC', 'RESTRICTED', 'SECRET', 'TOP_SECRET')) not null default 'RESTRICTED', "title_ar" text null, "title_en" text null, "opened_at" timestamptz not null, "closed_at" timestamptz null, "dismissal_reason" text check ("dismissal_reason" in ('INSUFFICIENT_EVIDENCE', 'NO_OFFENCE', 'UNKNOWN_OFFENDER', 'PRIVATE_RIGHT_WAIVED', 'ACCUSED_DECEASED', 'PARDON', 'OTHER')) null, "dismissal_final" boolean null, "location" jsonb null, "evidence_count" int not null default 0, "custody_count" int not null default 0, "synthetic" boolean not null default false, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "case_record_pkey" primary key ("id"))`,
		);
		this.addSql(`alter table "case_record" add constraint "case_record_case_number_unique" unique ("case_number")`);
		this.addSql(
			`alter table "case_record" add constraint "case_record_unit_id_hijri_year_sequence_unique" unique ("unit_id", "hijri_year", "sequence")`,
		);
		this.addSql(
			`create table "notification" ("id" uuid not null, "idempotency_key" text not null, "channel" text check ("channel" in ('SMS', 'EMAIL', 'PROSECUTION', 'COURT', 'INTERNAL')) not null, "recipient" text not null, "template" text not null, "payload" jsonb not null, "case_record_id" uuid null, "status" text check ("status" in ('PENDING', 'SENDING', 'SENT', 'DEAD')) not null default 'PENDING', "attempts" int not null default 0, "next_attempt_at" timestamptz not null, "last_error" text null, "sent_at" timestamptz null, "created_at" timestamptz not null, constraint "notification_pkey" primary key ("id"))`,
		);
		this.addSql(
			`alter table "notification" add constraint "notification_idempotency_key_unique" unique ("idempotency_key")`,
		);
		this.addSql(`create index "notification_case_record_id_index" on "notification" ("case_record_id")`);
		this.addSql(
			`create index "notification_status_next_attempt_at_index" on "notification" ("status", "next_attempt_at")`,
		);
		this.addSql(
			`create table "hearing" ("id" uuid not null, "case_record_id" uuid not null, "court" text not null, "court_case_number" text null, "scheduled_at" timestamptz not null, "held_at" timestamptz null, "outcome" text null, "created_at" timestamptz not null, constraint "hearing_pkey" primary key ("id"))`,
		);
		this.addSql(`create index "hearing_case_record_id_index" on "hearing" ("case_record_id")`);
		this.addSql(
			`create table "external_ref" ("id" uuid not null, "case_record_id" uuid not null, "kind" text check ("kind" in ('PP_CASE_NUMBER', 'COURT_CASE_NUMBER', 'JUDGMENT_DEED_NUMBER', 'ABSHER_REPORT_NUMBER', 'KOLLONA_AMN_REPORT_NUMBER', 'SAHER_VIOLATION_NUMBER')) not null, "value" text not null, "created_at" timestamptz not null, constraint "external_ref_pkey" primary key ("id"))`,
		);
		this.addSql(`create index "external_ref_case_record_id_index" on "external_ref" ("case_record_id")`);
		this.addSql(`alter table "external_ref" add constraint "external_ref_kind_value_unique" unique ("kind", "value")`);
		this.addSql(
			`create table "evidence_item" ("id" uuid not null, "evidence_number" text not null, "case_record_id" uuid not null, "status" text check ("status" in ('COLLECTED', 'SEALED', 'IN_TEMP_STORAGE', 'IN_EVIDENCE_ROOM', 'CHECKED_OUT', 'RETURNED_TO_OWNER', 'DESTROYED', 'CONFISCATED', 'RETAINED', 'INTEGRITY_ALERT')) not null default 'COLLECTED', "description_ar" text not null, "description_en" text null, "quantity_value" double precision null, "quantity_unit" text null, "seal_number" text null, "digital" boolean not null default false, "sha256" text null, "loss_type" text check ("loss_type" in ('SEIZED', 'RECOVERED', 'STOLEN', 'LOST', 'FOUND', 'DAMAGED')) not null, "value_sar" double precision null, "owner_id" uuid null, "custody_head_hash" text not null default '0000000000000000000000000000000000000000000000000000000000000000', "custody_event_count" int not null default 0, "created_at" timestamptz not null, constraint "evidence_item_pkey" primary key ("id"))`,
		);
		this.addSql(
			`alter table "evidence_item" add constraint "evidence_item_evidence_number_unique" unique ("evidence_number")`,
		);
		this.addSql(`create index "evidence_item_case_record_id_index" on "evidence_item" ("case_record_id")`);
		this.addSql(
			`create table "evidence_custody_event" ("id" uuid not null, "evidence_item_id" uuid not null, "seq" int not null, "action" text check ("action" in ('COLLECTED', 'SEALED', 'TRANSFERRED', 'STORED', 'CHECKED_OUT', 'CHECKED_IN', 'INTEGRITY_ALERT', 'DISPOSED')) not null, "to_status" text check ("to_status" in ('COLLECTED', 'SEALED', 'IN_TEMP_STORAGE', 'IN_EVIDENCE_ROOM', 'CHECKED_OUT', 'RETURNED_TO_OWNER', 'DESTROYED', 'CONFISCATED', 'RETAINED', 'INTEGRITY_ALERT')) not null, "from_holder" text null, "to_holder" text not null, "location" text null, "note" text null, "occurred_at" timestamptz not null, "prev_hash" text not null, "hash" text not null, constraint "evidence_custody_event_pkey" primary key ("id"))`,
		);
		this.addSql(
			`alter table "evidence_custody_event" add constraint "evidence_custody_event_evidence_item_id_seq_unique" unique ("evidence_item_id", "seq")`,
		);
		this.addSql(
			`create table "case_party" ("id" uuid not null, "case_record_id" uuid not null, "person_id" uuid not null, "role" text check ("role" in ('REPORTER', 'COMPLAINANT', 'VICTIM', 'SUSPECT', 'ACCUSED', 'WITNESS', 'EXPERT', 'GUARDIAN', 'INTERPRETER')) not null, "age_at_offence" int null, "is_juvenile" boolean not null default false, "guardian_id" uuid null, "notes" text null, "created_at" timestamptz not null, constraint "case_party_pkey" primary key ("id"))`,
		);
		this.addSql(`create index "case_party_case_record_id_index" on "case_party" ("case_record_id")`);
		this.addSql(`create index "case_party_person_id_index" on "case_party" ("person_id")`);
		this.addSql(
			`alter table "case_party" add constraint "case_party_case_record_id_person_id_role_unique" unique ("case_record_id", "person_id", "role")`,
		);
		this.addSql(
			`create table "custody_episode" ("id" uuid not null, "custody_number" text not null, "case_record_id" uuid not null, "party_id" uuid not null, "status" text check ("status" in ('ARRESTED', 'HELD_BY_POLICE', 'TRANSFERRED_TO_INVESTIGATOR', 'DETAINED', 'EXTENDED', 'RELEASED', 'REFERRED_TO_COURT_IN_CUSTODY', 'CONVICTED_TRANSFERRED_TO_PRISON')) not null default 'ARRESTED', "governing_law" text not null, "arrested_at" timestamptz not null, "arrest_place" text null, "in_flagrante" boolean not null, "police_hold_deadline" timestamptz not null, "detention_expires_at" timestamptz not null, "branch_cap_at" timestamptz not null, "attorney_general_cap_at" timestamptz not null, "investigator_order_at" timestamptz null, "facility_type" text check ("facility_type" in ('POLICE_STATION', 'DETENTION_HOUSE', 'JUVENILE_OBSERVATION_HOME', 'PRISON')) null, "released_at" timestamptz null, "release_conditions" text null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "custody_episode_pkey" primary key ("id"))`,
		);
		this.addSql(
			`alter table "custody_episode" add constraint "custody_episode_custody_number_unique" unique ("custody_number")`,
		);
		this.addSql(`create index "custody_episode_case_record_id_index" on "custody_episode" ("case_record_id")`);
		this.addSql(`create index "custody_episode_party_id_index" on "custody_episode" ("party_id")`);
		this.addSql(
			`create table "detention_order" ("id" uuid not null, "episode_id" uuid not null, "kind" text check ("kind" in ('HOLD_ORDER', 'INITIAL_DETENTION', 'EXTENSION', 'COURT_EXTENSION', 'RELEASE')) not null, "authority" text check ("authority" in ('INVESTIGATOR', 'BRANCH_HEAD', 'ATTORNEY_GENERAL', 'COURT')) not null, "order_number" text null, "ordered_at" timestamptz not null, "expires_at" timestamptz null, "cumulative_days" int null, "reasons" text null, "created_at" timestamptz not null, constraint "detention_order_pkey" primary key ("id"))`,
		);
		this.addSql(`create index "detention_order_episode_id_index" on "detention_order" ("episode_id")`);
		this.addSql(
			`create table "case_offence" ("id" uuid not null, "case_record_id" uuid not null, "offence_id" uuid not null, "governing_law" text not null, "major_crime" boolean null, "created_at" timestamptz not null, constraint "case_offence_pkey" primary key ("id"))`,
		);
		this.addSql(`create index "case_offence_case_record_id_index" on "case_offence" ("case_record_id")`);
		this.addSql(
			`alter table "case_offence" add constraint "case_offence_case_record_id_offence_id_unique" unique ("case_record_id", "offence_id")`,
		);
		this.addSql(
			`create table "charge" ("id" uuid not null, "party_id" uuid not null, "case_offence_id" uuid not null, "disposition" text check ("disposition" in ('PENDING', 'DETAINED', 'RELEASED', 'DISMISSED', 'INDICTED', 'CONVICTED', 'ACQUITTED', 'CLAIM_DISMISSED', 'FINAL')) not null default 'PENDING', "dismissal_reason" text check ("dismissal_reason" in ('INSUFFICIENT_EVIDENCE', 'NO_OFFENCE', 'UNKNOWN_OFFENDER', 'PRIVATE_RIGHT_WAIVED', 'ACCUSED_DECEASED', 'PARDON', 'OTHER')) null, "disposition_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "charge_pkey" primary key ("id"))`,
		);
		this.addSql(`create index "charge_party_id_index" on "charge" ("party_id")`);
		this.addSql(
			`alter table "charge" add constraint "charge_party_id_case_offence_id_unique" unique ("party_id", "case_offence_id")`,
		);
		this.addSql(
			`create table "judgment" ("id" uuid not null, "charge_id" uuid not null, "level" text check ("level" in ('FIRST_INSTANCE', 'APPEAL', 'SUPREME')) not null, "outcome" text check ("outcome" in ('CONVICTED', 'ACQUITTED', 'CLAIM_DISMISSED')) not null, "sentence" jsonb null, "pronounced_at" timestamptz not null, "copy_received_at" timestamptz null, "appeal_deadline" timestamptz null, "deed_number" text null, "mandatory_review" boolean not null default false, "final" boolean not null default false, "created_at" timestamptz not null, constraint "judgment_pkey" primary key ("id"))`,
		);
		this.addSql(
			`alter table "judgment" add constraint "judgment_charge_id_level_unique" unique ("charge_id", "level")`,
		);
		this.addSql(
			`create table "appeal" ("id" uuid not null, "judgment_id" uuid not null, "appellant" text check ("appellant" in ('ACCUSED', 'PUBLIC_PROSECUTION', 'PRIVATE_CLAIMANT', 'MANDATORY_REVIEW')) not null, "kind" text check ("kind" in ('APPEAL', 'AUDIT', 'SUPREME_OBJECTION')) not null, "filed_at" timestamptz not null, "status" text check ("status" in ('FILED', 'UPHELD', 'OVERTURNED', 'AMENDED', 'REMANDED', 'WITHDRAWN')) not null default 'FILED', "decided_at" timestamptz null, "created_at" timestamptz not null, constraint "appeal_pkey" primary key ("id"))`,
		);
		this.addSql(`create index "appeal_judgment_id_index" on "appeal" ("judgment_id")`);
		this.addSql(
			`alter table "identity_document" add constraint "identity_document_person_id_foreign" foreign key ("person_id") references "person" ("id") on update cascade on delete cascade`,
		);
		this.addSql(
			`alter table "report" add constraint "report_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade`,
		);
		this.addSql(
			`alter table "report" add constraint "report_reporter_id_foreign" foreign key ("reporter_id") references "person" ("id") on update cascade on delete set null`,
		);
		this.addSql(
			`alter table "case_record" add constraint "case_record_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade`,
		);
		this.addSql(
			`alter table "case_record" add constraint "case_record_report_id_foreign" foreign key ("report_id") references "report" ("id") on update cascade on delete set null`,
		);
		this.addSql(
			`alter table "notification" add constraint "notification_case_record_id_foreign" foreign key ("case_record_id") references "case_record" ("id") on update cascade on delete set null`,
		);
		this.addSql(
			`alter table "hearing" add constraint "hearing_case_record_id_foreign" foreign key ("case_record_id") references "case_record" ("id") on update cascade`,
		);
		this.addSql(
			`alter table "external_ref" add constraint "external_ref_case_record_id_foreign" foreign key ("case_record_id") references "case_record" ("id") on update cascade`,
		);
		this.addSql(
			`alter table "evidence_item" add constraint "evidence_item_case_record_id_foreign" foreign key ("case_record_id") references "case_record" ("id") on update cascade`,
		);
		this.addSql(
			`alter table "evidence_item" add constraint "evidence_item_owner_id_foreign" foreign key ("owner_id") references "person" ("id") on update cascade on delete set null`,
		);
		this.addSql(
			`alter table "evidence_custody_event" add constraint "evidence_custody_event_evidence_item_id_foreign" foreign key ("evidence_item_id") references "evidence_item" ("id") on update cascade`,
		);
		this.addSql(
			`alter table "case_party" add constraint "case_party_case_record_id_foreign" foreign key ("case_record_id") references "case_record" ("id") on update cascade`,
		);
		this.addSql(
			`alter table "case_party" add constraint "case_party_person_id_foreign" foreign key ("person_id") references "person" ("id") on update cascade`,
		);
		this.addSql(
			`alter table "case_party" add constraint "case_party_guardian_id_foreign" foreign key ("guardian_id") references "case_party" ("id") on update cascade on delete set null`,
		);
		this.addSql(
			`alter table "custody_episode" add constraint "custody_episode_case_record_id_foreign" foreign key ("case_record_id") references "case_record" ("id") on update cascade`,
		);
		this.addSql(
			`alter table "custody_episode" add constraint "custody_episode_party_id_foreign" foreign key ("party_id") references "case_party" ("id") on update cascade`,
		);
		this.addSql(
			`alter table "detention_order" add constraint "detention_order_episode_id_foreign" foreign key ("episode_id") references "custody_episode" ("id") on update cascade`,
		);
		this.addSql(
			`alter table "case_offence" add constraint "case_offence_case_record_id_foreign" foreign key ("case_record_id") references "case_record" ("id") on update cascade`,
		);
		this.addSql(
			`alter table "case_offence" add constraint "case_offence_offence_id_foreign" foreign key ("offence_id") references "offence" ("id") on update cascade`,
		);
		this.addSql(
			`alter table "charge" add constraint "charge_party_id_foreign" foreign key ("party_id") references "case_party" ("id") on update cascade`,
		);
		this.addSql(
			`alter table "charge" add constraint "charge_case_offence_id_foreign" foreign key ("case_offence_id") references "case_offence" ("id") on update cascade`,
		);
		this.addSql(
			`alter table "judgment" add constraint "judgment_charge_id_foreign" foreign key ("charge_id") references "charge" ("id") on update cascade`,
		);
		this.addSql(
			`alter table "appeal" add constraint "appeal_judgment_id_foreign" foreign key ("judgment_id") references "judgment" ("id") on update cascade`,
		);

		// Chain-of-custody entries are never changed or removed (domain.md §2.3, §3.6). The hash chain
		// detects tampering by anyone who can bypass this trigger (a superuser); the trigger stops the rest.
		this.addSql(`create function domain_refuse_change() returns trigger language plpgsql as $$
begin
	raise exception '% on %: rows are append-only; record a new entry instead', tg_op, tg_table_name
		using errcode = 'insufficient_privilege';
end $$`);
		this.addSql(`create trigger evidence_custody_event_append_only before update or delete on "evidence_custody_event"
	for each row execute function domain_refuse_change()`);
	}
}
