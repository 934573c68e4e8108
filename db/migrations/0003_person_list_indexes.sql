CREATE INDEX `person_list_all` ON `person` (`sort_key`) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX `person_list_child` ON `person` (`sort_key`) WHERE deleted_at is null and is_child = 1;--> statement-breakpoint
CREATE INDEX `person_list_guardian` ON `person` (`sort_key`) WHERE deleted_at is null and is_guardian = 1;--> statement-breakpoint
CREATE INDEX `person_list_staff` ON `person` (`sort_key`) WHERE deleted_at is null and is_staff = 1;