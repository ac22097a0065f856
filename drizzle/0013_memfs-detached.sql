CREATE TABLE "agent_detached_blocks" (
	"agent_id" text NOT NULL,
	"block_id" text NOT NULL,
	"organization_id" text DEFAULT 'org-00000000-0000-4000-8000-000000000000' NOT NULL,
	"created_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (6) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agent_detached_blocks_agent_id_block_id_pk" PRIMARY KEY("agent_id","block_id")
);
--> statement-breakpoint
ALTER TABLE "agent_detached_blocks" ADD CONSTRAINT "agent_detached_blocks_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_detached_blocks" ADD CONSTRAINT "agent_detached_blocks_block_id_blocks_id_fk" FOREIGN KEY ("block_id") REFERENCES "public"."blocks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agent_detached_blocks_block_idx" ON "agent_detached_blocks" USING btree ("block_id");