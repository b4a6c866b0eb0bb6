/** A GitHub-flavoured markdown table; `|` inside cells is escaped. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const escapeCell = (cell: string) => cell.replace(/\|/g, '\\|').replace(/\n/g, ' ')
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)]
}

export function formatMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1)
}
