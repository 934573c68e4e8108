CREATE TABLE `foi_disclosure` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`disclosed_on` text NOT NULL,
	`channel` text NOT NULL,
	`recipient_kind` text NOT NULL,
	`persons` text NOT NULL,
	`extract_sha256` text NOT NULL,
	`pages` integer NOT NULL,
	`masked` integer NOT NULL,
	`withheld` integer NOT NULL,
	`decided_on` text NOT NULL,
	`decided_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `foi_request`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `user_account`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "foi_disclosure_counts" CHECK("foi_disclosure"."pages" > 0 AND "foi_disclosure"."masked" >= 0 AND "foi_disclosure"."withheld" >= 0)
);
--> statement-breakpoint
CREATE INDEX `foi_disclosure_request` ON `foi_disclosure` (`request_id`);