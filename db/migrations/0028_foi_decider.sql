PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_role_assignment` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`role` text NOT NULL,
	`unit_id` text,
	`deleted_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user_account`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `org_unit`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "role_assignment_role" CHECK(role in ('clerk','fee_admin','foi_officer','foi_decider','registrar','protected_handler','sysadmin','auditor'))
);
--> statement-breakpoint
INSERT INTO `__new_role_assignment`("id", "user_id", "role", "unit_id", "deleted_at", "version", "created_at", "created_by", "updated_at", "updated_by") SELECT "id", "user_id", "role", "unit_id", "deleted_at", "version", "created_at", "created_by", "updated_at", "updated_by" FROM `role_assignment`;--> statement-breakpoint
DROP TABLE `role_assignment`;--> statement-breakpoint
ALTER TABLE `__new_role_assignment` RENAME TO `role_assignment`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `role_assignment_user` ON `role_assignment` (`user_id`);