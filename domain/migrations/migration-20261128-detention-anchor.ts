import { Migration } from "@mikro-orm/migrations";

/**
 * Custody episodes remember what their detention periods count from: the arrest under the LCP, the
 * referral to the PP under special laws (domain.md §1.3). Existing rows counted from the arrest.
 */
export class Migration20261128DetentionAnchor extends Migration {
	override async up(): Promise<void> {
		this.addSql(`alter table "custody_episode" add column "detention_anchor_at" timestamptz null`);
		this.addSql(`update "custody_episode" set "detention_anchor_at" = "arrested_at"`);
		this.addSql(`alter table "custody_episode" alter column "detention_anchor_at" set not null`);
	}
}
