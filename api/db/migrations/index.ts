import type { NamedMigration } from "../migrate";
import { Migration20261128Audit } from "./migration-20261128-audit";
import { Migration20261128Auth } from "./migration-20261128-auth";
import { Migration20261128Platform } from "./migration-20261128-platform";
import { Migration20261128TaskAudience } from "./migration-20261128-task-audience";
import { Migration20261128Tasks } from "./migration-20261128-tasks";
import { Migration20261202Oidc } from "./migration-20261202-oidc";

/** The API's migrations, oldest first. Add new ones at the end; never edit one that has shipped. */
export const apiMigrations: NamedMigration[] = [
	{ name: "Migration20261128Platform", class: Migration20261128Platform },
	{ name: "Migration20261128Auth", class: Migration20261128Auth },
	{ name: "Migration20261128Audit", class: Migration20261128Audit },
	{ name: "Migration20261128Tasks", class: Migration20261128Tasks },
	{ name: "Migration20261128TaskAudience", class: Migration20261128TaskAudience },
	{ name: "Migration20261202Oidc", class: Migration20261202Oidc },
];
