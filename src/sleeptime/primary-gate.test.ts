import { describe, expect, it } from 'vitest';
import { asPrimary, createPrimaryGate } from './primary-gate.js';
import { isPrimaryTurnRequest } from '../http/primary-requests.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('primary gate', () => {
  it('lets a waiter through at once when no primary is busy', async () => {
    const gate = createPrimaryGate({ quietMs: 20 });
    const t0 = Date.now();
    await gate.idle();
    expect(Date.now() - t0).toBeLessThan(20);
  });

  it('holds a waiter while a primary is busy and for the quiet period after it', async () => {
    const gate = createPrimaryGate({ quietMs: 40, maxWaitMs: 5_000 });
    const leave = gate.enter();
    let through = 0;
    const waiting = gate.idle().then(() => (through = Date.now()));
    await sleep(100);
    expect(through).toBe(0);
    const left = Date.now();
    leave();
    leave(); // idempotent
    await waiting;
    expect(gate.active).toBe(0);
    expect(through - left).toBeGreaterThanOrEqual(35);
  });

  it('never waits longer than maxWaitMs, so a steady stream of primaries cannot starve the companion', async () => {
    const gate = createPrimaryGate({ quietMs: 10, maxWaitMs: 80 });
    gate.enter();
    const t0 = Date.now();
    await gate.idle();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(75);
    expect(Date.now() - t0).toBeLessThan(1_000);
  });

  it('asPrimary counts the work while it runs, also when it throws', async () => {
    const gate = createPrimaryGate();
    await expect(
      asPrimary(gate, async () => {
        expect(gate.active).toBe(1);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(gate.active).toBe(0);
  });

  it('recognises the HTTP requests that run a primary turn', () => {
    expect(isPrimaryTurnRequest('POST', '/v1/agents/agent-1/messages')).toBe(true);
    expect(isPrimaryTurnRequest('POST', '/v1/agents/agent-1/messages/stream')).toBe(true);
    expect(isPrimaryTurnRequest('POST', '/v1/conversations/conv-1/messages?x=1')).toBe(true);
    expect(isPrimaryTurnRequest('POST', '/v1/groups/group-1/messages')).toBe(true);
    expect(isPrimaryTurnRequest('POST', '/v1/agents/agent-1/messages/async')).toBe(false);
    expect(isPrimaryTurnRequest('POST', '/v1/agents/agent-1/messages/cancel')).toBe(false);
    expect(isPrimaryTurnRequest('GET', '/v1/agents/agent-1/messages')).toBe(false);
  });
});
