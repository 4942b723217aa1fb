// Plain-text tables for the CLI's list commands: columns padded to their widest cell.

/** Prints `rows` (the first is the header) as aligned columns, two spaces apart. */
export function printTable(rows: string[][]): void {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  for (const row of rows)
    console.log(
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    );
}

/** An instant to the minute (UTC), or '-' for none. */
export const minute = (instant: string | null) =>
  instant ? new Date(instant).toISOString().slice(0, 16).replace('T', ' ') : '-';
