import * as signalR from '@microsoft/signalr';
import { SequenceTracker } from './sequence';
import type {
  AgreementReached, BidAccepted, BidAck, ContractRevised, PresenceChanged, RoundClosed, RoundOpened, SessionMessage, SessionSnapshot,
} from './wire';

export type LinkState = 'connecting' | 'connected' | 'reconnecting' | 'refused';

export interface SessionHandlers {
  snapshot(s: SessionSnapshot): void;
  roundOpened?(m: RoundOpened): void;
  bidAccepted?(m: BidAccepted): void;
  roundClosed?(m: RoundClosed): void;
  agreementReached?(m: AgreementReached): void;
  contractRevised?(m: ContractRevised): void;
  presence?(m: PresenceChanged): void;
  /** The link's state; for 'refused' and 'reconnecting' after a failed start, the hub's HTTP status (0: unreachable). */
  state?(state: LinkState, status?: number): void;
}

type Ordered = 'RoundOpened' | 'BidAccepted' | 'RoundClosed' | 'AgreementReached' | 'ContractRevised';

/** Retries forever: 0 s, 1 s, 2 s, 4 s, then every 5 s (a member's room should come back by itself). */
const retryForever: signalR.IRetryPolicy = {
  nextRetryDelayInMilliseconds: (c) => Math.min(5000, c.previousRetryCount === 0 ? 0 : 1000 * 2 ** (c.previousRetryCount - 1)),
};

/** The hub's address: any node of a cluster serves any session (ADR 0019), so it names none. */
export const hubUrl = '/hubs/negotiation';

/** The HTTP status of the hub's negotiate endpoint for this page (0 when unreachable). */
async function probe(): Promise<number> {
  try {
    const response = await fetch(`${hubUrl}/negotiate?negotiateVersion=1`, { method: 'POST', credentials: 'same-origin' });
    return response.status;
  } catch {
    return 0;
  }
}

/**
 * One browser's live link to a session: joins, applies the session's messages in sequence order,
 * and resyncs from a JoinSession snapshot after a reconnect or when it sees a sequence gap.
 */
export class SessionLink {
  private readonly connection: signalR.HubConnection;
  private readonly tracker = new SequenceTracker();
  private resyncing: Promise<void> | null = null;
  private queued: [Ordered, SessionMessage][] = [];
  private stopped = false;

  constructor(private readonly sessionId: string, private readonly handlers: SessionHandlers) {
    this.connection = new signalR.HubConnectionBuilder()
      .withUrl(hubUrl, { transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true })
      .withAutomaticReconnect(retryForever)
      .configureLogging(signalR.LogLevel.Warning)
      .build();
    const ordered: Ordered[] = ['RoundOpened', 'BidAccepted', 'RoundClosed', 'AgreementReached', 'ContractRevised'];
    for (const name of ordered) this.connection.on(name, (m: SessionMessage) => this.receive(name, m));
    this.connection.on('SessionSnapshot', (s: SessionSnapshot) => {
      if (s.sessionId === sessionId && s.sequence >= (this.tracker.current ?? -1)) this.applySnapshot(s);
    });
    // Presence does not advance the sequence (Contracts/Presence.cs): always apply.
    this.connection.on('PresenceChanged', (m: PresenceChanged) => m.sessionId === sessionId && handlers.presence?.(m));
    this.connection.onreconnecting(() => handlers.state?.('reconnecting'));
    this.connection.onreconnected(() => void this.resync().then(() => handlers.state?.('connected')));
    this.connection.onclose(() => {
      if (!this.stopped) {
        handlers.state?.('reconnecting');
        setTimeout(() => void this.start(), 2000);
      }
    });
  }

  /** The sequence of the state shown (for tests and diagnostics). */
  get sequence(): number | null {
    return this.tracker.current;
  }

  async start(): Promise<void> {
    this.handlers.state?.('connecting');
    try {
      await this.connection.start();
    } catch {
      if (!this.stopped) {
        // A browser does not say why a WebSocket handshake failed: ask the hub over plain HTTP. A 401
        // or 403 (signed out; the Origin check behind a proxy that rewrites Host) will not pass by
        // retrying, and the user must be told so, not shown a live-looking page (issue 17).
        const status = await probe();
        this.handlers.state?.(status === 401 || status === 403 ? 'refused' : 'reconnecting', status);
        setTimeout(() => void this.start(), status === 401 || status === 403 ? 10_000 : 2000);
      }
      return;
    }
    await this.resync();
    this.handlers.state?.('connected');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.connection.stop();
  }

  invoke<T>(method: string, ...args: unknown[]): Promise<T> {
    return this.connection.invoke<T>(method, ...args);
  }

  submitBid(bid: { bidId: string; round: number; demand: number }): Promise<BidAck> {
    return this.invoke<BidAck>('SubmitBid', this.sessionId, bid);
  }

  /** Asks for the full state (JoinSession) and replaces what the page knows. */
  resync(): Promise<void> {
    this.resyncing ??= (async () => {
      try {
        // A failover or a busy database refuses the join with "nothing was written": ask again.
        const snapshot = await retrying(
          () => this.connection.invoke<SessionSnapshot>('JoinSession', this.sessionId),
          () => !this.stopped && this.connection.state === signalR.HubConnectionState.Connected);
        this.applySnapshot(snapshot);
      } finally {
        this.resyncing = null;
      }
      const queued = this.queued;
      this.queued = [];
      for (const [name, m] of queued) this.receive(name, m);
    })();
    return this.resyncing;
  }

  private applySnapshot(s: SessionSnapshot): void {
    this.tracker.reset(s.sequence);
    this.handlers.snapshot(s);
  }

  private receive(name: Ordered, m: SessionMessage): void {
    if (m.sessionId !== this.sessionId) return;
    if (this.resyncing) {
      this.queued.push([name, m]);
      return;
    }
    const verdict = this.tracker.observe(m.sequence);
    if (verdict === 'gap') {
      this.queued.push([name, m]);
      void this.resync();
      return;
    }
    if (verdict === 'stale') return;
    const h = this.handlers;
    switch (name) {
      case 'RoundOpened': h.roundOpened?.(m as RoundOpened); break;
      case 'BidAccepted': h.bidAccepted?.(m as BidAccepted); break;
      case 'RoundClosed': h.roundClosed?.(m as RoundClosed); break;
      case 'AgreementReached': h.agreementReached?.(m as AgreementReached); break;
      case 'ContractRevised': h.contractRevised?.(m as ContractRevised); break;
    }
  }
}

/** True when a hub error says nothing was written and the same call may simply be made again (Contracts/HubErrors.cs). */
export function isRetryable(error: unknown): boolean {
  const text = error instanceof Error ? error.message : String(error);
  return text.includes('The database is busy; nothing was written.') || text.includes('The session is moving to another node; nothing was written.');
}

/** How many times `retrying` makes a call: about 20 s of waits in all, as the .NET client rejoins. */
export const retryAttempts = 12;

/** The wait before attempt `attempt` + 1, ms: 250, doubling, at most 2,000. */
export function retryDelay(attempt: number): number {
  return 250 * 2 ** Math.min(attempt - 1, 3);
}

/**
 * Makes `call`, and makes it again after `retryDelay` while it fails with a retryable hub error
 * (`isRetryable`), `stillWanted()` holds and attempts remain; any other failure is thrown at once.
 */
export async function retrying<T>(call: () => Promise<T>, stillWanted: () => boolean, wait: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isRetryable(error) || attempt >= retryAttempts || !stillWanted()) throw error;
      await wait(retryDelay(attempt));
    }
  }
}

/** The text of a hub failure: the HubException's message without SignalR's prefix. */
export function hubErrorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^An unexpected error occurred invoking '\w+' on the server\. ?/, '').replace(/^HubException: /, '')
    .replace(/ \(Parameter '[^']*'\)$/, ''); // .NET's ArgumentException suffix: developer text, not the user's
}
