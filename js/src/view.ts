import { log } from "./log";
import type { ConnectionState } from "./socket";

export const STATE_ATTRIBUTE = "data-reactpy-state";

function show(element: HTMLElement): void {
  element.hidden = false;
  if (element.style.display === "none") {
    element.style.removeProperty("display");
  }
}

function hide(element: HTMLElement): void {
  element.hidden = true;
}

function optionalElement(id: string | null): HTMLElement | null {
  if (id === null) {
    return null;
  }
  const element = document.getElementById(id);
  if (element === null) {
    log.warn(`no element with id "${id}"`);
  }
  return element;
}

/**
 * DOM bookkeeping around one mount: the state attribute, the offline div and the
 * prerender div.
 */
export class MountView {
  private prerender: HTMLElement | null;
  private readonly offline: HTMLElement | null;

  constructor(
    private readonly mount: HTMLElement,
    prerenderId: string | null,
    offlineId: string | null,
  ) {
    this.prerender = optionalElement(prerenderId);
    this.offline = optionalElement(offlineId);
  }

  setState(state: ConnectionState): void {
    this.mount.setAttribute(STATE_ATTRIBUTE, state);
    if (state === "open") {
      // With prerendered HTML on show, the (still empty) mount waits for its first update.
      if (this.prerender === null) {
        show(this.mount);
      }
      if (this.offline !== null) {
        hide(this.offline);
      }
    } else if ((state === "closed" || state === "refused") && this.offline !== null) {
      // Any prerendered content stays: it is still the best thing we can show.
      hide(this.mount);
      show(this.offline);
    }
  }

  /** The live layout has content: retire the prerendered HTML (first call only). */
  layoutUpdated(): void {
    if (this.prerender === null) {
      return;
    }
    this.prerender.remove();
    this.prerender = null;
    show(this.mount);
  }
}
