PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_job_results` (
	`job_id` text NOT NULL,
	`dataset` text DEFAULT '' NOT NULL,
	`type` text NOT NULL,
	`format` text NOT NULL,
	`storage_key` text NOT NULL,
	`count` integer NOT NULL,
	`size_bytes` integer NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`job_id`, `storage_key`),
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_job_results`("job_id", "dataset", "type", "format", "storage_key", "count", "size_bytes", "created_at") SELECT "job_id", '', "type", "format", "storage_key", "count", "size_bytes", "created_at" FROM `job_results`;--> statement-breakpoint
DROP TABLE `job_results`;--> statement-breakpoint
ALTER TABLE `__new_job_results` RENAME TO `job_results`;--> statement-breakpoint
PRAGMA foreign_keys=ON;