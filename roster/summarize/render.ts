// The summary as a pull-request comment (markdown) or for a terminal (text).
import { parseEngineJson } from "./engine-json";
import { label } from "./people";
import { summarizePlan } from "./plan";
import type { NewAgent, NumberMove, Person, PersonChanges, RosterSummary, TeamChange } from "./summary";

export type SummaryFormat = "markdown" | "text";

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Text from the roster, the dashboard or the engine (names, emails, messages) made inert for a
 * terminal and a CI log: control characters and line breaks become spaces (unless `keepLines`),
 * and `::` is split with a zero-width space, so that no line of it can be a CI workflow command
 * (`::add-mask::`, `::error::`, `::stop-commands::`).
 */
export function inert(s: string, keepLines = false): string {
  const lines = s.replace(/\r\n?|[\u2028\u2029\u0085]/g, "\n");
  const flat = keepLines ? lines : lines.replace(/\n/g, " ");
  return flat.replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, " ").replace(/::/g, ":\u200b:");
}

/**
 * The same, for the pull-request comment: Markdown's special characters escaped (no emphasis,
 * link, table, HTML or heading can form), and an @ that starts a word split from its name with a
 * zero-width space, so that a name cannot mention (notify) a person or a team.
 */
export function md(s: string, keepLines = false): string {
  return (
    inert(s, keepLines)
      .replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`)
      // With no line break left, a heading can only start the text itself (a list item "- # x" is one).
      .replace(/^(\s*)#/, "$1\\#")
      .replace(/(^|[^A-Za-z0-9._%+-])@/g, "$1@\u200b")
  );
}

function mdPerson(p?: Person): string {
  if (!p) return "nobody";
  return p.name ? `**${md(p.name)}** (${md(p.email)})` : md(p.email);
}

function mdCode(t: string): string {
  return `\`${inert(t)
    .replace(/`/g, "'")
    .replace(/(^|[^A-Za-z0-9._%+-])@/g, "$1@\u200b")}\``;
}

interface Section {
  title: string;
  /** One line under the title: what the section means for the people in it. */
  note?: string;
  items: string[];
}

function counts(s: RosterSummary): string {
  if (s.kind === "refresh") {
    return [
      plural(s.removals.length, "agent deleted in JustCall", "agents deleted in JustCall"),
      plural(s.teamChanges.length, "team change"),
      plural(s.numberMoves.length, "number moved", "numbers moved"),
      plural(s.fieldEdits.length, "agent edited", "agents edited"),
      plural(s.unmanaged.length, "agent not in the roster", "agents not in the roster"),
    ].join(", ");
  }
  const deleted = s.removals.filter((r) => r.action === "delete").length;
  return [
    plural(s.invitations.length, "invitation"),
    plural(s.adoptions.length, "adoption"),
    `${plural(s.removals.length, "removal")} (${deleted} deleted, ${s.removals.length - deleted} kept)`,
    ...(s.renames.length > 0 ? [plural(s.renames.length, "resource renamed", "resources renamed")] : []),
    plural(s.teamChanges.length, "team change"),
    plural(s.numberMoves.length, "number move"),
    plural(s.fieldEdits.length, "field edit"),
    plural(s.drift.length, "drift correction"),
  ].join(", ");
}

function sections(s: RosterSummary, person: (p?: Person) => string, code: (t: string) => string, esc: (t: string) => string): Section[] {
  const newAgent = (a: NewAgent) => {
    const extras = [
      a.teams.length ? `teams ${a.teams.map(esc).join(", ")}` : "",
      a.numbers.length ? `numbers ${a.numbers.map(code).join(", ")}` : "",
    ]
      .filter(Boolean)
      .join(", ");
    let line = extras ? `${person(a.person)}: ${extras}` : person(a.person);
    if (a.uncertain) line += " (the preview could not check JustCall: an invitation, unless the email is already there)";
    if (a.deletedInJustCall) line += " (deleted in JustCall since the last up: invited again)";
    if (a.writes?.length) line += `; writes ${a.writes.map((c) => `${esc(c.field)} ${code(c.from)} → ${code(c.to)}`).join(", ")}`;
    return line;
  };
  const changes = (p: PersonChanges, arrow = "→") =>
    `${person(p.person)}: ${p.changes.map((c) => `${esc(c.field)} ${code(c.from)} ${arrow} ${code(c.to)}`).join("; ")}`;
  const teams = (t: TeamChange) =>
    `${person(t.person)}: ${[
      t.joins.length ? `joins ${t.joins.map(esc).join(", ")}` : "",
      t.leaves.length ? `leaves ${t.leaves.map(esc).join(", ")}` : "",
    ]
      .filter(Boolean)
      .join("; ")}`;
  const move = (m: NumberMove) =>
    `${code(m.number)}: ${m.from ? person(m.from) : "nobody"} → ${m.to ? person(m.to) : "nobody (unassigned)"}`;

  if (s.kind === "refresh") {
    return [
      {
        title: "Deleted in JustCall",
        note: "`pulumi up` invites them again (an email), unless they leave the roster.",
        items: s.removals.map((r) => person(r.person)),
      },
      { title: "Team changes in JustCall", note: "`pulumi up` puts them back in the roster's teams.", items: s.teamChanges.map(teams) },
      { title: "Numbers moved in JustCall", note: "`pulumi up` gives them back to the roster's agents.", items: s.numberMoves.map(move) },
      {
        title: "Fields edited in JustCall",
        note: "Stack's value → JustCall's. `pulumi up` puts the roster's values back; or change roster.yaml to keep JustCall's.",
        items: s.fieldEdits.map((p) => changes(p)),
      },
      {
        title: "In JustCall, not in the roster",
        note: "Added outside the roster: add them to roster.yaml, or remove them in JustCall.",
        items: s.unmanaged.map(esc),
      },
    ];
  }
  return [
    {
      title: "Privileged role changes",
      note: "They grant or take away control of the account: the run needs JUSTCALL_ALLOW_ROLE_CHANGES=<count> to make them.",
      items: s.roleChanges.map(
        (r) => `${person(r.person)}: role ${code(r.from)} → ${code(r.to)}${r.on === "adoption" ? " (on adoption)" : ""}`,
      ),
    },
    { title: "Invitations", note: "JustCall emails each of them an invitation.", items: s.invitations.map(newAgent) },
    {
      title: "Adoptions",
      note: "Already in JustCall: managed by the roster from now on, no email; each field it writes is JustCall's value → the roster's.",
      items: s.adoptions.map(newAgent),
    },
    {
      title: "Removals",
      items: s.removals.map((r) =>
        r.action === "delete"
          ? `${person(r.person)}: deleted from JustCall (cannot be undone: their call history goes too)`
          : r.action === "stays"
            ? `${person(r.person)}: stays in JustCall, now managed by another roster entry (the email changed in JustCall)`
            : `${person(r.person)}: kept in JustCall, no longer managed by the roster`,
      ),
    },
    {
      title: "Renamed, moved or replaced",
      note: "The same person under a new resource: the old resource leaves the stack, and JustCall is not changed.",
      items: s.renames.map(
        (r) => `${person(r.person)}: ${r.from === r.to ? `${code(r.to)} replaced` : `${code(r.from)} → ${code(r.to)}`}, stays in JustCall`,
      ),
    },
    { title: "Team changes", items: s.teamChanges.map(teams) },
    { title: "Number moves", items: s.numberMoves.map(move) },
    { title: "Field edits", items: s.fieldEdits.map((p) => changes(p)) },
    {
      title: "Drift corrected",
      note: "Changed in JustCall outside the roster; `pulumi up` puts the roster's value back (JustCall's → roster's).",
      items: s.drift.map((p) => changes(p)),
    },
    {
      title: "In JustCall, not in the roster",
      note: "Left alone: add them to roster.yaml, or remove them in JustCall.",
      items: s.unmanaged.map(esc),
    },
  ];
}

function heading(s: RosterSummary): string {
  const stack = s.stack ? ` (stack ${s.stack})` : "";
  return s.kind === "refresh" ? `JustCall roster: drift check${stack}` : `JustCall roster: what this change does${stack}`;
}

function nothing(s: RosterSummary): string {
  return s.kind === "refresh"
    ? "JustCall matches the stack: nothing was changed outside the roster."
    : "No change: `pulumi up` leaves JustCall as it is.";
}

export function renderMarkdown(s: RosterSummary): string {
  const out: string[] = [`### ${md(heading(s))}`, ""];
  if (s.failures.length > 0) {
    out.push(
      `#### ${s.kind === "refresh" ? "The refresh failed" : "The preview failed: `pulumi up` would change nothing until this is fixed"}`,
      "",
    );
    for (const f of s.failures) out.push(`- ${md(f, true).replace(/\n\s*/g, "<br>")}`);
    out.push("");
  }
  for (const n of s.notices) out.push(`> ${md(n).replace(/\\`/g, "`")}`, "");
  const list = sections(s, mdPerson, mdCode, md).filter((x) => x.items.length > 0);
  if (list.length === 0 && s.failures.length === 0 && s.notices.length === 0) out.push(nothing(s), "");
  for (const section of list) {
    out.push(`#### ${section.title} (${section.items.length})`, "");
    if (section.note) out.push(`_${section.note}_`, "");
    for (const item of section.items) out.push(`- ${item}`);
    out.push("");
  }
  if (s.warnings.length > 0) {
    out.push("#### Warnings from the engine", "");
    for (const w of s.warnings) out.push(`- ${md(w, true).replace(/\n\s*/g, "<br>")}`);
    out.push("");
  }
  out.push(`**In all:** ${counts(s)}.`, "");
  return out.join("\n");
}

export function renderText(s: RosterSummary): string {
  const out: string[] = [heading(s), ""];
  if (s.failures.length > 0) {
    out.push(s.kind === "refresh" ? "THE REFRESH FAILED" : "THE PREVIEW FAILED: `pulumi up` would change nothing until this is fixed");
    for (const f of s.failures) out.push(`  ! ${inert(f, true).replace(/\n/g, "\n    ")}`);
    out.push("");
  }
  for (const n of s.notices) out.push(inert(n), "");
  const list = sections(
    s,
    (p) => inert(label(p)),
    (t) => inert(t),
    (t) => inert(t),
  ).filter((x) => x.items.length > 0);
  if (list.length === 0 && s.failures.length === 0 && s.notices.length === 0) out.push(nothing(s), "");
  for (const section of list) {
    out.push(`${section.title} (${section.items.length})${section.note ? `: ${section.note.replace(/`/g, "")}` : ""}`);
    for (const item of section.items) out.push(`  - ${item}`);
    out.push("");
  }
  if (s.warnings.length > 0) {
    out.push("Warnings from the engine");
    for (const w of s.warnings) out.push(`  - ${inert(w, true).replace(/\n/g, "\n    ")}`);
    out.push("");
  }
  out.push(`In all: ${counts(s)}.`, "");
  return out.join("\n");
}

/** JSON text in, the rendered summary out. */
export function summarizeEngineJson(text: string, format: SummaryFormat = "markdown"): string {
  const summary = summarizePlan(parseEngineJson(text));
  return format === "text" ? renderText(summary) : renderMarkdown(summary);
}
