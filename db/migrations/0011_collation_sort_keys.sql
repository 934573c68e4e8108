-- Sort keys in the alphabetical order of the municipality's country (shared/collation.ts): Å Ä Ö after Z in
-- Swedish, Æ Ø Å in Norwegian; before, every accent was folded away (Å sorted as A, Ö as O). The function is
-- the one the register writes keys with, registered on the connection by the migration runner (db/migrate.ts).
UPDATE person SET sort_key = kansli_person_sort_key(family_name, given_name, coalesce((SELECT country FROM municipality LIMIT 1), 'SE'));
--> statement-breakpoint
UPDATE person_name_token SET sort_key = (SELECT p.sort_key FROM person p WHERE p.id = person_name_token.person_id);
