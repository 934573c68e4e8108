CREATE TABLE `audit_log` (
	`seq` integer PRIMARY KEY NOT NULL,
	`at` text NOT NULL,
	`actor_id` text NOT NULL,
	`actor_name` text NOT NULL,
	`workstation` text NOT NULL,
	`method` text NOT NULL,
	`action` text NOT NULL,
	`outcome` text NOT NULL,
	`person_ids` text NOT NULL,
	`details` text NOT NULL,
	`reason` text,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_actor` ON `audit_log` (`actor_id`,`seq`);--> statement-breakpoint
CREATE TABLE `audit_person` (
	`person_id` text NOT NULL,
	`seq` integer NOT NULL,
	FOREIGN KEY (`seq`) REFERENCES `audit_log`(`seq`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `audit_person_person` ON `audit_person` (`person_id`,`seq`);--> statement-breakpoint
CREATE TABLE `role_assignment` (
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
	CONSTRAINT "role_assignment_role" CHECK(role in ('clerk','fee_admin','foi_officer','registrar','protected_handler','sysadmin','auditor'))
);
--> statement-breakpoint
CREATE INDEX `role_assignment_user` ON `role_assignment` (`user_id`);--> statement-breakpoint
CREATE TABLE `user_account` (
	`id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`display_name` text NOT NULL,
	`password_hash` text NOT NULL,
	`password_changed_at` text NOT NULL,
	`must_change_password` integer DEFAULT 0 NOT NULL,
	`totp_secret` text,
	`totp_enabled_at` text,
	`totp_last_step` integer,
	`failed_attempts` integer DEFAULT 0 NOT NULL,
	`locked_until` text,
	`last_sign_in_at` text,
	`disabled_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `user_account_username` ON `user_account` (`username`);--> statement-breakpoint
-- The audit log is append-only for the application. Someone with direct file access can drop these
-- triggers; the hash chain (kansli audit verify) is what detects that kind of tampering.
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log` BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log` BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;--> statement-breakpoint
CREATE TRIGGER `audit_person_no_update` BEFORE UPDATE ON `audit_person` BEGIN SELECT RAISE(ABORT, 'audit_person is append-only'); END;--> statement-breakpoint
CREATE TRIGGER `audit_person_no_delete` BEFORE DELETE ON `audit_person` BEGIN SELECT RAISE(ABORT, 'audit_person is append-only'); END;
