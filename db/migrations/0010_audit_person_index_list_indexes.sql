DROP INDEX `enrolment_unit`;--> statement-breakpoint
CREATE INDEX `enrolment_unit` ON `enrolment` (`unit_id`,`valid_from`,`valid_to`,`deleted_at`,`pupil_id`,`group_id`,`school_form`,`grade`);--> statement-breakpoint
DROP INDEX `guardianship_child`;--> statement-breakpoint
CREATE INDEX `guardianship_child` ON `guardianship` (`child_id`,`guardian_id`,`valid_from`,`valid_to`,`shielded`,`deleted_at`);--> statement-breakpoint
DROP INDEX `person_contact_person`;--> statement-breakpoint
CREATE INDEX `person_contact_person` ON `person_contact` (`person_id`,`valid_from`,`valid_to`,`kind`,`value`);--> statement-breakpoint
-- The person index of the audit log is built behind the log (core/audit/chain.ts, "The person index is
-- built behind the log"). Until now every entry's persons were indexed as it was appended, so the mark
-- starts at the last entry.
INSERT INTO `app_meta` (`key`, `value`) SELECT 'audit.person_index', CAST(coalesce(max(`seq`), 0) AS TEXT) FROM `audit_log` WHERE true ON CONFLICT(`key`) DO UPDATE SET `value` = excluded.`value`;
