// CSV as spreadsheets and LMS gradebooks read it (RFC 4180): a header row, CRLF line
// ends, fields quoted when they hold a comma, quote or line break. A text field that
// starts like a formula (= + - @, tab, CR) gets a leading apostrophe, so opening the
// export never runs a learner's display name as a formula (OWASP "CSV injection").
export type CsvValue = string | number | null | undefined;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
