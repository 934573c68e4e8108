PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_fee_preview_line` (
	`preview_id` text NOT NULL,
	`n` integer NOT NULL,
	`id` text NOT NULL,
	`month` text NOT NULL,
	`kind` text NOT NULL,
	`corrects_line_id` text,
	`child_id` text NOT NULL,
	`placement_id` text NOT NULL,
	`household_id` text NOT NULL,
	`unit_id` text NOT NULL,
	`school_form` text NOT NULL,
	`recipient_id` text,
	`share_bp` integer NOT NULL,
	`amount` integer NOT NULL,
	`explanation` text,
	PRIMARY KEY(`preview_id`, `n`)
);
--> statement-breakpoint
INSERT INTO `__new_fee_preview_line`("preview_id", "n", "id", "month", "kind", "corrects_line_id", "child_id", "placement_id", "household_id", "unit_id", "school_form", "recipient_id", "share_bp", "amount", "explanation") SELECT "preview_id", "n", "id", "month", "kind", "corrects_line_id", "child_id", "placement_id", "household_id", "unit_id", "school_form", "recipient_id", "share_bp", "amount", "explanation" FROM `fee_preview_line`;--> statement-breakpoint
DROP TABLE `fee_preview_line`;--> statement-breakpoint
ALTER TABLE `__new_fee_preview_line` RENAME TO `fee_preview_line`;--> statement-breakpoint
PRAGMA foreign_keys=ON;