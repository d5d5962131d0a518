import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export interface Series {
  readonly label: string;
  readonly values: readonly number[];
  readonly color: string;
}

/** A uPlot line chart over time buckets (ms since the epoch), redrawn when its data changes, sized to its box. */
export function TimeChart({ title, buckets, series, testId }: { title: string; buckets: readonly number[]; series: readonly Series[]; testId: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const data: uPlot.AlignedData = [buckets.map((t) => t / 1000), ...series.map((s) => [...s.values])];
    const plot = new uPlot(
      {
        width: Math.max(320, el.clientWidth),
        height: 220,
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        axes: [{}, { label: 'events', size: 50 }],
        series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, points: { show: false } }))],
      },
      data,
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(320, el.clientWidth), height: 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [buckets, series]);
  return (
    <section class="card chart" data-testid={testId}>
      <h3>{title}</h3>
      <div ref={box} />
    </section>
  );
}
