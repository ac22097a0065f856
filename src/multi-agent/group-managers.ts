// The group managers: who speaks when. Round robin takes turns; supervisor lets the workers answer and the
// manager conclude; dynamic asks the manager agent to pick the next speaker; sleeptime talks to the primary only.
import type { InputMessage } from '../agent/loop/types.js';
import { DEFAULT_TERMINATION_TOKEN } from '../resources/groups/groups.service.js';
import { assistantTexts } from './turn-runner.js';
import { inputText, memberTurn, relayed, spoken, transcript, type Entry, type GroupCtx, type Member } from './group-turns.js';
import type { GroupRow } from '../db/rows.js';

/** Each speaker gets everything said since its last turn (the user's input first), in order. */
export async function roundRobin(g: GroupCtx, members: Member[], input: InputMessage[], maxTurns: number): Promise<void> {
  const history: Entry[] = input.map((m) => ({ from: null, text: inputText(m), input: m }));
  const seen = new Map<string, number>();
  for (let turn = 0; turn < maxTurns; turn++) {
    const speaker = members[turn % members.length]!;
    const fresh = history.slice(seen.get(speaker.id) ?? 0).filter((e) => e.from?.id !== speaker.id);
    const r = await memberTurn(g, speaker, fresh.map(relayed));
    history.push(...spoken(speaker, r));
    seen.set(speaker.id, history.length);
  }
}

/** Workers answer the user's input one by one; the supervisor then reads their answers and concludes. */
export async function supervisor(g: GroupCtx, manager: Member, workers: Member[], input: InputMessage[]): Promise<void> {
  const answers: Entry[] = [];
  for (const w of workers) answers.push(...spoken(w, await memberTurn(g, w, input)));
  const summary: InputMessage = {
    role: 'system',
    content: `[your group's agents answered the message below]\n${transcript(answers) || '(no answers)'}`,
  };
  await memberTurn(g, manager, [...input, summary]);
}

function choicePrompt(members: Member[], history: Entry[], token: string): InputMessage {
  const options = members.map((m) => m.name).join(', ');
  return {
    role: 'user',
    content:
      `Pick the agent who should speak next in this group chat. Options: ${options}. ` +
      `Answer with the agent's name only and do not reply to the chat yourself. If the conversation is finished, answer ${token}.\n` +
      `Chat so far:\n${transcript(history)}`,
  };
}

/** Letta's rule: the option named in the manager's answer speaks; when several are named, the last option wins. */
function pickSpeaker(answer: string, members: Member[]): Member | undefined {
  const low = answer.toLowerCase();
  let chosen: Member | undefined;
  for (const m of members) if (low.includes(m.name.toLowerCase())) chosen = m;
  return chosen;
}

export async function dynamic(g: GroupCtx, group: GroupRow, manager: Member, members: Member[], input: InputMessage[]): Promise<void> {
  const token = group.terminationToken ?? DEFAULT_TERMINATION_TOKEN;
  const maxTurns = group.maxTurns ?? members.length;
  const history: Entry[] = input.map((m) => ({ from: null, text: inputText(m), input: m }));
  const seen = new Map<string, number>();
  for (let turn = 0; turn < maxTurns; turn++) {
    const pick = await memberTurn(g, manager, [choicePrompt(members, history, token)], false);
    const answer = assistantTexts(pick.messages).join('\n');
    if (answer.includes(token)) break;
    const speaker = pickSpeaker(answer, members);
    if (!speaker) break;
    const fresh = history.slice(seen.get(speaker.id) ?? 0).filter((e) => e.from?.id !== speaker.id);
    const r = await memberTurn(g, speaker, fresh.map(relayed));
    const said = spoken(speaker, r);
    history.push(...said);
    seen.set(speaker.id, history.length);
    if (said.some((e) => e.text.includes(token))) break;
  }
}
