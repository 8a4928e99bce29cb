// What every resource's diff shares: the replacement rule for the fields its table marks
// `replaces`, and the rule that a new build of this package is an update (the provider-changed rule).
import type * as pulumi from "@pulumi/pulumi";
import type { FieldTable } from "./fields/field";
import { isUnknown, type StoredProvider } from "./runtime";

/**
 * A new build of this package changes only `__provider`: an update that makes no API call, so that
 * state carries the new code (read and delete run the code stored in state).
 */
export function providerChanged(olds: StoredProvider, news: StoredProvider): boolean {
  return news.__provider !== undefined && olds.__provider !== undefined && news.__provider !== olds.__provider;
}

/**
 * The fields the table marks `replaces` that the program gives and that name another JustCall
 * object than the state does: unknown at preview (it may), or not `same` as the state's.
 */
export function replacedFields(table: FieldTable, news: Record<string, unknown>, same: (field: string) => boolean): string[] {
  return Object.keys(table).filter((f) => table[f].replaces === true && news[f] !== undefined && (isUnknown(news[f]) || !same(f)));
}

/** The engine's answer: an update for any change, the replacements, and the provider-changed rule. */
export function diffResult(
  olds: StoredProvider,
  news: StoredProvider,
  change: { changed: string[]; replaces?: string[]; deleteBeforeReplace: boolean },
): pulumi.dynamic.DiffResult {
  const replaces = change.replaces ?? [];
  return {
    changes: change.changed.length > 0 || replaces.length > 0 || providerChanged(olds, news),
    replaces,
    deleteBeforeReplace: change.deleteBeforeReplace,
  };
}
