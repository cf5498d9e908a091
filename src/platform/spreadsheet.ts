import { once } from 'node:events';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';

/**
 * Spreadsheets written as they are read: a sheet's rows come in batches (an async iterable, so that a
 * database can be read a page at a time) and go out as CSV (csv-stringify) or XLSX (ExcelJS's streaming
 * WorkbookWriter, inline strings, so that no part of the workbook waits in memory for the end). The
 * writer waits for the reader between batches: a slow download holds the database reads back rather
 * than piling rows up in memory.
 */

/** The formats a list can be downloaded in. */
export const spreadsheetFormats = ['csv', 'xlsx'] as const;
export type SpreadsheetFormat = (typeof spreadsheetFormats)[number];

/**
 * A cell: text, a number, a date-time, or nothing. A Date is a time on a wall clock: the cell shows
 * its UTC fields (see wallClockDate), as a spreadsheet's dates have no zone.
 */
export type Cell = string | number | Date | null;

/** A column of a sheet: its heading, and its width in characters in XLSX. */
export interface SheetColumn {
  header: string;
  width?: number;
}

/** A sheet to write: its name (XLSX), columns and rows, in batches. */
export interface Sheet {
  name: string;
  columns: readonly SheetColumn[];
  rows: AsyncIterable<readonly (readonly Cell[])[]>;
}

const contentTypes: Record<SpreadsheetFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The date-time format of XLSX cells and of CSV text. */
const dateTimeFormat = 'yyyy-mm-dd hh:mm';

/** A Date whose UTC fields are the wall-clock time of `instant` in `timeZone`: what a date cell shows. */
export function wallClockDate(instant: Date, timeZone: string): Date {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' })
      .formatToParts(instant)
      .map((part) => [part.type, Number(part.value)]),
  );
  return new Date(Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0));
}

/** "2024-03-25 08:30": a date cell as text. */
function dateText(date: Date): string {
  return date.toISOString().slice(0, 16).replace('T', ' ');
}

/** Waits until what was written has been read, when the reader is behind. */
async function caughtUp(stream: Writable): Promise<void> {
  if (stream.writableNeedDrain) await once(stream, 'drain');
}

async function writeCsv(sheet: Sheet, output: PassThrough): Promise<void> {
  // A byte-order mark for spreadsheets that guess the encoding; CRLF lines; a cell that a spreadsheet would
  // run as a formula (=, +, -, @ first) is written behind an apostrophe.
  const csv = stringify({ bom: true, record_delimiter: 'windows', escape_formulas: true, cast: { date: dateText } });
  csv.pipe(output);
  const write = async (row: readonly Cell[]) => {
    if (!csv.write(row)) await once(csv, 'drain');
  };
  await write(sheet.columns.map((column) => column.header));
  for await (const batch of sheet.rows) {
    for (const row of batch) await write(row);
    await caughtUp(output);
  }
  csv.end();
  await once(csv, 'end');
}

async function writeXlsx(sheets: readonly Sheet[], output: PassThrough): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  // One after the other: a sheet is committed before the next begins, so only the current row waits in memory.
  for (const sheet of sheets) await writeWorksheet(workbook, sheet, output);
  await workbook.commit();
}

async function writeWorksheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, sheet: Sheet, output: PassThrough): Promise<void> {
  // Characters XLSX does not take in a sheet's name become spaces; a name holds 31 characters.
  const worksheet = workbook.addWorksheet(sheet.name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  worksheet.columns = sheet.columns.map((column) => ({ width: column.width ?? 16 }));
  const header = worksheet.addRow(sheet.columns.map((column) => column.header));
  header.font = { bold: true };
  header.commit();
  for await (const batch of sheet.rows) {
    for (const cells of batch) {
      const row = worksheet.addRow([...cells]);
      cells.forEach((cell, index) => {
        if (cell instanceof Date) row.getCell(index + 1).numFmt = dateTimeFormat;
      });
      row.commit();
    }
    await caughtUp(output);
  }
  worksheet.commit();
}

/** Writes a sheet as CSV or XLSX to a stream that is read as it is written; a failure midway destroys the stream. */
export function writeSpreadsheet(format: SpreadsheetFormat, sheet: Sheet): Readable {
  return format === 'csv' ? streamed((output) => writeCsv(sheet, output)) : writeWorkbook([sheet]);
}

/** Writes sheets as one XLSX workbook, a sheet after the other, to a stream read as it is written. */
export function writeWorkbook(sheets: readonly Sheet[]): Readable {
  return streamed((output) => writeXlsx(sheets, output));
}

function streamed(write: (output: PassThrough) => Promise<void>): Readable {
  const output = new PassThrough();
  write(output).catch((error: unknown) => output.destroy(error instanceof Error ? error : new Error(String(error))));
  return output;
}

/** Sends a sheet as a download named `<stem>-<today>.<format>`, streamed. */
export function sendSpreadsheet(reply: FastifyReply, format: SpreadsheetFormat, stem: string, sheet: Sheet): FastifyReply {
  return sendFile(reply, format, stem, writeSpreadsheet(format, sheet));
}

/** Sends sheets as one XLSX workbook named `<stem>-<today>.xlsx`, streamed. */
export function sendWorkbook(reply: FastifyReply, stem: string, sheets: readonly Sheet[]): FastifyReply {
  return sendFile(reply, 'xlsx', stem, writeWorkbook(sheets));
}

function sendFile(reply: FastifyReply, format: SpreadsheetFormat, stem: string, body: Readable): FastifyReply {
  return reply
    .header('content-type', contentTypes[format])
    .header('content-disposition', `attachment; filename="${stem}-${new Date().toISOString().slice(0, 10)}.${format}"`)
    .header('cache-control', 'no-store')
    .send(body);
}
