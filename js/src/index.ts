import "./default-value";
export { mountComponent } from "./mount";
export type { MountConfig, ReconnectConfig } from "./config";
export type { ConnectionState } from "./socket";
export { bind, HttpRequest } from "./web-module";
export type { HttpRequestProps } from "./web-module";
export { DjangoForm, collectFields } from "./form";
export type { CollectedFields, DjangoFormProps, SubmittedData } from "./form";
