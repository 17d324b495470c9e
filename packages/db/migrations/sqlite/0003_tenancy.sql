CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`key_hash` text NOT NULL,
	`roles` text NOT NULL,
	`created_by` text,
	`created_at` text NOT NULL,
	`last_used_at` text,
	`revoked_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_key_hash_unique` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE INDEX `api_keys_tenant_created_at_idx` ON `api_keys` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text,
	`at` text NOT NULL,
	`actor` text,
	`actor_kind` text,
	`action` text NOT NULL,
	`target` text,
	`outcome` integer NOT NULL,
	`ip` text,
	`request_id` text,
	`data` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_tenant_id_id_idx` ON `audit_log` (`tenant_id`,`id`);--> statement-breakpoint
DROP INDEX `jobs_idempotency_key_unique`;--> statement-breakpoint
ALTER TABLE `jobs` ADD `tenant_id` text DEFAULT 'local' NOT NULL;--> statement-breakpoint
ALTER TABLE `jobs` ADD `upload_deleted_at` text;--> statement-breakpoint
ALTER TABLE `jobs` ADD `expired_at` text;--> statement-breakpoint
CREATE INDEX `jobs_tenant_created_at_id_idx` ON `jobs` (`tenant_id`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `jobs_finished_at_idx` ON `jobs` (`finished_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `jobs_tenant_idempotency_key_unique` ON `jobs` (`tenant_id`,`idempotency_key`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_mapping_profiles` (
	`tenant_id` text DEFAULT 'local' NOT NULL,
	`name` text NOT NULL,
	`dataset` text,
	`columns` text NOT NULL,
	`codes` text NOT NULL,
	`description` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	PRIMARY KEY(`tenant_id`, `name`)
);
--> statement-breakpoint
INSERT INTO `__new_mapping_profiles`("tenant_id", "name", "dataset", "columns", "codes", "description", "created_at", "updated_at") SELECT 'local', "name", "dataset", "columns", "codes", "description", "created_at", "updated_at" FROM `mapping_profiles`;--> statement-breakpoint
DROP TABLE `mapping_profiles`;--> statement-breakpoint
ALTER TABLE `__new_mapping_profiles` RENAME TO `mapping_profiles`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
ALTER TABLE `job_logs` ADD `tenant_id` text DEFAULT 'local' NOT NULL;--> statement-breakpoint
ALTER TABLE `job_metrics` ADD `tenant_id` text DEFAULT 'local' NOT NULL;--> statement-breakpoint
ALTER TABLE `job_results` ADD `tenant_id` text DEFAULT 'local' NOT NULL;