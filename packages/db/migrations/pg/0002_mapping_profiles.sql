CREATE TABLE "mapping_profiles" (
	"name" text PRIMARY KEY NOT NULL,
	"dataset" text,
	"columns" jsonb NOT NULL,
	"codes" jsonb NOT NULL,
	"description" text,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
