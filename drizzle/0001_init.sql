CREATE TABLE "organizations" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agents" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	"name" text NOT NULL,
	"agent_type" text NOT NULL,
	"system" text NOT NULL,
	"description" text,
	"metadata" jsonb,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"llm_config" jsonb NOT NULL,
	"embedding_config" jsonb,
	"model_settings" jsonb,
	"compaction_settings" jsonb,
	"response_format" jsonb,
	"tool_rules" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"message_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"secrets" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"message_buffer_autoclear" boolean DEFAULT false NOT NULL,
	"enable_sleeptime" boolean,
	"hidden" boolean,
	"max_files_open" integer,
	"per_file_view_window_char_limit" integer,
	"last_run_completion" timestamp with time zone,
	"last_run_duration_ms" bigint,
	"last_stop_reason" text,
	"last_memory_edit" timestamp with time zone,
	"project_id" text,
	"template_id" text,
	"base_template_id" text,
	"deployment_id" text,
	"entity_id" text,
	"extras" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agent_blocks" (
	"agent_id" text NOT NULL,
	"block_id" text NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	CONSTRAINT "agent_blocks_agent_id_block_id_pk" PRIMARY KEY("agent_id","block_id")
);
--> statement-breakpoint
CREATE TABLE "blocks" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	"label" text NOT NULL,
	"value" text NOT NULL,
	"char_limit" integer DEFAULT 100000 NOT NULL,
	"description" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"read_only" boolean DEFAULT false NOT NULL,
	"hidden" boolean,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"is_template" boolean DEFAULT false NOT NULL,
	"template_name" text,
	"preserve_on_migration" boolean DEFAULT false NOT NULL,
	"project_id" text,
	"template_id" text,
	"base_template_id" text,
	"deployment_id" text,
	"entity_id" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "agent_tools" (
	"agent_id" text NOT NULL,
	"tool_id" text NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	CONSTRAINT "agent_tools_agent_id_tool_id_pk" PRIMARY KEY("agent_id","tool_id")
);
--> statement-breakpoint
CREATE TABLE "tools" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"tool_type" text DEFAULT 'custom' NOT NULL,
	"source_type" text,
	"source_code" text,
	"json_schema" jsonb,
	"args_json_schema" jsonb,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"return_char_limit" integer DEFAULT 50000 NOT NULL,
	"pip_requirements" jsonb,
	"npm_requirements" jsonb,
	"default_requires_approval" boolean,
	"enable_parallel_execution" boolean,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"project_id" text,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	"agent_id" text NOT NULL,
	"conversation_id" text,
	"seq" bigserial NOT NULL,
	"role" text NOT NULL,
	"content" jsonb,
	"text" text DEFAULT '' NOT NULL,
	"tsv" "tsvector" GENERATED ALWAYS AS (to_tsvector('english', coalesce("text", ''))) STORED,
	"embedding" vector,
	"embedding_dim" integer,
	"name" text,
	"model" text,
	"tool_calls" jsonb,
	"tool_call_id" text,
	"tool_returns" jsonb,
	"step_id" text,
	"run_id" text,
	"otid" text,
	"sender_id" text,
	"group_id" text,
	"batch_item_id" text,
	"is_err" boolean,
	"approve" boolean,
	"approval_request_id" text,
	"approvals" jsonb,
	"denial_reason" text,
	"extras" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "messages_seq_unique" UNIQUE("seq")
);
--> statement-breakpoint
CREATE TABLE "agent_archives" (
	"agent_id" text NOT NULL,
	"archive_id" text NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	"is_owner" boolean DEFAULT false NOT NULL,
	CONSTRAINT "agent_archives_agent_id_archive_id_pk" PRIMARY KEY("agent_id","archive_id")
);
--> statement-breakpoint
CREATE TABLE "archives" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"vector_db_provider" text DEFAULT 'native' NOT NULL,
	"embedding_config" jsonb,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "passages" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	"archive_id" text NOT NULL,
	"text" text NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"embedding" vector,
	"embedding_dim" integer,
	"embedding_config" jsonb,
	"tsv" "tsvector" GENERATED ALWAYS AS (to_tsvector('english', "text")) STORED,
	"source_id" text,
	"file_id" text,
	"file_name" text,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "run_events" (
	"run_id" text NOT NULL,
	"seq_id" integer NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "run_events_run_id_seq_id_pk" PRIMARY KEY("run_id","seq_id")
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	"agent_id" text NOT NULL,
	"conversation_id" text,
	"seq" bigserial NOT NULL,
	"status" text DEFAULT 'created' NOT NULL,
	"stop_reason" text,
	"background" boolean DEFAULT false NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"request_config" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"callback_url" text,
	"callback_sent_at" timestamp with time zone,
	"callback_status_code" integer,
	"callback_error" text,
	"ttft_ns" bigint,
	"total_duration_ns" bigint,
	"prompt_tokens" integer DEFAULT 0 NOT NULL,
	"completion_tokens" integer DEFAULT 0 NOT NULL,
	"total_tokens" integer DEFAULT 0 NOT NULL,
	"cached_input_tokens" integer,
	"reasoning_tokens" integer,
	"step_count" integer DEFAULT 0 NOT NULL,
	"cancel_requested" boolean DEFAULT false NOT NULL,
	"error" text,
	"completed_at" timestamp with time zone,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "runs_seq_unique" UNIQUE("seq")
);
--> statement-breakpoint
CREATE TABLE "steps" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	"run_id" text,
	"agent_id" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"origin" text,
	"provider_name" text,
	"provider_category" text,
	"model" text,
	"model_handle" text,
	"model_endpoint" text,
	"context_window_limit" integer,
	"prompt_tokens" integer DEFAULT 0 NOT NULL,
	"completion_tokens" integer DEFAULT 0 NOT NULL,
	"total_tokens" integer DEFAULT 0 NOT NULL,
	"cached_input_tokens" integer,
	"cache_write_tokens" integer,
	"reasoning_tokens" integer,
	"stop_reason" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"feedback" text,
	"error_type" text,
	"error_data" jsonb,
	"llm_duration_ms" integer,
	"tool_duration_ms" integer,
	"duration_ms" integer,
	"completed_at" timestamp with time zone,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	"queue" text NOT NULL,
	"serial_key" text,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 3 NOT NULL,
	"run_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_by" text,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "leases" (
	"key" text PRIMARY KEY NOT NULL,
	"holder" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "conversations" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	"agent_id" text NOT NULL,
	"summary" text,
	"description" text,
	"message_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"model" text,
	"model_settings" jsonb,
	"context_window_limit" integer,
	"hidden" boolean DEFAULT false NOT NULL,
	"archived" boolean DEFAULT false NOT NULL,
	"archived_at" timestamp with time zone,
	"last_message_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"extras" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mcp_servers" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	"server_name" text NOT NULL,
	"server_type" text NOT NULL,
	"server_url" text,
	"stdio_config" jsonb,
	"auth_header" text,
	"auth_token" text,
	"custom_headers" jsonb,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "group_agents" (
	"group_id" text NOT NULL,
	"agent_id" text NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "group_agents_group_id_agent_id_pk" PRIMARY KEY("group_id","agent_id")
);
--> statement-breakpoint
CREATE TABLE "group_blocks" (
	"group_id" text NOT NULL,
	"block_id" text NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	CONSTRAINT "group_blocks_group_id_block_id_pk" PRIMARY KEY("group_id","block_id")
);
--> statement-breakpoint
CREATE TABLE "groups" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	"manager_type" text NOT NULL,
	"description" text,
	"manager_agent_id" text,
	"termination_token" text,
	"max_turns" integer,
	"sleeptime_agent_frequency" integer,
	"turns_counter" integer DEFAULT 0 NOT NULL,
	"last_processed_message_id" text,
	"max_message_buffer_length" integer,
	"min_message_buffer_length" integer,
	"hidden" boolean,
	"project_id" text,
	"extras" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "identities" (
	"id" text PRIMARY KEY NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	"identifier_key" text NOT NULL,
	"name" text NOT NULL,
	"identity_type" text NOT NULL,
	"properties" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"project_id" text,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "identity_agents" (
	"identity_id" text NOT NULL,
	"agent_id" text NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	CONSTRAINT "identity_agents_identity_id_agent_id_pk" PRIMARY KEY("identity_id","agent_id")
);
--> statement-breakpoint
CREATE TABLE "identity_blocks" (
	"identity_id" text NOT NULL,
	"block_id" text NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	CONSTRAINT "identity_blocks_identity_id_block_id_pk" PRIMARY KEY("identity_id","block_id")
);
--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_blocks" ADD CONSTRAINT "agent_blocks_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_blocks" ADD CONSTRAINT "agent_blocks_block_id_blocks_id_fk" FOREIGN KEY ("block_id") REFERENCES "public"."blocks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "blocks" ADD CONSTRAINT "blocks_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_tools" ADD CONSTRAINT "agent_tools_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_tools" ADD CONSTRAINT "agent_tools_tool_id_tools_id_fk" FOREIGN KEY ("tool_id") REFERENCES "public"."tools"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tools" ADD CONSTRAINT "tools_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_archives" ADD CONSTRAINT "agent_archives_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_archives" ADD CONSTRAINT "agent_archives_archive_id_archives_id_fk" FOREIGN KEY ("archive_id") REFERENCES "public"."archives"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "archives" ADD CONSTRAINT "archives_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "passages" ADD CONSTRAINT "passages_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "passages" ADD CONSTRAINT "passages_archive_id_archives_id_fk" FOREIGN KEY ("archive_id") REFERENCES "public"."archives"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_events" ADD CONSTRAINT "run_events_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "steps" ADD CONSTRAINT "steps_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "steps" ADD CONSTRAINT "steps_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "steps" ADD CONSTRAINT "steps_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mcp_servers" ADD CONSTRAINT "mcp_servers_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_agents" ADD CONSTRAINT "group_agents_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_agents" ADD CONSTRAINT "group_agents_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_blocks" ADD CONSTRAINT "group_blocks_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_blocks" ADD CONSTRAINT "group_blocks_block_id_blocks_id_fk" FOREIGN KEY ("block_id") REFERENCES "public"."blocks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "groups" ADD CONSTRAINT "groups_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "groups" ADD CONSTRAINT "groups_manager_agent_id_agents_id_fk" FOREIGN KEY ("manager_agent_id") REFERENCES "public"."agents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identities" ADD CONSTRAINT "identities_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity_agents" ADD CONSTRAINT "identity_agents_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity_agents" ADD CONSTRAINT "identity_agents_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity_blocks" ADD CONSTRAINT "identity_blocks_identity_id_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."identities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identity_blocks" ADD CONSTRAINT "identity_blocks_block_id_blocks_id_fk" FOREIGN KEY ("block_id") REFERENCES "public"."blocks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agents_org_created_idx" ON "agents" USING btree ("organization_id","created_at","id");--> statement-breakpoint
CREATE INDEX "agents_org_name_idx" ON "agents" USING btree ("organization_id","name");--> statement-breakpoint
CREATE INDEX "agents_tags_idx" ON "agents" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "agent_blocks_block_idx" ON "agent_blocks" USING btree ("block_id");--> statement-breakpoint
CREATE INDEX "blocks_org_created_idx" ON "blocks" USING btree ("organization_id","created_at","id");--> statement-breakpoint
CREATE INDEX "blocks_org_label_idx" ON "blocks" USING btree ("organization_id","label");--> statement-breakpoint
CREATE INDEX "agent_tools_tool_idx" ON "agent_tools" USING btree ("tool_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tools_org_name_uq" ON "tools" USING btree ("organization_id","name");--> statement-breakpoint
CREATE INDEX "tools_org_created_idx" ON "tools" USING btree ("organization_id","created_at","id");--> statement-breakpoint
CREATE INDEX "messages_agent_seq_idx" ON "messages" USING btree ("agent_id","seq");--> statement-breakpoint
CREATE INDEX "messages_org_seq_idx" ON "messages" USING btree ("organization_id","seq");--> statement-breakpoint
CREATE INDEX "messages_conversation_idx" ON "messages" USING btree ("conversation_id","seq");--> statement-breakpoint
CREATE INDEX "messages_run_idx" ON "messages" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "messages_step_idx" ON "messages" USING btree ("step_id");--> statement-breakpoint
CREATE INDEX "messages_tsv_idx" ON "messages" USING gin ("tsv");--> statement-breakpoint
CREATE INDEX "agent_archives_archive_idx" ON "agent_archives" USING btree ("archive_id");--> statement-breakpoint
CREATE INDEX "archives_org_created_idx" ON "archives" USING btree ("organization_id","created_at","id");--> statement-breakpoint
CREATE INDEX "passages_archive_created_idx" ON "passages" USING btree ("archive_id","created_at");--> statement-breakpoint
CREATE INDEX "passages_org_created_idx" ON "passages" USING btree ("organization_id","created_at");--> statement-breakpoint
CREATE INDEX "passages_tags_idx" ON "passages" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "passages_tsv_idx" ON "passages" USING gin ("tsv");--> statement-breakpoint
CREATE INDEX "runs_agent_seq_idx" ON "runs" USING btree ("agent_id","seq");--> statement-breakpoint
CREATE INDEX "runs_org_created_idx" ON "runs" USING btree ("organization_id","created_at","id");--> statement-breakpoint
CREATE INDEX "runs_status_idx" ON "runs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "steps_run_idx" ON "steps" USING btree ("run_id","created_at");--> statement-breakpoint
CREATE INDEX "steps_agent_idx" ON "steps" USING btree ("agent_id","created_at");--> statement-breakpoint
CREATE INDEX "steps_org_created_idx" ON "steps" USING btree ("organization_id","created_at","id");--> statement-breakpoint
CREATE INDEX "jobs_claim_idx" ON "jobs" USING btree ("status","run_at","id");--> statement-breakpoint
CREATE INDEX "jobs_serial_idx" ON "jobs" USING btree ("serial_key","status");--> statement-breakpoint
CREATE INDEX "conversations_agent_idx" ON "conversations" USING btree ("agent_id","created_at");--> statement-breakpoint
CREATE INDEX "conversations_org_created_idx" ON "conversations" USING btree ("organization_id","created_at","id");--> statement-breakpoint
CREATE UNIQUE INDEX "mcp_servers_org_name_uq" ON "mcp_servers" USING btree ("organization_id","server_name");--> statement-breakpoint
CREATE INDEX "mcp_servers_org_created_idx" ON "mcp_servers" USING btree ("organization_id","created_at","id");--> statement-breakpoint
CREATE INDEX "group_agents_agent_idx" ON "group_agents" USING btree ("agent_id");--> statement-breakpoint
CREATE INDEX "group_blocks_block_idx" ON "group_blocks" USING btree ("block_id");--> statement-breakpoint
CREATE INDEX "groups_org_created_idx" ON "groups" USING btree ("organization_id","created_at","id");--> statement-breakpoint
CREATE INDEX "groups_manager_idx" ON "groups" USING btree ("manager_agent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "identities_org_key_uq" ON "identities" USING btree ("organization_id","identifier_key","project_id");--> statement-breakpoint
CREATE INDEX "identities_org_created_idx" ON "identities" USING btree ("organization_id","created_at","id");--> statement-breakpoint
CREATE INDEX "identity_agents_agent_idx" ON "identity_agents" USING btree ("agent_id");--> statement-breakpoint
CREATE INDEX "identity_blocks_block_idx" ON "identity_blocks" USING btree ("block_id");