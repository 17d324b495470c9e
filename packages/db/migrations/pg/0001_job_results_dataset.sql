ALTER TABLE "job_results" ADD COLUMN "dataset" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "job_results" DROP CONSTRAINT "job_results_pk";
--> statement-breakpoint
ALTER TABLE "job_results" ADD CONSTRAINT "job_results_pk" PRIMARY KEY("job_id","storage_key");