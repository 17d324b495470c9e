CREATE TABLE `mapping_profiles` (
	`name` text PRIMARY KEY NOT NULL,
	`dataset` text,
	`columns` text NOT NULL,
	`codes` text NOT NULL,
	`description` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
