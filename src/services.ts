// The set of services the routes call. Built once in context.ts.
import type { TagsService } from './resources/tags/tags.service.js';
import type { AgentsService } from './resources/agents/agents.service.js';
import type { AgentFilesService } from './resources/agent-files/agent-file.service.js';
import type { ConversationsService } from './resources/conversations/conversations.service.js';
import type { BlocksService } from './resources/blocks/blocks.service.js';
import type { ArchivesService } from './resources/archives/archives.service.js';
import type { PassagesService } from './resources/passages/passages.service.js';
import type { MemoryAccessFactory } from './memory/memory-access.js';
import type { ModelCatalog } from './resources/models/catalog.js';
import type { McpServersService } from './resources/mcp-servers/mcp-servers.service.js';
import type { ToolRunService } from './resources/tools/tool-run.service.js';
import type { ToolsService } from './resources/tools/tools.service.js';
import type { TurnsService } from './turns/turns.service.js';
import type { MessagesService } from './resources/messages/messages.service.js';
import type { RunsService } from './resources/runs/runs.service.js';
import type { GroupsService } from './resources/groups/groups.service.js';
import type { IdentitiesService } from './resources/identities/identities.service.js';
import type { GroupChat } from './multi-agent/group-async.js';
import type { PrimaryGate } from './sleeptime/primary-gate.js';
import type { OrganizationsService } from './resources/organizations/organizations.service.js';
import type { Quotas } from './resources/organizations/quotas.js';
import type { ApiKeysService } from './resources/api-keys/api-keys.service.js';
import type { ContextWindowService } from './resources/context-window/context-window.service.js';
import type { GenerateService } from './resources/generate/generate.service.js';
import type { ProvidersService } from './resources/providers/providers.service.js';
import type { MemfsService } from './memfs/memfs.service.js';
import type { GitHttp } from './memfs/git-http.js';
import type { FoldersService } from './resources/folders/folders.service.js';
import type { AgentFoldersService } from './resources/folders/agent-folders.service.js';

export type Services = {
  tags: TagsService;
  agents: AgentsService;
  agentFiles: AgentFilesService;
  conversations: ConversationsService;
  blocks: BlocksService;
  archives: ArchivesService;
  passages: PassagesService;
  /** Per-agent archival/recall access for the agent loop. */
  memory: MemoryAccessFactory;
  models: ModelCatalog;
  tools: ToolsService;
  toolRuns: ToolRunService;
  mcpServers: McpServersService;
  /** Sending messages: JSON, SSE and async turns, cancel, following runs (src/turns/). */
  turns: TurnsService;
  messages: MessagesService;
  runs: RunsService;
  identities: IdentitiesService;
  groups: GroupsService;
  groupChat: GroupChat;
  /** Primary turns in progress in this process; sleep-time companions yield to them. */
  primaryGate: PrimaryGate;
  /** GET /v1/agents/{id}/context and POST /v1/agents/{id}/summarize. */
  contextWindow: ContextWindowService;
  /** Admin API: organizations (tenants) and their API keys; also the per-request key lookup. */
  organizations: OrganizationsService;
  apiKeys: ApiKeysService;
  /** Per-organization quotas, checked before agent creation and message sends (src/http/quotas.ts). */
  quotas: Quotas;
  /** Bring-your-own-key providers of an organization (/v1/providers). */
  providers: ProvidersService;
  /** POST /v1/agents/{id}/generate: one completion, nothing stored. */
  generate: GenerateService;
  /** Git-backed memory: blocks as a git repository per agent; `gitHttp` is absent when MNEMO_GIT_MEMORY=0. */
  memfs: MemfsService;
  gitHttp?: GitHttp;
  /** Folders (Letta sources) and their files; an agent's attached folders and file window. */
  folders: FoldersService;
  agentFolders: AgentFoldersService;
};
