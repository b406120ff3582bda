// Shared files in the app's files room (src/app/files.ts): any website can post to the share target, so they are
// never offered by themselves, neither on connect nor while connected: they wait until the person taps Send
// (offered once, through the transfer engine), or are dropped on request.
import { describe, expect, it } from 'vitest';
import { createFiles } from '../../../src/app/files.ts';
import type { Session, SessionState } from '../../../src/rtc/index.ts';
import { fakeManager } from './fake-manager.ts';

const session = { openChannel: () => null, remoteSdp: () => null } as unknown as Session;
const CONNECTED = { kind: 'connected' } as SessionState;
const CLOSED = { kind: 'closed' } as SessionState;
const file = (name: string) => new File([name], name);

function setup() {
  const fake = fakeManager();
  const files = createFiles({ manager: fake.manager, estimate: null, showSaveFilePicker: null });
  return { ...fake, files };
}

describe('files shared from another app', () => {
  it('wait while nothing is connected, and a connect does not send them: only the person’s Send does', () => {
    const { files, sent } = setup();
    files.follow(null, { kind: 'idle' });
    files.dispatch({ type: 'shared', files: [file('a'), file('b')] });
    expect(files.getState().waitingShared).toBe(2);
    // Send before any connection: nothing to send them on, so they keep waiting.
    files.dispatch({ type: 'send-shared' });
    expect(sent).toEqual([]);
    files.follow(session, CONNECTED);
    expect(sent).toEqual([]);
    expect(files.getState().waitingShared).toBe(2);
    files.dispatch({ type: 'send-shared' });
    expect(sent).toEqual([['a', 'b']]);
    expect(files.getState().waitingShared).toBe(0);
    // Later updates of the same connection, a reconnect and another Send do not offer them again.
    files.follow(session, CONNECTED);
    files.follow(session, CLOSED);
    files.follow(session, CONNECTED);
    files.dispatch({ type: 'send-shared' });
    expect(sent).toEqual([['a', 'b']]);
  });

  it('shared while connected, they still wait for Send', () => {
    const { files, sent, isConnected } = setup();
    files.follow(session, CONNECTED);
    expect(isConnected()).toBe(true);
    files.dispatch({ type: 'shared', files: [file('now')] });
    expect(sent).toEqual([]);
    expect(files.getState().waitingShared).toBe(1);
    files.dispatch({ type: 'send-shared' });
    expect(sent).toEqual([['now']]);
    expect(files.getState().waitingShared).toBe(0);
  });

  it('add up across shares, and are forgotten when the person says not to send them', () => {
    const { files, sent } = setup();
    const seen: number[] = [];
    files.subscribe((v) => seen.push(v.waitingShared));
    files.dispatch({ type: 'shared', files: [file('a')] });
    files.dispatch({ type: 'shared', files: [file('b')] });
    files.dispatch({ type: 'discard-shared' });
    expect(seen).toEqual([1, 2, 0]);
    files.follow(session, CONNECTED);
    expect(sent).toEqual([]);
  });
});
