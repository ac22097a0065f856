// Builds identities, groups, group chat, agent messaging and sleep-time, and the two loop hooks they need (`afterTurn`
// for sleep-time, `messenger` for the multi-agent tools). Called once from context.ts, before the loop deps exist:
// the loop deps and the job queue are read lazily, when a turn or a job runs.
import type { Logger } from 'pino';
import type { LoopDeps } from '../agent/loop/types.js';
import type { Db } from '../db/client.js';
import type { JobQueue } from '../jobs/queue.js';
import type { AgentsService } from '../resources/agents/agents.service.js';
import { createGroupsService } from '../resources/groups/groups.service.js';
import { createIdentitiesService } from '../resources/identities/identities.service.js';
import { createSleeptimeRunner, SLEEPTIME_QUEUE } from '../sleeptime/sleeptime-runner.js';
import { createSleeptimeSetup } from '../sleeptime/sleeptime-setup.js';
import { extendAgentsService } from './agent-extensions.js';
import { createGroupChat } from './group-chat.js';
import { AGENT_MESSAGE_QUEUE, createMessengerFactory, deliverAsyncMessage, type AsyncAgentMessage } from './messenger.js';
import { createTurnRunner } from './turn-runner.js';
import { createGroupAsync, GROUP_RUN_QUEUE } from './group-async.js';
import { asPrimary, createPrimaryGate, type PrimaryGate } from '../sleeptime/primary-gate.js';
import { companionLoopDeps } from '../sleeptime/companion-deps.js';
import { propagateBlockChange } from '../sleeptime/sleeptime-blocks.js';

export type MultiAgentOptions = {
  db: Db;
  log: Logger;
  loop: () => LoopDeps;
  jobs: () => JobQueue;
  agents: AgentsService;
  gate?: PrimaryGate;
};

export function createMultiAgent(o: MultiAgentOptions) {
  const runTurn = createTurnRunner(o.loop);
  // Primary turns of this process enter the gate (HTTP: src/sleeptime/primary-requests.ts); companions wait at it.
  const gate = o.gate ?? createPrimaryGate();
  const companionTurn = createTurnRunner(() => companionLoopDeps(o.loop(), gate));
  const identities = createIdentitiesService({ db: o.db });
  const groups = createGroupsService({ db: o.db });
  const sleeptime = createSleeptimeRunner({ db: o.db, runTurn: companionTurn, enqueue: (j) => o.jobs().enqueue(j), gate, log: o.log });
  const messenger = createMessengerFactory({
    db: o.db,
    runTurn,
    enqueue: async (m, tx) =>
      void (await o.jobs().enqueue(
        {
          queue: AGENT_MESSAGE_QUEUE,
          payload: m as unknown as Record<string, unknown>,
          serialKey: `agent-message:${m.targetId}`,
          orgId: m.orgId,
        },
        tx,
      )),
    kick: () => o.jobs().kick(),
  });
  const groupChat = createGroupChat({ db: o.db, runTurn, groups });
  const groupAsync = createGroupAsync({
    db: o.db,
    chat: groupChat,
    enqueue: (j, tx) => o.jobs().enqueue(j, tx),
    kick: () => o.jobs().kick(),
  });
  /** The loop deps' hooks: every turn of every entry point schedules sleep-time and gives tools the messenger. */
  const loopHooks: Pick<LoopDeps, 'afterTurn' | 'messenger' | 'blocksDetached'> = {
    afterTurn: (t) =>
      void sleeptime.afterTurn(t).catch((err) => o.log.warn({ err, agentId: t.agentId }, 'could not schedule the sleep-time agent')),
    messenger,
    blocksDetached: (actor, agentId, blockIds) => propagateBlockChange(o.db, actor.orgId, agentId, { remove: blockIds }),
  };
  /** The job handlers of sleep-time, agent-to-agent messages and async group runs. */
  const registerJobs = (jobs: JobQueue) => {
    jobs.register(SLEEPTIME_QUEUE, (p, ctx) => sleeptime.handle(p, `job-${ctx.job.id}`));
    jobs.register(AGENT_MESSAGE_QUEUE, (p) =>
      asPrimary(gate, () => deliverAsyncMessage({ db: o.db, runTurn }, p as unknown as AsyncAgentMessage)),
    );
    jobs.register(GROUP_RUN_QUEUE, (p) => asPrimary(gate, () => groupAsync.runJob(p)));
  };

  const agents = extendAgentsService(o.agents, {
    identities,
    sleeptime: createSleeptimeSetup({ db: o.db, createAgent: o.agents.create }),
    propagateBlocks: (actor, primaryId, change) => propagateBlockChange(o.db, actor.orgId, primaryId, change),
  });
  return {
    identities,
    groups,
    groupChat: { ...groupChat, sendAsync: groupAsync.sendAsync },
    agents,
    runTurn,
    primaryGate: gate,
    loopHooks,
    registerJobs,
  };
}
