CREATE TABLE `import_run` (
	`id` text PRIMARY KEY NOT NULL,
	`format` text NOT NULL,
	`kind` text,
	`file_id` text NOT NULL,
	`file_name` text NOT NULL,
	`file_sha256` text,
	`stream` text,
	`ordering_from` integer,
	`ordering_to` integer,
	`ordering_serial` integer,
	`ordering` text,
	`covers` text,
	`state` text NOT NULL,
	`counts` text DEFAULT '{}' NOT NULL,
	`records` integer DEFAULT 0 NOT NULL,
	`problems` integer DEFAULT 0 NOT NULL,
	`skipped` integer DEFAULT 0 NOT NULL,
	`blocked_code` text,
	`blocked_message` text,
	`mapping` text,
	`read_job_id` text,
	`apply_job_id` text,
	`created_by` text NOT NULL,
	`created_by_name` text NOT NULL,
	`created_at` text NOT NULL,
	`applied_at` text
);
--> statement-breakpoint
CREATE INDEX `import_run_created` ON `import_run` (`created_at`);--> statement-breakpoint
CREATE TABLE `import_stream` (
	`stream` text PRIMARY KEY NOT NULL,
	`format` text NOT NULL,
	`ordering` text NOT NULL,
	`run_id` text NOT NULL,
	`applied_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `person_identity` (
	`id` text PRIMARY KEY NOT NULL,
	`person_id` text NOT NULL,
	`canonical` text NOT NULL,
	`kind` text NOT NULL,
	`country` text NOT NULL,
	`valid_to` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `person`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `person_identity_person` ON `person_identity` (`person_id`);--> statement-breakpoint
CREATE INDEX `person_identity_canonical` ON `person_identity` (`canonical`);--> statement-breakpoint
CREATE TABLE `work_item` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`state` text NOT NULL,
	`person_id` text NOT NULL,
	`import_id` text,
	`event_date` text,
	`detail` text,
	`proposed_end` text,
	`resolved_by` text,
	`resolved_at` text,
	`note` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `person`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `work_item_state` ON `work_item` (`state`,`kind`);--> statement-breakpoint
CREATE INDEX `work_item_person` ON `work_item` (`person_id`);--> statement-breakpoint
ALTER TABLE `person` ADD `registered_municipality` text;--> statement-breakpoint
ALTER TABLE `person` ADD `registered_district` text;--> statement-breakpoint
ALTER TABLE `person` ADD `register_source` text;