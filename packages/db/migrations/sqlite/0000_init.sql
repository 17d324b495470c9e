CREATE TABLE `job_logs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`job_id` text NOT NULL,
	`at` text NOT NULL,
	`level` text NOT NULL,
	`message` text NOT NULL,
	`data` text,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `job_logs_job_id_id_idx` ON `job_logs` (`job_id`,`id`);--> statement-breakpoint
CREATE TABLE `job_metrics` (
	`job_id` text PRIMARY KEY NOT NULL,
	`duration_ms` integer NOT NULL,
	`bytes_in` integer NOT NULL,
	`records_in` integer NOT NULL,
	`records_out` integer NOT NULL,
	`records_rejected` integer NOT NULL,
	`duplicates` integer NOT NULL,
	`errors` integer NOT NULL,
	`warnings` integer NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `job_results` (
	`job_id` text NOT NULL,
	`type` text NOT NULL,
	`format` text NOT NULL,
	`storage_key` text NOT NULL,
	`count` integer NOT NULL,
	`size_bytes` integer NOT NULL,
	`created_at` text NOT NULL,
	PRIMARY KEY(`job_id`, `type`, `format`),
	FOREIGN KEY (`job_id`) REFERENCES `jobs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`dataset` text,
	`detected_dataset` text,
	`file_name` text NOT NULL,
	`content_type` text,
	`size_bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`storage_key` text NOT NULL,
	`options` text NOT NULL,
	`idempotency_key` text,
	`progress_percent` real DEFAULT 0 NOT NULL,
	`records_processed` integer DEFAULT 0 NOT NULL,
	`errors_found` integer DEFAULT 0 NOT NULL,
	`counts` text,
	`error_code` text,
	`error_message` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	`started_at` text,
	`finished_at` text,
	`files_deleted_at` text,
	CONSTRAINT "jobs_status_check" CHECK("jobs"."status" in ('queued', 'running', 'completed', 'failed', 'cancelled'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_idempotency_key_unique` ON `jobs` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `jobs_status_idx` ON `jobs` (`status`);--> statement-breakpoint
CREATE INDEX `jobs_created_at_idx` ON `jobs` (`created_at`);--> statement-breakpoint
CREATE INDEX `jobs_created_at_id_idx` ON `jobs` (`created_at`,`id`);