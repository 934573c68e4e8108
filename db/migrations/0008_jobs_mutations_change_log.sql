CREATE TABLE `job` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`state` text NOT NULL,
	`phase` text DEFAULT '' NOT NULL,
	`done` integer DEFAULT 0 NOT NULL,
	`total` integer,
	`input` text NOT NULL,
	`result` text,
	`error` text,
	`created_by` text NOT NULL,
	`created_by_name` text NOT NULL,
	`workstation` text NOT NULL,
	`mutation_id` text,
	`created_at` text NOT NULL,
	`started_at` text,
	`committed_at` text,
	`finished_at` text
);
--> statement-breakpoint
CREATE INDEX `job_created` ON `job` (`created_at`);--> statement-breakpoint
CREATE INDEX `job_state` ON `job` (`state`);--> statement-breakpoint
CREATE TABLE `mutation` (
	`id` text PRIMARY KEY NOT NULL,
	`actor_id` text NOT NULL,
	`method` text NOT NULL,
	`at` text NOT NULL,
	`result` text
);
--> statement-breakpoint
CREATE INDEX `mutation_at` ON `mutation` (`at`);--> statement-breakpoint
ALTER TABLE `change_log` ADD `related_person_id` text;--> statement-breakpoint
ALTER TABLE `change_log` ADD `changes` text;--> statement-breakpoint
ALTER TABLE `change_log` ADD `mutation_id` text;--> statement-breakpoint
CREATE INDEX `change_log_related` ON `change_log` (`related_person_id`,`seq`) WHERE related_person_id is not null;--> statement-breakpoint
CREATE INDEX `change_log_mutation` ON `change_log` (`mutation_id`) WHERE mutation_id is not null;