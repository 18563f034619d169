"use client";
/**
 * One time chart of the Stats tab (uPlot: canvas, small, fast for 900 points a
 * line). The heading names it; the current values are text beside it (an
 * <output> per line) so they can be read without seeing the canvas. uPlot is
 * loaded in the browser only, and the chart is created once and fed with
 * setData on every sample.
 */
import "uplot/dist/uPlot.min.css";
import { useEffect, useId, useRef } from "react";
import type uPlot from "uplot";

export interface ChartLine {
  label: string;
  color: string;
  values: number[];
}

export function StatsChart({ title, times, lines, format }: { title: string; times: number[]; lines: ChartLine[]; format: (v: number) => string }) {
  const headingId = useId();
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  const data = useRef<uPlot.AlignedData>([[]]);
  data.current = [times.map((t) => t / 1000), ...lines.map((l) => l.values)];
  const labels = lines.map((l) => `${l.label}|${l.color}`).join(",");
  const formatRef = useRef(format);
  formatRef.current = format;

  useEffect(() => {
    let gone = false;
    let observer: ResizeObserver | undefined;
    void import("uplot").then(({ default: UPlot }) => {
      if (gone || !box.current) return;
      const el = box.current;
      const opts: uPlot.Options = {
        width: Math.max(200, el.clientWidth),
        height: 170,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        // From 0; a flat zero line still gets a scale (1 unit) instead of ticks that all read 0.
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(max * 1.1, 1)] } },
        axes: [
          { stroke: "#8b9bb0", grid: { stroke: "#22303f" } },
          { stroke: "#8b9bb0", grid: { stroke: "#22303f" }, size: 70, values: (_u, ticks) => ticks.map((v) => formatRef.current(v)) },
        ],
        series: [{}, ...labels.split(",").map((l) => ({ label: l.split("|")[0], stroke: l.split("|")[1], width: 1.5, points: { show: false } }))],
      };
      plot.current = new UPlot(opts, data.current, el);
      observer = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(200, el.clientWidth), height: 170 }));
      observer.observe(el);
    });
    return () => {
      gone = true;
      observer?.disconnect();
      plot.current?.destroy();
      plot.current = undefined;
    };
  }, [labels]);

  useEffect(() => {
    plot.current?.setData(data.current);
  });

  return (
    <section className="card stats-chart" aria-labelledby={headingId} style={{ marginBottom: 0, padding: "0.75rem 1rem" }}>
      <div style={{ display: "flex", justifyContent: "space-between", gap: "1rem", flexWrap: "wrap", alignItems: "baseline" }}>
        <h3 id={headingId} style={{ margin: 0, fontSize: "1rem" }}>{title}</h3>
        <span style={{ display: "flex", gap: "1rem" }}>
          {lines.map((l) => (
            <span key={l.label} className="small">
              <span aria-hidden style={{ color: l.color }}>● </span>
              {l.label}:{" "}
              <output aria-label={`${title}: ${l.label}`}>{l.values.length ? format(l.values[l.values.length - 1]) : "–"}</output>
            </span>
          ))}
        </span>
      </div>
      <div ref={box} role="img" aria-label={`${title} chart`} style={{ width: "100%", minHeight: 170 }} />
    </section>
  );
}
