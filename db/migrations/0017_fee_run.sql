CREATE TABLE `fee_line` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`month` text NOT NULL,
	`kind` text NOT NULL,
	`corrects_line_id` text,
	`child_id` text NOT NULL,
	`placement_id` text NOT NULL,
	`household_id` text NOT NULL,
	`unit_id` text NOT NULL,
	`school_form` text NOT NULL,
	`recipient_id` text,
	`share_bp` integer NOT NULL,
	`amount` integer NOT NULL,
	`explanation` text NOT NULL,
	`deleted_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `fee_run`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `fee_line_run` ON `fee_line` (`run_id`);--> statement-breakpoint
CREATE INDEX `fee_line_child` ON `fee_line` (`child_id`,`month`);--> statement-breakpoint
CREATE INDEX `fee_line_month` ON `fee_line` (`month`,`household_id`);--> statement-breakpoint
CREATE TABLE `fee_preview` (
	`id` text PRIMARY KEY NOT NULL,
	`month` text NOT NULL,
	`kind` text NOT NULL,
	`state` text NOT NULL,
	`line_count` integer DEFAULT 0 NOT NULL,
	`total` integer DEFAULT 0 NOT NULL,
	`summary` text,
	`config_hash` text,
	`lines_hash` text,
	`job_id` text,
	`lock_job_id` text,
	`error` text,
	`created_by` text NOT NULL,
	`created_by_name` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `fee_preview_created` ON `fee_preview` (`created_at`);--> statement-breakpoint
CREATE TABLE `fee_preview_line` (
	`preview_id` text NOT NULL,
	`n` integer NOT NULL,
	`id` text NOT NULL,
	`month` text NOT NULL,
	`kind` text NOT NULL,
	`corrects_line_id` text,
	`child_id` text NOT NULL,
	`placement_id` text NOT NULL,
	`household_id` text NOT NULL,
	`unit_id` text NOT NULL,
	`school_form` text NOT NULL,
	`recipient_id` text,
	`share_bp` integer NOT NULL,
	`amount` integer NOT NULL,
	`explanation` text NOT NULL,
	PRIMARY KEY(`preview_id`, `n`)
);
--> statement-breakpoint
CREATE INDEX `fee_preview_line_child` ON `fee_preview_line` (`preview_id`,`child_id`);--> statement-breakpoint
CREATE TABLE `fee_preview_warning` (
	`preview_id` text NOT NULL,
	`code` text NOT NULL,
	`child_id` text,
	`household_id` text,
	`person_id` text,
	`month` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `fee_preview_warning_preview` ON `fee_preview_warning` (`preview_id`,`code`);--> statement-breakpoint
CREATE TABLE `fee_run` (
	`id` text PRIMARY KEY NOT NULL,
	`month` text NOT NULL,
	`kind` text NOT NULL,
	`state` text NOT NULL,
	`currency` text NOT NULL,
	`line_count` integer NOT NULL,
	`total` integer NOT NULL,
	`summary` text NOT NULL,
	`config_hash` text NOT NULL,
	`lines_hash` text NOT NULL,
	`locked_at` text NOT NULL,
	`locked_by` text NOT NULL,
	`posted_at` text,
	`posted_by` text,
	`deleted_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `fee_run_month` ON `fee_run` (`month`,`locked_at`);--> statement-breakpoint
ALTER TABLE `household_member` ADD `fee_share_bp` integer;