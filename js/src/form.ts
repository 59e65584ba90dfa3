/**
 * `DjangoForm`: the browser half of `reactpy_django.components.django_form`. It listens for
 * its `<form>`'s submit, collects the fields and hands them to the server; the page never
 * navigates.
 */
import { useEffect, useRef } from "preact/compat";
import { createElement } from "preact/compat";

/** Submitted fields by name: one string, or a list when a name has several values. */
export type SubmittedData = Record<string, string | string[]>;

export interface CollectedFields {
  data: SubmittedData;
  /** Names of file inputs that had a file chosen: files are not sent over the WebSocket. */
  skippedFiles: string[];
}

/**
 * Groups `FormData` entries by name, in order. Names with several values (multi-selects,
 * checkbox groups) become lists; unchecked checkboxes and radios are absent, as in an HTTP
 * POST. File entries are left out and named in `skippedFiles`.
 */
export function collectFields(entries: Iterable<[string, unknown]>): CollectedFields {
  const data: SubmittedData = Object.create(null) as SubmittedData;
  const skippedFiles: string[] = [];
  for (const [name, value] of entries) {
    if (typeof value !== "string") {
      if (value !== null && typeof value === "object" && "size" in value && (value as Blob).size > 0) {
        skippedFiles.push(name);
      }
      continue;
    }
    const previous = data[name];
    if (previous === undefined) data[name] = value;
    else if (Array.isArray(previous)) previous.push(value);
    else data[name] = [previous, value];
  }
  return { data: { ...data }, skippedFiles };
}

export interface DjangoFormProps {
  /** Called with the collected fields on every submit. */
  onSubmitCallback: (data: SubmittedData) => void;
  /** The form's id (used when the form cannot be found from where this renders). */
  formId?: string;
}

/**
 * Renders a hidden marker inside its `<form>`; on submit it prevents navigation, collects the
 * fields (with the submit button's name and value, as a POST would) and calls
 * `onSubmitCallback`. File inputs are not sent (a console warning names them).
 */
export function DjangoForm({ onSubmitCallback, formId }: DjangoFormProps) {
  const marker = useRef<HTMLSpanElement>(null);
  const callback = useRef(onSubmitCallback);
  callback.current = onSubmitCallback;

  useEffect(() => {
    const byId = formId ? document.getElementById(formId) : null;
    const form = byId instanceof HTMLFormElement ? byId : marker.current?.closest("form");
    if (!form) {
      console.error("[reactpy-django] DjangoForm found no <form> to listen to", formId);
      return undefined;
    }
    const onSubmit = (event: SubmitEvent): void => {
      event.preventDefault();
      const submitter = event.submitter instanceof HTMLElement ? event.submitter : null;
      let formData: FormData;
      try {
        formData = new FormData(form, submitter);
      } catch {
        formData = new FormData(form); // a submitter that is not this form's button
      }
      const { data, skippedFiles } = collectFields(formData.entries());
      if (skippedFiles.length > 0) {
        console.warn(
          "[reactpy-django] django_form does not upload files; not sent:",
          skippedFiles.join(", "),
        );
      }
      callback.current(data);
    };
    form.addEventListener("submit", onSubmit);
    return () => form.removeEventListener("submit", onSubmit);
  }, [formId]);

  return createElement("span", { ref: marker, hidden: true });
}
