CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"key_hash" text NOT NULL,
	"roles" jsonb NOT NULL,
	"created_by" text,
	"created_at" timestamp (3) with time zone NOT NULL,
	"last_used_at" timestamp (3) with time zone,
	"revoked_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" text,
	"at" timestamp (3) with time zone NOT NULL,
	"actor" text,
	"actor_kind" text,
	"action" text NOT NULL,
	"target" text,
	"outcome" integer NOT NULL,
	"ip" text,
	"request_id" text,
	"data" jsonb
);
--> statement-breakpoint
ALTER TABLE "jobs" DROP CONSTRAINT "jobs_idempotency_key_unique";--> statement-breakpoint
ALTER TABLE "job_logs" ADD COLUMN "tenant_id" text DEFAULT 'local' NOT NULL;--> statement-breakpoint
ALTER TABLE "job_metrics" ADD COLUMN "tenant_id" text DEFAULT 'local' NOT NULL;--> statement-breakpoint
ALTER TABLE "job_results" ADD COLUMN "tenant_id" text DEFAULT 'local' NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "tenant_id" text DEFAULT 'local' NOT NULL;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "upload_deleted_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "expired_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "mapping_profiles" ADD COLUMN "tenant_id" text DEFAULT 'local' NOT NULL;--> statement-breakpoint
ALTER TABLE "mapping_profiles" DROP CONSTRAINT "mapping_profiles_pkey";--> statement-breakpoint
ALTER TABLE "mapping_profiles" ADD CONSTRAINT "mapping_profiles_pk" PRIMARY KEY("tenant_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_key_hash_unique" ON "api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "api_keys_tenant_created_at_idx" ON "api_keys" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "audit_log_tenant_id_id_idx" ON "audit_log" USING btree ("tenant_id","id");--> statement-breakpoint
CREATE INDEX "jobs_tenant_created_at_id_idx" ON "jobs" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "jobs_finished_at_idx" ON "jobs" USING btree ("finished_at");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_tenant_idempotency_key_unique" ON "jobs" USING btree ("tenant_id","idempotency_key");