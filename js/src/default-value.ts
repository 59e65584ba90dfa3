/**
 * Keeps `defaultValue` a default. ReactPy's client renders every `<input>`, `<select>` and
 * `<textarea>` with a `value` prop, `undefined` when the server sent none; preact/compat then
 * treats `defaultValue` as the `value`, so each update of the page wrote it back into the
 * field over what the user had typed (React leaves such a field alone). This hook drops the
 * `undefined` value before compat sees it, so `defaultValue` stays the DOM's default value.
 */
import { options, type VNode } from "preact";
import "preact/compat"; // its vnode hook must be installed first, so this one runs before it

type Props = Record<string, unknown>;

/** Remove a `value: undefined` that sits beside a `defaultValue` (exported for tests). */
export function keepDefaultValue(props: Props): void {
  if ("defaultValue" in props && "value" in props && props.value === undefined) {
    delete props.value;
  }
}

const next = options.vnode;
options.vnode = (vnode: VNode) => {
  if (typeof vnode.type === "string" && vnode.props) keepDefaultValue(vnode.props as Props);
  next?.(vnode);
};
