import { Migration } from "@mikro-orm/migrations";

/** Users who sign in through OIDC carry the provider's `<issuer>|<sub>`; one Mizan user per provider account. */
export class Migration20261202Oidc extends Migration {
	override async up(): Promise<void> {
		this.addSql("alter table api_user add column external_subject text");
		this.addSql(
			"create unique index api_user_external_subject on api_user (external_subject) where external_subject is not null",
		);
	}
}
