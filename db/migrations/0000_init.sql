CREATE TABLE `app_meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `change_log` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`person_id` text,
	`version` integer NOT NULL,
	`op` text NOT NULL,
	`fields` text NOT NULL,
	`actor` text NOT NULL,
	`at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `change_log_person` ON `change_log` (`person_id`,`seq`);--> statement-breakpoint
CREATE INDEX `change_log_entity` ON `change_log` (`entity`,`entity_id`);--> statement-breakpoint
CREATE TABLE `group_membership` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` text NOT NULL,
	`person_id` text NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text,
	`deleted_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`group_id`) REFERENCES `school_group`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `person`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `group_membership_group` ON `group_membership` (`group_id`,`valid_from`);--> statement-breakpoint
CREATE INDEX `group_membership_person` ON `group_membership` (`person_id`);--> statement-breakpoint
CREATE TABLE `guardianship` (
	`id` text PRIMARY KEY NOT NULL,
	`child_id` text NOT NULL,
	`guardian_id` text NOT NULL,
	`kind` text NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text,
	`deleted_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`child_id`) REFERENCES `person`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`guardian_id`) REFERENCES `person`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `guardianship_child` ON `guardianship` (`child_id`);--> statement-breakpoint
CREATE INDEX `guardianship_guardian` ON `guardianship` (`guardian_id`);--> statement-breakpoint
CREATE TABLE `municipality` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`country` text NOT NULL,
	`code` text NOT NULL,
	`org_number` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `org_unit` (
	`id` text PRIMARY KEY NOT NULL,
	`municipality_id` text NOT NULL,
	`parent_id` text,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`name_norm` text NOT NULL,
	`school_unit_code` text,
	`org_number` text,
	`gsi_code` text,
	`school_forms` text DEFAULT '[]' NOT NULL,
	`visiting_address` text,
	`deleted_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`municipality_id`) REFERENCES `municipality`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `org_unit_parent` ON `org_unit` (`parent_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `org_unit_school_unit_code` ON `org_unit` (`school_unit_code`) WHERE school_unit_code is not null and deleted_at is null;--> statement-breakpoint
CREATE UNIQUE INDEX `org_unit_gsi_code` ON `org_unit` (`gsi_code`) WHERE gsi_code is not null and deleted_at is null;--> statement-breakpoint
CREATE TABLE `person` (
	`id` text PRIMARY KEY NOT NULL,
	`id_kind` text,
	`id_canonical` text,
	`id_short` text,
	`id_country` text,
	`birth_date` text,
	`sex` text,
	`status` text NOT NULL,
	`given_name` text NOT NULL,
	`middle_name` text,
	`family_name` text NOT NULL,
	`preferred_name` text,
	`sort_key` text NOT NULL,
	`search_text` text NOT NULL,
	`nationality` text,
	`mother_tongue` text,
	`maalform` text,
	`protection` text DEFAULT 'none' NOT NULL,
	`is_child` integer DEFAULT false NOT NULL,
	`is_guardian` integer DEFAULT false NOT NULL,
	`is_staff` integer DEFAULT false NOT NULL,
	`deleted_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	CONSTRAINT "person_protection" CHECK(protection in ('none','se_sekretessmarkering','se_skyddad_folkbokforing','no_klientadresse','no_fortrolig','no_strengt_fortrolig'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `person_id_canonical` ON `person` (`id_canonical`) WHERE id_canonical is not null and deleted_at is null;--> statement-breakpoint
CREATE INDEX `person_id_short` ON `person` (`id_short`);--> statement-breakpoint
CREATE INDEX `person_sort` ON `person` (`sort_key`);--> statement-breakpoint
CREATE INDEX `person_birth` ON `person` (`birth_date`);--> statement-breakpoint
CREATE TABLE `person_address` (
	`id` text PRIMARY KEY NOT NULL,
	`person_id` text NOT NULL,
	`kind` text NOT NULL,
	`care_of` text,
	`street` text NOT NULL,
	`postal_code` text NOT NULL,
	`city` text NOT NULL,
	`country` text NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `person`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `person_address_person` ON `person_address` (`person_id`);--> statement-breakpoint
CREATE TABLE `person_contact` (
	`id` text PRIMARY KEY NOT NULL,
	`person_id` text NOT NULL,
	`kind` text NOT NULL,
	`value` text NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `person`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `person_contact_person` ON `person_contact` (`person_id`);--> statement-breakpoint
CREATE TABLE `person_name` (
	`id` text PRIMARY KEY NOT NULL,
	`person_id` text NOT NULL,
	`given_name` text NOT NULL,
	`middle_name` text,
	`family_name` text NOT NULL,
	`preferred_name` text,
	`valid_from` text NOT NULL,
	`valid_to` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `person`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `person_name_person` ON `person_name` (`person_id`);--> statement-breakpoint
CREATE TABLE `person_name_token` (
	`token` text NOT NULL,
	`sort_key` text NOT NULL,
	`person_id` text NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `person`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `person_name_token_token` ON `person_name_token` (`token`,`sort_key`,`person_id`);--> statement-breakpoint
CREATE INDEX `person_name_token_person` ON `person_name_token` (`person_id`);--> statement-breakpoint
CREATE TABLE `school_group` (
	`id` text PRIMARY KEY NOT NULL,
	`unit_id` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`name_norm` text NOT NULL,
	`school_year` integer NOT NULL,
	`school_form` text NOT NULL,
	`grade` integer,
	`deleted_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`unit_id`) REFERENCES `org_unit`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `school_group_unit_year` ON `school_group` (`unit_id`,`school_year`);--> statement-breakpoint
CREATE TABLE `staff_duty` (
	`id` text PRIMARY KEY NOT NULL,
	`person_id` text NOT NULL,
	`unit_id` text NOT NULL,
	`role` text NOT NULL,
	`percent_hundredths` integer NOT NULL,
	`valid_from` text NOT NULL,
	`valid_to` text,
	`deleted_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `person`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`unit_id`) REFERENCES `org_unit`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `staff_duty_person` ON `staff_duty` (`person_id`);--> statement-breakpoint
CREATE INDEX `staff_duty_unit` ON `staff_duty` (`unit_id`);