import { Layout } from "@reactpy/client";
import { createElement, render } from "preact/compat";
import { readConfig } from "./config";
import { DjangoReactPyClient } from "./client";
import { log } from "./log";
import { webModulesBase, webSocketUrl } from "./urls";
import { MountView } from "./view";

const mounted = new WeakSet<HTMLElement>();

/**
 * Mount the ReactPy component described by the JSON config in the element with id
 * `configElementId` (emitted by Django's `json_script`). Never throws: problems
 * are reported on the console.
 */
export function mountComponent(configElementId: string): void {
  try {
    mountFromConfig(configElementId);
  } catch (error) {
    log.error(`cannot mount component from #${configElementId}:`, error);
  }
}

function mountFromConfig(configElementId: string): void {
  const config = readConfig(configElementId);
  const mountElement = document.getElementById(config.mountId);
  if (mountElement === null) {
    throw new Error(`no mount element with id "${config.mountId}"`);
  }
  if (mounted.has(mountElement)) {
    log.warn(`#${config.mountId} is already mounted`);
    return;
  }
  mounted.add(mountElement);

  const view = new MountView(mountElement, config.prerenderId, config.offlineId);
  view.setState("connecting");

  const client = new DjangoReactPyClient({
    webSocketUrl: () => webSocketUrl(window.location, config.host, config.wsPath),
    webModulesBase: webModulesBase(window.location, config.host, config.webModulesPath),
    reconnect: config.reconnect,
    onStateChange: (state) => view.setState(state),
    onLayoutUpdate: () => view.layoutUpdated(),
  });

  render(createElement(Layout, { client }), mountElement);
}
