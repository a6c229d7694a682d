// A byte count as people read it (decimal units, as pypi.org shows file sizes), exact count in the tooltip.
const UNITS = ["kB", "MB", "GB", "TB"] as const;

function humanSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} ${bytes === 1 ? "byte" : "bytes"}`;
  let value = bytes;
  let unit: string = UNITS[0];
  for (const u of UNITS) {
    value /= 1000;
    unit = u;
    if (value < 1000) break;
  }
  return `${value.toFixed(1)} ${unit}`;
}

export function FileSize({ bytes }: { bytes: number }) {
  return <span title={`${bytes.toLocaleString("en-US")} bytes`}>{humanSize(bytes)}</span>;
}
