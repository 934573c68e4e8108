CREATE TABLE `foi_request` (
	`id` text PRIMARY KEY NOT NULL,
	`registry_number` text,
	`kind` text NOT NULL,
	`received_on` text NOT NULL,
	`channel` text NOT NULL,
	`requester_kind` text NOT NULL,
	`requester_name` text,
	`requester_contact` text,
	`requester_person_id` text,
	`identity_verified` text,
	`identity_verified_on` text,
	`language` text NOT NULL,
	`asked_for` text NOT NULL,
	`assignee_id` text,
	`status` text NOT NULL,
	`status_reason` text,
	`extension_notice_on` text,
	`extension_reason` text,
	`decided_on` text,
	`decided_by` text,
	`closed_on` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`requester_person_id`) REFERENCES `person`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assignee_id`) REFERENCES `user_account`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `user_account`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "foi_request_anonymous" CHECK(NOT ("foi_request"."requester_kind" = 'anonymous' AND "foi_request"."kind" = 'gdpr_access')),
	CONSTRAINT "foi_request_requester_person" CHECK("foi_request"."requester_kind" NOT IN ('subject', 'guardian') OR "foi_request"."requester_person_id" IS NOT NULL),
	CONSTRAINT "foi_request_extension" CHECK("foi_request"."extension_notice_on" IS NULL OR "foi_request"."kind" = 'gdpr_access'),
	CONSTRAINT "foi_request_decided" CHECK(("foi_request"."decided_on" IS NULL) = ("foi_request"."decided_by" IS NULL) AND ("foi_request"."decided_on" IS NULL OR "foi_request"."decided_on" >= "foi_request"."received_on"))
);
--> statement-breakpoint
CREATE INDEX `foi_request_status` ON `foi_request` (`status`,`received_on`);--> statement-breakpoint
CREATE INDEX `foi_request_requester` ON `foi_request` (`requester_person_id`);--> statement-breakpoint
CREATE TABLE `foi_request_person` (
	`id` text PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`person_id` text NOT NULL,
	`role` text NOT NULL,
	`deleted_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `foi_request`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `person`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `foi_request_person_once` ON `foi_request_person` (`request_id`,`person_id`) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX `foi_request_person_person` ON `foi_request_person` (`person_id`);