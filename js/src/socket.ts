import type { ReconnectConfig } from "./config";
import { retryDelay } from "./backoff";
import { log } from "./log";

/** Value of the mount div's `data-reactpy-state` attribute. */
export type ConnectionState = "connecting" | "open" | "closed" | "refused";

/** Close codes 4000-4099 mean "the application refused this component": never retry. */
export function isRefusalCode(code: number): boolean {
  return code >= 4000 && code <= 4099;
}

/** Outgoing frames kept while the socket is not open; the oldest is dropped beyond this. */
export const MAX_QUEUED_MESSAGES = 100;

export interface ReconnectingSocketOptions {
  /** Computed again before every connection attempt. */
  url: () => string;
  reconnect: ReconnectConfig;
  onMessage: (data: string) => void;
  onStateChange: (state: ConnectionState) => void;
  random?: () => number;
}

/**
 * A WebSocket that reconnects with exponential backoff and equal jitter.
 *
 * - Every close schedules a retry, including a first attempt that never opened,
 *   until `maxRetries` consecutive retries have failed.
 * - The retry counter resets once a connection has proven useful, i.e. on the
 *   first message received after an open (an accept-then-crash loop keeps backing off).
 * - A close code in 4000-4099 is an application refusal: logged, never retried.
 * - `send` never throws; frames sent while not open are queued and flushed on open.
 */
export class ReconnectingSocket {
  private socket: WebSocket | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private receivedSinceOpen = false;
  private stopped = false;
  private started = false;
  private queue: string[] = [];
  private warnedQueueFull = false;

  constructor(private readonly options: ReconnectingSocketOptions) {}

  /** Open the first connection. Further calls are ignored. */
  start(): void {
    if (this.started || this.stopped) {
      return;
    }
    this.started = true;
    this.connect();
  }

  /** Close for good: no more retries, queued frames are discarded. */
  stop(): void {
    this.stopped = true;
    this.queue = [];
    if (this.retryTimer !== null) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    const socket = this.socket;
    this.socket = null;
    if (socket !== null) {
      socket.close(1000);
    }
  }

  send(text: string): void {
    const socket = this.socket;
    if (socket !== null && socket.readyState === WebSocket.OPEN) {
      try {
        socket.send(text);
        return;
      } catch (error) {
        log.warn("send failed, queueing the message", error);
      }
    }
    if (this.stopped) {
      return;
    }
    if (this.queue.length >= MAX_QUEUED_MESSAGES) {
      this.queue.shift();
      if (!this.warnedQueueFull) {
        this.warnedQueueFull = true;
        log.warn(`outgoing queue full (${MAX_QUEUED_MESSAGES}), dropping oldest messages`);
      }
    }
    this.queue.push(text);
  }

  private connect(): void {
    this.retryTimer = null;
    if (this.stopped) {
      return;
    }
    this.options.onStateChange("connecting");
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.options.url());
    } catch (error) {
      // Only a malformed URL throws here; retrying would not fix it.
      log.error("cannot create WebSocket", error);
      this.options.onStateChange("closed");
      return;
    }
    this.socket = socket;
    this.receivedSinceOpen = false;

    socket.onopen = () => {
      if (this.socket !== socket) {
        return;
      }
      this.options.onStateChange("open");
      this.flush(socket);
    };
    socket.onmessage = (event: MessageEvent<unknown>) => {
      if (this.socket !== socket) {
        return;
      }
      if (!this.receivedSinceOpen) {
        this.receivedSinceOpen = true;
        this.attempt = 0;
      }
      if (typeof event.data === "string") {
        this.options.onMessage(event.data);
      } else {
        log.warn("ignoring non-text frame");
      }
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket) {
        return;
      }
      this.socket = null;
      this.handleClose(event);
    };
  }

  private flush(socket: WebSocket): void {
    const pending = this.queue;
    this.queue = [];
    this.warnedQueueFull = false;
    for (let i = 0; i < pending.length; i++) {
      try {
        socket.send(pending[i] as string);
      } catch (error) {
        log.warn("flush failed, requeueing", error);
        this.queue = pending.slice(i).concat(this.queue);
        return;
      }
    }
  }

  private handleClose(event: CloseEvent): void {
    if (this.stopped) {
      return;
    }
    if (isRefusalCode(event.code)) {
      this.stopped = true;
      this.queue = [];
      log.error(
        `server refused the component (close code ${event.code}): ${event.reason || "no reason given"}`,
      );
      this.options.onStateChange("refused");
      return;
    }
    this.options.onStateChange("closed");
    const { maxRetries } = this.options.reconnect;
    if (this.attempt >= maxRetries) {
      log.warn(`giving up after ${this.attempt} reconnection attempts`);
      return;
    }
    const delay = retryDelay(this.attempt, this.options.reconnect, this.options.random);
    this.attempt += 1;
    log.info(
      `connection closed (code ${event.code}), retry ${this.attempt}/${maxRetries} in ${Math.round(delay)} ms`,
    );
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }
}
