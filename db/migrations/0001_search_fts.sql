-- Trigram full-text index over person.search_text (normalised names and identity digits; never addresses).
-- External content: the index holds no copy of the text; triggers keep it in step with the person table
-- in the same transaction as the write.
CREATE VIRTUAL TABLE `person_fts` USING fts5(search_text, content='person', content_rowid='rowid', tokenize='trigram');
--> statement-breakpoint
CREATE TRIGGER `person_fts_ai` AFTER INSERT ON `person` BEGIN
  INSERT INTO person_fts(rowid, search_text) VALUES (new.rowid, new.search_text);
END;
--> statement-breakpoint
CREATE TRIGGER `person_fts_ad` AFTER DELETE ON `person` BEGIN
  INSERT INTO person_fts(person_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
END;
--> statement-breakpoint
CREATE TRIGGER `person_fts_au` AFTER UPDATE OF search_text ON `person` BEGIN
  INSERT INTO person_fts(person_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
  INSERT INTO person_fts(rowid, search_text) VALUES (new.rowid, new.search_text);
END;
--> statement-breakpoint
INSERT INTO person_fts(person_fts) VALUES ('rebuild');
