CREATE TABLE `application` (
	`id` text PRIMARY KEY NOT NULL,
	`child_id` text NOT NULL,
	`school_form` text NOT NULL,
	`applied_on` text NOT NULL,
	`wished_start` text NOT NULL,
	`weekly_hours` integer,
	`status` text NOT NULL,
	`note` text,
	`deleted_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`child_id`) REFERENCES `person`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `application_status` ON `application` (`status`,`applied_on`);--> statement-breakpoint
CREATE INDEX `application_child` ON `application` (`child_id`);--> statement-breakpoint
CREATE TABLE `application_choice` (
	`application_id` text NOT NULL,
	`rank` integer NOT NULL,
	`unit_id` text NOT NULL,
	FOREIGN KEY (`application_id`) REFERENCES `application`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `org_unit`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `application_choice_pk` ON `application_choice` (`application_id`,`rank`);--> statement-breakpoint
CREATE INDEX `application_choice_unit` ON `application_choice` (`unit_id`);--> statement-breakpoint
CREATE TABLE `enrolment` (
	`id` text PRIMARY KEY NOT NULL,
	`pupil_id` text NOT NULL,
	`unit_id` text NOT NULL,
	`group_id` text,
	`school_form` text NOT NULL,
	`grade` integer NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text,
	`end_reason` text,
	`transferred_from_id` text,
	`deleted_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`pupil_id`) REFERENCES `person`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `org_unit`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `school_group`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "enrolment_dates" CHECK(valid_to is null or valid_to >= valid_from)
);
--> statement-breakpoint
CREATE INDEX `enrolment_pupil` ON `enrolment` (`pupil_id`,`valid_from`);--> statement-breakpoint
CREATE INDEX `enrolment_unit` ON `enrolment` (`unit_id`,`valid_from`);--> statement-breakpoint
CREATE INDEX `enrolment_group` ON `enrolment` (`group_id`);--> statement-breakpoint
CREATE TABLE `household` (
	`id` text PRIMARY KEY NOT NULL,
	`deleted_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `household_member` (
	`id` text PRIMARY KEY NOT NULL,
	`household_id` text NOT NULL,
	`person_id` text NOT NULL,
	`role` text NOT NULL,
	`shared` integer DEFAULT false NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text,
	`deleted_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`household_id`) REFERENCES `household`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `person`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `household_member_household` ON `household_member` (`household_id`,`valid_from`);--> statement-breakpoint
CREATE INDEX `household_member_person` ON `household_member` (`person_id`);--> statement-breakpoint
CREATE TABLE `placement` (
	`id` text PRIMARY KEY NOT NULL,
	`child_id` text NOT NULL,
	`unit_id` text NOT NULL,
	`group_id` text,
	`school_form` text NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text,
	`weekly_hours` integer,
	`schedule` text,
	`reason` text NOT NULL,
	`state` text NOT NULL,
	`answer_by` text,
	`application_id` text,
	`notice_given_on` text,
	`notice_override_reason` text,
	`transferred_from_id` text,
	`deleted_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`child_id`) REFERENCES `person`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `org_unit`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`group_id`) REFERENCES `school_group`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "placement_dates" CHECK(valid_to is null or valid_to >= valid_from)
);
--> statement-breakpoint
CREATE INDEX `placement_child` ON `placement` (`child_id`,`valid_from`);--> statement-breakpoint
CREATE INDEX `placement_unit` ON `placement` (`unit_id`,`valid_from`);--> statement-breakpoint
CREATE INDEX `placement_group` ON `placement` (`group_id`);--> statement-breakpoint
CREATE TABLE `placement_owner` (
	`placement_id` text NOT NULL,
	`guardian_id` text NOT NULL,
	FOREIGN KEY (`placement_id`) REFERENCES `placement`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`guardian_id`) REFERENCES `person`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `placement_owner_pk` ON `placement_owner` (`placement_id`,`guardian_id`);--> statement-breakpoint
CREATE INDEX `placement_owner_guardian` ON `placement_owner` (`guardian_id`);--> statement-breakpoint
ALTER TABLE `group_membership` ADD `source_id` text;--> statement-breakpoint
CREATE INDEX `group_membership_source` ON `group_membership` (`source_id`);--> statement-breakpoint
ALTER TABLE `guardianship` ADD `lives_with` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `guardianship` ADD `invoice_share` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `guardianship` ADD `shielded` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `org_unit` ADD `opened_on` text;--> statement-breakpoint
ALTER TABLE `org_unit` ADD `closed_on` text;--> statement-breakpoint
ALTER TABLE `person` ADD `preferred_language` text;--> statement-breakpoint
ALTER TABLE `person` ADD `messages_allowed` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `school_group` ADD `valid_from` text;--> statement-breakpoint
ALTER TABLE `school_group` ADD `valid_to` text;--> statement-breakpoint
-- Data: a group's lifetime defaults to its school year (1 August to 31 July).
UPDATE `school_group` SET `valid_from` = `school_year` || '-08-01', `valid_to` = (`school_year` + 1) || '-07-31';--> statement-breakpoint
-- Data: class memberships become enrolments, department memberships become accepted placements; the
-- membership keeps following its source (same id, so the link needs no lookup table).
INSERT INTO `enrolment` (`id`, `pupil_id`, `unit_id`, `group_id`, `school_form`, `grade`, `valid_from`, `valid_to`, `version`, `created_at`, `created_by`, `updated_at`, `updated_by`)
  SELECT m.`id`, m.`person_id`, g.`unit_id`, g.`id`, g.`school_form`, coalesce(g.`grade`, 0), m.`valid_from`, m.`valid_to`, 1, m.`created_at`, m.`created_by`, m.`updated_at`, m.`updated_by`
  FROM `group_membership` m JOIN `school_group` g ON g.`id` = m.`group_id`
  WHERE g.`kind` = 'class' AND m.`deleted_at` IS NULL;--> statement-breakpoint
INSERT INTO `placement` (`id`, `child_id`, `unit_id`, `group_id`, `school_form`, `valid_from`, `valid_to`, `reason`, `state`, `version`, `created_at`, `created_by`, `updated_at`, `updated_by`)
  SELECT m.`id`, m.`person_id`, g.`unit_id`, g.`id`, g.`school_form`, m.`valid_from`, m.`valid_to`, 'care_need', 'accepted', 1, m.`created_at`, m.`created_by`, m.`updated_at`, m.`updated_by`
  FROM `group_membership` m JOIN `school_group` g ON g.`id` = m.`group_id`
  WHERE g.`kind` = 'department' AND m.`deleted_at` IS NULL;--> statement-breakpoint
UPDATE `group_membership` SET `source_id` = `id`
  WHERE `deleted_at` IS NULL AND `group_id` IN (SELECT `id` FROM `school_group` WHERE `kind` IN ('class', 'department'));--> statement-breakpoint
-- Data: guardianships recorded before these columns: the guardian lived with the child and the invoice is
-- split evenly between the child's guardians at the time (the clerk corrects the exceptions).
UPDATE `guardianship` SET `lives_with` = 1, `invoice_share` = 100 / (
  SELECT count(*) FROM `guardianship` o WHERE o.`child_id` = `guardianship`.`child_id` AND o.`deleted_at` IS NULL
    AND o.`valid_from` <= coalesce(`guardianship`.`valid_to`, '9999-12-31') AND coalesce(o.`valid_to`, '9999-12-31') >= `guardianship`.`valid_from`)
  WHERE `deleted_at` IS NULL;
