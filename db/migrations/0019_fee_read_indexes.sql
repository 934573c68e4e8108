DROP INDEX `guardianship_child`;--> statement-breakpoint
CREATE INDEX `guardianship_child` ON `guardianship` (`child_id`,`guardian_id`,`valid_from`,`valid_to`,`shielded`,`deleted_at`,`invoice_share`);--> statement-breakpoint
DROP INDEX `person_address_person`;--> statement-breakpoint
CREATE INDEX `person_address_person` ON `person_address` (`person_id`,`valid_from`,`valid_to`);