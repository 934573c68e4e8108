CREATE TABLE `recent_person` (
	`user_id` text NOT NULL,
	`workstation_id` text NOT NULL,
	`person_id` text NOT NULL,
	`opened_at` text NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `recent_person_pk` ON `recent_person` (`user_id`,`workstation_id`,`person_id`);--> statement-breakpoint
CREATE INDEX `recent_person_order` ON `recent_person` (`user_id`,`workstation_id`,`seq`);--> statement-breakpoint
ALTER TABLE `org_unit` ADD `sort_key` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `school_group` ADD `sort_key` text DEFAULT '' NOT NULL;--> statement-breakpoint
-- Units and groups get the same alphabetical order as persons (migration 0011): Swedish … Z Å Ä Ö, Norwegian
-- … Z Æ Ø Å, by the municipality's country. The function is shared/collation.ts's collationKey, registered on
-- the connection by the migration runner (db/migrate.ts); the core writes the key with every name it writes.
UPDATE org_unit SET sort_key = kansli_collation_key(name, coalesce((SELECT country FROM municipality LIMIT 1), 'SE'));
--> statement-breakpoint
UPDATE school_group SET sort_key = kansli_collation_key(name, coalesce((SELECT country FROM municipality LIMIT 1), 'SE'));
