CREATE TABLE `foi_item` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`person_id` text NOT NULL,
	`category` text NOT NULL,
	`entity` text NOT NULL,
	`record_id` text NOT NULL,
	`content_hash` text NOT NULL,
	`proposal` text NOT NULL,
	`gone_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `foi_request`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `person`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `foi_item_once` ON `foi_item` (`request_id`,`entity`,`record_id`,`person_id`);--> statement-breakpoint
CREATE INDEX `foi_item_request` ON `foi_item` (`request_id`,`category`);