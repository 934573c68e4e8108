CREATE TABLE `income_check` (
	`id` text PRIMARY KEY NOT NULL,
	`household_id` text NOT NULL,
	`year` integer NOT NULL,
	`taxed_income` integer NOT NULL,
	`checked_monthly` integer NOT NULL,
	`declared_monthly` integer,
	`months_declared` integer NOT NULL,
	`threshold` integer NOT NULL,
	`outcome` text NOT NULL,
	`note` text,
	`deleted_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`household_id`) REFERENCES `household`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "income_check_amounts" CHECK("income_check"."taxed_income" >= 0 AND "income_check"."checked_monthly" >= 0 AND "income_check"."threshold" >= 0 AND "income_check"."months_declared" BETWEEN 0 AND 12)
);
--> statement-breakpoint
CREATE INDEX `income_check_household` ON `income_check` (`household_id`,`year`);