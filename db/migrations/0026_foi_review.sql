ALTER TABLE `foi_item` ADD `outcome` text;--> statement-breakpoint
ALTER TABLE `foi_item` ADD `ground` text;--> statement-breakpoint
ALTER TABLE `foi_item` ADD `field_review` text;--> statement-breakpoint
ALTER TABLE `foi_item` ADD `reason` text;--> statement-breakpoint
ALTER TABLE `foi_item` ADD `merinnsyn` text;--> statement-breakpoint
ALTER TABLE `foi_item` ADD `reviewed_by` text REFERENCES user_account(id);--> statement-breakpoint
ALTER TABLE `foi_item` ADD `reviewed_at` text;--> statement-breakpoint
ALTER TABLE `foi_item` ADD `reviewed_hash` text;