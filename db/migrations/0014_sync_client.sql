-- Joined mode (docs/sync.md): the outbox of writes waiting for the central server, and what this workstation has seen of each aggregate.
CREATE TABLE `sync_aggregate` (
	`key` text PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL,
	`pending` text
);
--> statement-breakpoint
CREATE TABLE `sync_outbox` (
	`mutation_id` text PRIMARY KEY NOT NULL,
	`ordinal` integer NOT NULL,
	`actor_id` text NOT NULL,
	`method` text NOT NULL,
	`input` text NOT NULL,
	`base` text NOT NULL,
	`state` text NOT NULL,
	`error` text,
	`theirs` text,
	`created_at` text NOT NULL,
	`answered_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sync_outbox_ordinal` ON `sync_outbox` (`ordinal`);--> statement-breakpoint
CREATE INDEX `sync_outbox_state` ON `sync_outbox` (`state`,`ordinal`);