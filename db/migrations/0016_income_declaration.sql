CREATE TABLE `income_declaration` (
	`id` text PRIMARY KEY NOT NULL,
	`household_id` text NOT NULL,
	`valid_from` text NOT NULL,
	`monthly_income` integer,
	`source` text NOT NULL,
	`note` text,
	`deleted_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	FOREIGN KEY (`household_id`) REFERENCES `household`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "income_declaration_amount" CHECK(("income_declaration"."source" = 'not_declared') = ("income_declaration"."monthly_income" IS NULL) AND ("income_declaration"."monthly_income" IS NULL OR "income_declaration"."monthly_income" >= 0))
);
--> statement-breakpoint
CREATE INDEX `income_declaration_household` ON `income_declaration` (`household_id`,`valid_from`);