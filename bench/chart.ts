// One SVG, written by hand: API calls (top row) and wall time (bottom row) per step against N,
// one small panel per step, both approaches. Both axes are logarithmic; the y axes plot
// log10(1 + v) so that zero calls still has a place at the bottom. Below them, when the results
// have overhead runs: the engine's wall ms per resource against N (both axes linear, so that a
// flat line, a total linear in N, and a straight rising one, quadratic, can be told apart at a glance).
import {
  type Approach,
  type BenchResults,
  type OverheadResult,
  type OverheadStepName,
  OVERHEAD_STEPS,
  type StepName,
  STEPS,
  STEP_LABELS,
} from "./types";

const PANEL_W = 150;
const PANEL_H = 130;
const GAP = 14;
const LEFT = 58;
const TOP = 74;
const BOTTOM = 44;
const COLORS: Record<Approach, string> = { snapshot: "#1f77b4", "per-resource": "#d95f02" };
const DASH: Record<Approach, string> = { snapshot: "", "per-resource": "5,3" };
const LABEL: Record<Approach, string> = {
  snapshot: "snapshot reads (justcall:snapshot=true)",
  "per-resource": "per-resource reads (justcall:snapshot=false)",
};

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const f = (x: number) => Math.round(x * 10) / 10;
const ylog = (v: number) => Math.log10(1 + Math.max(0, v));

interface Point {
  n: number;
  value: number;
  /** Drawn hollow: not measured at the rate (the wall time shown is the floor). */
  hollow: boolean;
}

function series(results: BenchResults, approach: Approach, step: StepName, metric: "calls" | "wallS"): Point[] {
  return results.runs
    .filter((r) => r.approach === approach)
    .sort((a, b) => a.n - b.n)
    .flatMap((r) => {
      const s = r.steps.find((x) => x.step === step);
      if (!s) return [];
      if (metric === "calls") return [{ n: r.n, value: s.calls, hollow: false }];
      return [{ n: r.n, value: (s.throttled ? s.wallMs : s.floorMs) / 1000, hollow: !s.throttled }];
    });
}

function ticks(max: number): number[] {
  const out = [0];
  for (let t = 1; t <= max * 1.0001; t *= 10) out.push(t);
  return out;
}

const tickLabel = (t: number) => (t >= 1000 ? `${t / 1000}k` : String(t));

const OVERHEAD_W = 420;
const OVERHEAD_H = 220;
const OVERHEAD_COLORS: Record<OverheadStepName, string> = { up: "#1f77b4", refresh: "#2ca02c", destroy: "#d62728" };

export function renderChart(results: BenchResults): string {
  const gridH = results.runs.length > 0 ? 2 * (PANEL_H + BOTTOM) : 0;
  const overheadTop = gridH > 0 ? TOP + gridH + 50 : 44;
  const overheadH = results.overhead.length > 0 ? OVERHEAD_H + 30 : 0;
  const width = Math.max(gridH > 0 ? LEFT + STEPS.length * (PANEL_W + GAP) + 10 : 0, LEFT + OVERHEAD_W + 360);
  const height = overheadTop + overheadH + 30;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
  );
  if (results.runs.length > 0) out.push(...callsAndWallGrid(results));
  if (results.overhead.length > 0) out.push(...overheadPanel(results.overhead, overheadTop, gridH === 0));
  const foot = height - 14;
  out.push(
    `<text x="${LEFT}" y="${foot}" fill="#555">${esc(
      `${results.startedAt.slice(0, 16).replace("T", " ")} UTC, ${results.machine.cpus} cores, load ${results.load.start.split(" ").slice(0, 3).join(" ")} at start. Source: bench/results/*.json`,
    )}</text>`,
    "</svg>",
  );
  return `${out.join("\n")}\n`;
}

/** The lifecycle runs: one panel per step, calls on top and wall time below. */
function callsAndWallGrid(results: BenchResults): string[] {
  const sizes = [...new Set(results.runs.map((r) => r.n))].sort((a, b) => a - b);
  const approaches = [...new Set(results.runs.map((r) => r.approach))];
  const out: string[] = [];
  out.push(
    `<text x="${LEFT}" y="20" font-size="15" font-weight="bold">pulumi-justcall: API calls and wall time per step against N (rate limit ${results.rateLimit.limit} per ${results.rateLimit.windowMs / 1000} s; axes log10(1 + value))</text>`,
  );
  approaches.forEach((a, i) => {
    const x = LEFT + i * 330;
    out.push(
      `<line x1="${x}" y1="38" x2="${x + 28}" y2="38" stroke="${COLORS[a]}" stroke-width="2" stroke-dasharray="${DASH[a]}"/>`,
      a === "snapshot"
        ? `<circle cx="${x + 14}" cy="38" r="3.5" fill="${COLORS[a]}"/>`
        : `<rect x="${x + 10.5}" y="34.5" width="7" height="7" fill="${COLORS[a]}"/>`,
      `<text x="${x + 34}" y="42">${esc(LABEL[a])}</text>`,
    );
  });
  out.push(`<text x="${LEFT + 660}" y="42" fill="#555">hollow marker: not run at the rate; the floor (calls ÷ rate) is shown</text>`);

  const xMin = Math.log10(sizes[0]);
  const xMax = Math.log10(sizes[sizes.length - 1]);
  const px = (n: number, left: number) =>
    sizes.length === 1 ? left + PANEL_W / 2 : left + 18 + ((Math.log10(n) - xMin) / (xMax - xMin)) * (PANEL_W - 36);

  const rows: Array<{ metric: "calls" | "wallS"; title: string }> = [
    { metric: "calls", title: "API calls" },
    { metric: "wallS", title: "wall time (s)" },
  ];
  rows.forEach((row, ri) => {
    const top = TOP + ri * (PANEL_H + BOTTOM);
    const all = STEPS.flatMap((s) => approaches.flatMap((a) => series(results, a, s, row.metric).map((p) => p.value)));
    const maxValue = Math.max(1, ...all);
    const yMax = Math.ceil(ylog(maxValue));
    const py = (v: number) => top + PANEL_H - (ylog(v) / yMax) * PANEL_H;
    out.push(
      `<text transform="translate(14 ${top + PANEL_H / 2}) rotate(-90)" text-anchor="middle" font-weight="bold">${row.title}</text>`,
    );
    STEPS.forEach((step, si) => {
      const left = LEFT + si * (PANEL_W + GAP);
      out.push(`<rect x="${left}" y="${top}" width="${PANEL_W}" height="${PANEL_H}" fill="#fafafa" stroke="#bbb"/>`);
      if (ri === 0)
        out.push(`<text x="${left + PANEL_W / 2}" y="${top - 8}" text-anchor="middle" font-weight="bold">${esc(STEP_LABELS[step])}</text>`);
      for (const t of ticks(10 ** yMax - 1)) {
        const y = f(py(t));
        out.push(`<line x1="${left}" y1="${y}" x2="${left + PANEL_W}" y2="${y}" stroke="#e3e3e3"/>`);
        if (si === 0) out.push(`<text x="${left - 4}" y="${y + 4}" text-anchor="end" fill="#444">${tickLabel(t)}</text>`);
      }
      for (const n of sizes) {
        const x = f(px(n, left));
        out.push(`<text x="${x}" y="${top + PANEL_H + 14}" text-anchor="middle" fill="#444">N=${tickLabel(n)}</text>`);
      }
      for (const a of approaches) {
        const pts = series(results, a, step, row.metric);
        if (pts.length > 1) {
          const d = pts.map((p, i) => `${i === 0 ? "M" : "L"}${f(px(p.n, left))},${f(py(p.value))}`).join(" ");
          out.push(`<path d="${d}" fill="none" stroke="${COLORS[a]}" stroke-width="2" stroke-dasharray="${DASH[a]}"/>`);
        }
        for (const p of pts) {
          const x = f(px(p.n, left));
          const y = f(py(p.value));
          const fill = p.hollow ? "#ffffff" : COLORS[a];
          const shape =
            a === "snapshot"
              ? `<circle cx="${x}" cy="${y}" r="3.5" fill="${fill}" stroke="${COLORS[a]}" stroke-width="1.5"/>`
              : `<rect x="${x - 3.5}" y="${y - 3.5}" width="7" height="7" fill="${fill}" stroke="${COLORS[a]}" stroke-width="1.5"/>`;
          const value = row.metric === "calls" ? `${p.value} calls` : `${p.value.toFixed(1)} s${p.hollow ? " (floor)" : ""}`;
          out.push(`<g>${shape}<title>${esc(`${STEP_LABELS[step]}, N=${p.n}, ${a}: ${value}`)}</title></g>`);
        }
      }
    });
  });
  return out;
}

/**
 * Engine cost per resource against N, rate limit off: one line per step, solid with checkpoints
 * (the default), dashed with PULUMI_SKIP_CHECKPOINTS. x: N from 0; y: ms per resource from 0.
 */
function overheadPanel(overhead: OverheadResult[], top: number, titleOnTop: boolean): string[] {
  const out: string[] = [];
  const left = LEFT;
  const titleY = titleOnTop ? 20 : top - 22;
  out.push(
    `<text x="${left}" y="${titleY}" font-size="15" font-weight="bold">Engine cost per resource against N (rate limit off): flat = total linear in N, rising = quadratic</text>`,
  );
  const sizes = [...new Set(overhead.map((o) => o.n))].sort((a, b) => a - b);
  const series = (step: OverheadStepName, checkpoints: boolean) =>
    overhead
      .filter((o) => o.checkpoints === checkpoints && o[step])
      .sort((a, b) => a.n - b.n)
      .map((o) => ({ n: o.n, ms: o[step]!.msPerResource }));
  const maxMs = Math.max(1, ...overhead.flatMap((o) => OVERHEAD_STEPS.map((s) => o[s]?.msPerResource ?? 0)));
  const step10 = 10 ** Math.floor(Math.log10(maxMs));
  const yMax = Math.ceil(maxMs / step10) * step10;
  const xMax = sizes[sizes.length - 1];
  const px = (n: number) => left + 12 + (n / xMax) * (OVERHEAD_W - 36);
  const py = (ms: number) => top + OVERHEAD_H - (ms / yMax) * OVERHEAD_H;
  out.push(`<rect x="${left}" y="${top}" width="${OVERHEAD_W}" height="${OVERHEAD_H}" fill="#fafafa" stroke="#bbb"/>`);
  out.push(
    `<text transform="translate(14 ${top + OVERHEAD_H / 2}) rotate(-90)" text-anchor="middle" font-weight="bold">wall ms per resource</text>`,
  );
  const yStep = yMax / 5;
  for (let t = 0; t <= yMax + 1e-9; t += yStep) {
    const y = f(py(t));
    out.push(`<line x1="${left}" y1="${y}" x2="${left + OVERHEAD_W}" y2="${y}" stroke="#e3e3e3"/>`);
    out.push(`<text x="${left - 4}" y="${y + 4}" text-anchor="end" fill="#444">${f(t)}</text>`);
  }
  for (const n of sizes)
    out.push(`<text x="${f(px(n))}" y="${top + OVERHEAD_H + 14}" text-anchor="middle" fill="#444">N=${tickLabel(n)}</text>`);
  for (const step of OVERHEAD_STEPS) {
    for (const checkpoints of [true, false]) {
      const pts = series(step, checkpoints);
      const color = OVERHEAD_COLORS[step];
      if (pts.length > 1) {
        const d = pts.map((p, i) => `${i === 0 ? "M" : "L"}${f(px(p.n))},${f(py(p.ms))}`).join(" ");
        out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2" stroke-dasharray="${checkpoints ? "" : "5,3"}"/>`);
      }
      for (const p of pts) {
        const what = `${step}, N=${p.n}, ${checkpoints ? "checkpoints" : "PULUMI_SKIP_CHECKPOINTS"}: ${p.ms} ms per resource`;
        out.push(
          `<g><circle cx="${f(px(p.n))}" cy="${f(py(p.ms))}" r="3.5" fill="${checkpoints ? color : "#ffffff"}" stroke="${color}" stroke-width="1.5"/><title>${esc(what)}</title></g>`,
        );
      }
    }
  }
  // Legend, right of the panel.
  const lx = left + OVERHEAD_W + 20;
  OVERHEAD_STEPS.forEach((step, i) => {
    const y = top + 14 + i * 18;
    out.push(
      `<line x1="${lx}" y1="${y}" x2="${lx + 28}" y2="${y}" stroke="${OVERHEAD_COLORS[step]}" stroke-width="2"/>`,
      `<text x="${lx + 34}" y="${y + 4}">${step}</text>`,
    );
  });
  const y = top + 14 + OVERHEAD_STEPS.length * 18 + 6;
  out.push(
    `<text x="${lx}" y="${y}" fill="#555">solid, filled: checkpoints on (file backend default)</text>`,
    `<text x="${lx}" y="${y + 16}" fill="#555">dashed, hollow: PULUMI_SKIP_CHECKPOINTS=true</text>`,
    `<text x="${lx}" y="${y + 32}" fill="#555">x: N agents; y: wall ms per resource (2.1 N resources)</text>`,
  );
  return out;
}
