import { BaseReactPyClient, type ReactPyModule } from "@reactpy/client";
import type { ReconnectConfig } from "./config";
import { log } from "./log";
import { ReconnectingSocket, type ConnectionState } from "./socket";
import { moduleUrl } from "./urls";

export interface DjangoClientOptions {
  /** Full WebSocket URL, recomputed before every connection attempt. */
  webSocketUrl: () => string;
  /** Absolute base URL (with trailing "/") that web module names are appended to. */
  webModulesBase: string;
  reconnect: ReconnectConfig;
  onStateChange: (state: ConnectionState) => void;
  /** Called after every `layout-update` has been handed to the Layout. */
  onLayoutUpdate: () => void;
}

/**
 * ReactPy client speaking to the reactpy_django Channels consumer.
 *
 * The socket is opened once `ready` resolves, i.e. once the `Layout` component has
 * subscribed to "layout-update" (so the first full-layout frame cannot be lost).
 */
export class DjangoReactPyClient extends BaseReactPyClient {
  private readonly socket: ReconnectingSocket;
  private readonly webModulesBase: string;
  private readonly onLayoutUpdate: () => void;

  constructor(options: DjangoClientOptions) {
    super();
    this.webModulesBase = options.webModulesBase;
    this.onLayoutUpdate = options.onLayoutUpdate;
    // @reactpy/client hands these two to web modules' `bind` as unbound functions.
    this.sendMessage = this.sendMessage.bind(this);
    this.onMessage = this.onMessage.bind(this);
    this.socket = new ReconnectingSocket({
      url: options.webSocketUrl,
      reconnect: options.reconnect,
      onStateChange: options.onStateChange,
      onMessage: (data) => this.receive(data),
    });
    void this.ready.then(() => this.socket.start());
  }

  /** Serialize and send; queued while disconnected; never throws. */
  sendMessage(message: unknown): void {
    let text: string;
    try {
      text = JSON.stringify(message);
    } catch (error) {
      log.error("cannot serialize outgoing message", error);
      return;
    }
    this.socket.send(text);
  }

  loadModule(moduleName: string): Promise<ReactPyModule> {
    return import(moduleUrl(this.webModulesBase, moduleName));
  }

  /** Stop reconnecting and close the socket. */
  close(): void {
    this.socket.stop();
  }

  private receive(data: string): void {
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch (error) {
      log.error("ignoring malformed frame", error);
      return;
    }
    if (typeof message !== "object" || message === null) {
      log.warn("ignoring non-object frame", message);
      return;
    }
    try {
      this.handleIncoming(message);
    } catch (error) {
      log.error("failed to apply incoming message", error);
      return;
    }
    if ((message as { type?: unknown }).type === "layout-update") {
      this.onLayoutUpdate();
    }
  }
}
