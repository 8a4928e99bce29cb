/**
 * State that must exist once per process. The Pulumi host deserializes one provider per resource
 * type, and each may load its own copy of our modules, so module-level state would exist once
 * per copy: it hangs off globalThis instead, under a registered symbol named by `key`.
 */
export function processGlobal<T>(key: string, make: () => T): T {
  const slots = globalThis as unknown as Record<symbol, T | undefined>;
  const symbol = Symbol.for(`pulumi-justcall.${key}`);
  return (slots[symbol] ??= make());
}
