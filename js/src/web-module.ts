/**
 * Web-module face of the bundle: ReactPy can import this same file as a module
 * (sourceType "NAME") and render its exports through `bind`.
 */
import type { ReactPyModuleBinding } from "@reactpy/client";
import type { ComponentChildren } from "preact";
import {
  createElement,
  render,
  unmountComponentAtNode,
  useEffect,
  useRef,
} from "preact/compat";

export function bind(node: HTMLElement, _context?: unknown): ReactPyModuleBinding {
  return {
    create: (type: any, props?: any, children?: ComponentChildren[]) =>
      createElement(type, props ?? null, ...(children ?? [])),
    render: (element: any) => render(element, node),
    unmount: () => {
      unmountComponentAtNode(node);
    },
  };
}

export interface HttpRequestProps {
  method: string;
  url: string;
  body: string | null;
  callback: (status: number, text: string) => void;
}

/** Status reported when the request fails at the network level. */
export const NETWORK_ERROR_STATUS = 520;

/**
 * Performs `fetch(url, {method, body, credentials: "same-origin"})` once when mounted
 * (and once more only if method/url/body change), then calls `callback(status, text)`,
 * or `callback(520, "")` on a network error. Renders nothing.
 */
export function HttpRequest({ method, url, body, callback }: HttpRequestProps): null {
  const callbackRef = useRef(callback);
  callbackRef.current = callback;

  useEffect(() => {
    const report = (status: number, text: string): void => {
      try {
        callbackRef.current(status, text);
      } catch (error) {
        console.error("[reactpy-django] HttpRequest callback failed", error);
      }
    };
    fetch(url, { method, body, credentials: "same-origin" }).then(
      (response) =>
        response.text().then(
          (text) => report(response.status, text),
          () => report(response.status, ""),
        ),
      () => report(NETWORK_ERROR_STATUS, ""),
    );
  }, [method, url, body]);

  return null;
}
