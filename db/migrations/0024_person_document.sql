CREATE TABLE `document_content` (
	`sha256` text PRIMARY KEY NOT NULL,
	`mime` text NOT NULL,
	`size` integer NOT NULL,
	`bytes` blob NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `person_document` (
	`id` text PRIMARY KEY NOT NULL,
	`person_id` text NOT NULL,
	`title` text NOT NULL,
	`kind` text NOT NULL,
	`document_date` text NOT NULL,
	`classification` text NOT NULL,
	`classification_ground` text,
	`retention_class` text NOT NULL,
	`file_name` text NOT NULL,
	`mime` text NOT NULL,
	`size` integer NOT NULL,
	`pages` integer NOT NULL,
	`content_sha256` text NOT NULL,
	`deleted_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `person`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "person_document_ground" CHECK("person_document"."classification" = 'confidential' OR "person_document"."classification_ground" IS NULL),
	CONSTRAINT "person_document_size" CHECK("person_document"."size" > 0 AND "person_document"."pages" > 0)
);
--> statement-breakpoint
CREATE INDEX `person_document_person` ON `person_document` (`person_id`,`document_date`);--> statement-breakpoint
ALTER TABLE `foi_request` ADD `extension_months` integer;