-- The person list sorted by birth date or by number (identity number, else reserve number, else last), paged
-- by OFFSET over index entries only. drizzle-kit 0.31 splits an index expression at its commas and quotes
-- the pieces as columns; the expression below is written by hand (the snapshot holds it as drizzle reads it).
CREATE INDEX `person_list_birth` ON `person` (`birth_date`,`sort_key`,`is_child`,`is_guardian`,`is_staff`,`status`) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX `person_list_number` ON `person` (coalesce("id_canonical", "reserve_number", '~'),`sort_key`,`is_child`,`is_guardian`,`is_staff`,`status`) WHERE deleted_at is null;