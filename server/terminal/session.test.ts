import { EventEmitter } from 'node:events';
import type WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { TerminalSession, type Timers } from './session.ts';

/** Timers the test fires by hand. */
function manualTimers() {
  const pending = new Map<number, { fn: () => void; ms: number }>();
  let next = 0;
  const timers: Timers = {
    set: (fn, ms) => (pending.set(++next, { fn, ms }), next),
    clear: (h) => pending.delete(h as number),
  };
  return { timers, pending, fireAll: () => [...pending.values()].forEach((t) => t.fn()) };
}

/** Just enough of a ws socket: what it was sent and whether it was closed. */
function fakeSocket() {
  const socket = Object.assign(new EventEmitter(), {
    OPEN: 1, readyState: 1, sent: [] as unknown[], closedWith: undefined as number | undefined,
    send(data: unknown) { this.sent.push(data); },
    close(code: number) { this.closedWith = code; this.readyState = 3; },
  });
  return socket;
}

describe('a terminal session', () => {
  it('ends after the idle time with a message to every tab; typing restarts the clock; bad frames are ignored', () => {
    const { timers, pending, fireAll } = manualTimers();
    let ended = 0;
    const session = new TerminalSession({ idleMs: 15 * 60_000, replayBytes: 1024, timers, onEnd: () => ended++ });
    const tab = fakeSocket();
    session.attach(tab as unknown as WebSocket);
    tab.emit('message', Buffer.from(JSON.stringify({ type: 'input', data: 'ls\r' })), false);
    expect([...pending.values()].map((t) => t.ms)).toEqual([15 * 60_000]);
    tab.emit('message', Buffer.from(JSON.stringify({ type: 'input', data: 'pwd\r' })), false);
    expect(pending.size).toBe(1);
    tab.emit('message', Buffer.from('{"type":"input","data":'), false);
    tab.emit('message', Buffer.from([1, 2, 3]), true);
    expect(session.isEnded).toBe(false);

    fireAll();
    expect(session.isEnded).toBe(true);
    expect(ended).toBe(1);
    expect(tab.sent.at(-1)).toBe(JSON.stringify({ type: 'status', state: 'ended', message: 'closed after 15 minutes without typing; open the terminal again' }));
    expect(tab.closedWith).toBe(1000);
  });
});
