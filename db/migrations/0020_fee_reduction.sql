CREATE TABLE `fee_reduction` (
	`id` text PRIMARY KEY NOT NULL,
	`child_id` text NOT NULL,
	`kind` text NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text,
	`note` text,
	`deleted_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`child_id`) REFERENCES `person`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "fee_reduction_dates" CHECK(valid_to is null or valid_to >= valid_from)
);
--> statement-breakpoint
CREATE INDEX `fee_reduction_child` ON `fee_reduction` (`child_id`,`valid_from`);