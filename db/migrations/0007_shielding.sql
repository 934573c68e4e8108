ALTER TABLE `person` ADD `protected_since` text;--> statement-breakpoint
ALTER TABLE `person` ADD `shielded` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Data: every person's shielding flag, by the rule of this version (core/register/shielding.ts, recomputeAllSql).
-- When protection began is not known for anyone protected before this migration (protected_since stays
-- null), so every ended guardianship and household membership of a protected person counts: the
-- conservative reading. A later change of the rule recomputes the flag in its own migration.
WITH s(id, since) AS MATERIALIZED (SELECT id, protected_since FROM person WHERE protection <> 'none'),
  paths(a, b, t1, t2) AS (SELECT s.id AS a, x.guardian_id AS b, x.valid_to AS t1, x.valid_to AS t2
      FROM s CROSS JOIN guardianship x ON x.child_id = s.id AND x.deleted_at IS NULL
    UNION ALL SELECT s.id, x.child_id, x.valid_to, x.valid_to
      FROM s CROSS JOIN guardianship x ON x.guardian_id = s.id AND x.deleted_at IS NULL
    UNION ALL SELECT s.id, y.child_id, x.valid_to, y.valid_to
      FROM s CROSS JOIN guardianship x ON x.child_id = s.id AND x.deleted_at IS NULL CROSS JOIN guardianship y ON y.guardian_id = x.guardian_id AND y.deleted_at IS NULL
    UNION ALL SELECT s.id, y.guardian_id, x.valid_to, y.valid_to
      FROM s CROSS JOIN guardianship x ON x.guardian_id = s.id AND x.deleted_at IS NULL CROSS JOIN guardianship y ON y.child_id = x.child_id AND y.deleted_at IS NULL
    UNION ALL SELECT s.id, y.person_id, x.valid_to, y.valid_to
      FROM s CROSS JOIN household_member x ON x.person_id = s.id AND x.deleted_at IS NULL CROSS JOIN household_member y ON y.household_id = x.household_id AND y.deleted_at IS NULL),
  hit(id) AS (SELECT paths.b FROM paths JOIN s ON s.id = paths.a WHERE (s.since IS NULL OR ((t1 IS NULL OR t1 >= s.since) AND (t2 IS NULL OR t2 >= s.since))))
UPDATE person SET shielded = NOT shielded WHERE shielded <> (protection <> 'none' OR id IN (SELECT id FROM hit));
