import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database, Executor } from '../../db/database.ts';
import { assertCanRead, type Actor } from '../../platform/access.ts';
import { recordAudits, type AuditEntry } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import { decodeCsvFile } from '../places/place.import.ts';
import { loadNetwork, mayBeResponsible, mayChangeCommitment, mayEditDocument, type Network } from './agreement.access.ts';
import { agreementMessages, fieldMessage, makesCycle, progressOf, rollUpMeasures, type Bilingual, type ProgressSums } from './agreement.rules.ts';
import { commitmentPatch, measurePatch, storedCommitmentStatuses } from './agreement.schema.ts';
import { listMeasuresOf, loadDocument, ownersOf, type AgreementDocument } from './agreement.service.ts';
import * as importRepository from './agreement-import.repository.ts';
import { listCommitmentsOfDocument } from './commitment.service.ts';
import type { StoredCommitmentStatus } from './commitment.table.ts';
import * as documentRepository from './document.repository.ts';

/**
 * A document's measures and commitments in and out of one CSV file, for bulk updates in a spreadsheet.
 *
 * The file has a row per measure and a row per commitment, told apart by the `record` column; the export
 * writes each measure (parents first) followed by its commitments, and imports again unchanged. A measure
 * row is matched by its number within the document (the number is its key: renumber a measure on its page);
 * a commitment row by `commitment_id`, empty for a new one. A column the file leaves out keeps what is
 * stored, and so does a blank cell of a field that cannot be empty (Chinese title, responsible organization,
 * weight, status, progress). Nothing is deleted: a record the file does not name stays as it is.
 *
 * Every row goes through the rules of the forms and the API (agreement.rules.ts, agreement.access.ts,
 * the schemas): lengths and formats, positive weights, progress 0–100, done at 100 % and not started at
 * 0 %, a due date not before the document's date, a responsible organization that may be one (a party or
 * below one, for an agreement), partners known and not the responsible one, parent measures of this
 * document without cycles, known work dimensions and topics; measures change only for those who may edit
 * the document, commitments only for those who may change them for the organization responsible before
 * and after. A row that changes nothing passes whoever imports it, so that anyone's export imports back.
 *
 * Weights: Halfsky's weights are relative. A measure's progress is the weighted mean of everything below
 * it (rollUpMeasures), so no total is expected of them and none can be "wrong" as a sum. What can be wrong
 * is a weight that is not positive — refused per row — and, above all, a measure whose weights are all
 * zero: nothing under it would count, and the progress people see for it would vanish. Such rows are
 * refused with a message naming the measure. Every report lists, per measure, the weight counted under
 * it (dropped commitments left out, the measures below it included) and its share of the document's
 * weight, before → after, so that whoever imports sees when a file shifts the balance between measures.
 *
 * A dry run only reports. A real import is all or nothing: one transaction under the document's row lock
 * (every other change to the document, its measures and commitments waits), nothing written when any row
 * is refused, an audit event per record.
 */

/** The columns of an agreement's CSV file, in the order the export writes them. */
export const agreementCsvColumns = [
  'record',
  'measure_number',
  'parent_number',
  'position',
  'title_zh',
  'title_en',
  'body_zh',
  'body_en',
  'dimensions',
  'topics',
  'commitment_id',
  'what_zh',
  'what_en',
  'responsible',
  'partners',
  'due_on',
  'weight',
  'status',
  'progress',
] as const;
export type AgreementCsvColumn = (typeof agreementCsvColumns)[number];

/** What a row stands for. */
export type CsvRecord = 'measure' | 'commitment';

// The columns only one kind of row fills; `record` and `measure_number` belong to both.
const columnsOf: Record<CsvRecord, readonly AgreementCsvColumn[]> = {
  measure: ['parent_number', 'position', 'title_zh', 'title_en', 'body_zh', 'body_en', 'dimensions', 'topics'],
  commitment: ['commitment_id', 'what_zh', 'what_en', 'responsible', 'partners', 'due_on', 'weight', 'status', 'progress'],
};
const requiredColumns: readonly AgreementCsvColumn[] = ['record', 'measure_number', 'commitment_id'];

/** The largest file and the most rows an import takes. */
export const agreementImportLimits = { maxBytes: 5 * 1024 * 1024, maxRows: 20_000 };

// -----------------------------------------------------------------------------------------------
// The report

/** A row that adds or changes a measure or a commitment. */
export interface ImportedRecord {
  /** The row as a spreadsheet numbers it (the header is row 1). */
  row: number;
  record: CsvRecord;
  /** The stored record changed; null for one added. */
  id: number | null;
  /** The measure's number, or the number of the commitment's measure. */
  measureNumber: string;
  /** The measure's title, or what the commitment undertakes. */
  nameZh: string;
  nameEn: string;
  /** For a changed record: each column that changes, before and after, as the file writes it. */
  changes: { field: AgreementCsvColumn; before: string; after: string }[];
}

/** A row that is refused, and why. */
export interface RefusedRow {
  row: number;
  problems: Bilingual[];
}

/** The weight counted under a measure (itself and below, dropped commitments left out), before and after. */
export interface MeasureWeight {
  number: string;
  titleZh: string;
  titleEn: string;
  before: number;
  after: number;
  /** Its share of the document's weight, in percent (one decimal); null when the document has none. */
  shareBefore: number | null;
  shareAfter: number | null;
}

/** What an import did, or would do in a dry run. */
export interface AgreementImportReport {
  documentId: number;
  dryRun: boolean;
  /** Whether the changes were written: a real import in which no row was refused. */
  written: boolean;
  /** Why the whole file was refused (too large, not UTF-8, not CSV, wrong columns, too many rows); null when it was read. */
  fileProblem: Bilingual | null;
  /** How many rows the file has besides its header. */
  rows: number;
  added: ImportedRecord[];
  updated: ImportedRecord[];
  unchanged: number;
  refused: RefusedRow[];
  /** Per measure with any weight before or after, in reading order. */
  weights: MeasureWeight[];
}

/** The messages of the import, in both languages. */
export const importMessages = {
  empty: (): Bilingual => ({ zh: '文件是空的。', en: 'The file is empty.' }),
  notCsv: (detail: string): Bilingual => ({ zh: `文件不是有效的 CSV：${detail}`, en: `The file is not valid CSV: ${detail}` }),
  noRows: (): Bilingual => ({ zh: '文件中除表头外没有数据行。', en: 'The file has no rows besides its header.' }),
  tooLarge: (): Bilingual => {
    const mib = agreementImportLimits.maxBytes / 1024 / 1024;
    return { zh: `文件超过 ${mib} MiB；请拆分后分批导入。`, en: `The file is larger than ${mib} MiB; split it and import the parts one after another.` };
  },
  tooManyRows: (limit: number): Bilingual => ({
    zh: `文件超过 ${limit.toLocaleString('en')} 行；请拆分后分批导入。`,
    en: `The file has more than ${limit.toLocaleString('en')} rows; split it and import the parts one after another.`,
  }),
  columns: (unknown: string[], missing: string[]): Bilingual => ({
    zh: `${unknown.length > 0 ? `未知的列：${unknown.join('、')}。` : ''}${missing.length > 0 ? `缺少必需的列：${missing.join('、')}。` : ''}可用的列：${agreementCsvColumns.join(', ')}。`,
    en: `${unknown.length > 0 ? `Unknown column(s): ${unknown.join(', ')}. ` : ''}${missing.length > 0 ? `Required column(s) missing: ${missing.join(', ')}. ` : ''}The columns are: ${agreementCsvColumns.join(', ')}.`,
  }),
  repeatedColumn: (name: string): Bilingual => ({ zh: `列“${name}”出现了不止一次。`, en: `The column "${name}" appears more than once.` }),
  tooManyFields: (count: number, columns: number): Bilingual => ({
    zh: `该行有 ${count} 个字段，而表头只有 ${columns} 列。`,
    en: `The row has ${count} fields; the header has ${columns} columns.`,
  }),
  field: (column: string, text: Bilingual): Bilingual => ({ zh: `${column}：${text.zh}`, en: `${column}: ${text.en}` }),
  record: (): Bilingual => ({ zh: '请填写 measure（措施）或 commitment（承诺）。', en: 'Write "measure" or "commitment".' }),
  otherRecordsColumn: (record: CsvRecord): Bilingual =>
    record === 'measure'
      ? { zh: '此列属于承诺行，措施行请留空。', en: 'This column is for commitment rows; leave it empty on a measure row.' }
      : { zh: '此列属于措施行，承诺行请留空。', en: 'This column is for measure rows; leave it empty on a commitment row.' },
  required: (record: CsvRecord): Bilingual =>
    record === 'measure' ? { zh: '新增措施时必填。', en: 'Required for a new measure.' } : { zh: '新增承诺时必填。', en: 'Required for a new commitment.' },
  sameMeasureAs: (row: number): Bilingual => ({ zh: `第 ${row} 行已指向同一措施。`, en: `Row ${row} stands for the same measure already.` }),
  sameCommitmentAs: (row: number): Bilingual => ({ zh: `第 ${row} 行已指向同一承诺。`, en: `Row ${row} stands for the same commitment already.` }),
  unknownMeasure: (number: string): Bilingual => ({
    zh: `本文件没有编号为“${number}”的措施（已有的，或文件中更靠前的行新增的）。`,
    en: `This document has no measure numbered "${number}" (stored, or added by an earlier row).`,
  }),
  measureRefused: (row: number): Bilingual => ({ zh: `其措施（第 ${row} 行）被拒绝。`, en: `Its measure (row ${row}) is refused.` }),
  parentLater: (row: number): Bilingual => ({
    zh: `其上级措施在后面的第 ${row} 行；请把上级措施放在前面。`,
    en: `Its parent measure comes later, in row ${row}; put parents before the measures under them.`,
  }),
  unknownCommitment: (id: number): Bilingual => ({
    zh: `本文件没有编号为 ${id} 的承诺；新增承诺时请将 commitment_id 留空。`,
    en: `This document has no commitment with the id ${id}; leave commitment_id empty to add one.`,
  }),
  notAnId: (text: string): Bilingual => ({ zh: `“${text}”不是编号（正整数）。`, en: `"${text}" is not an id (a whole number above 0).` }),
  unknownDimension: (code: string): Bilingual => ({ zh: `没有代码为“${code}”的工作维度。`, en: `No work dimension has the code "${code}".` }),
  unknownTopic: (code: string): Bilingual => ({ zh: `没有代码为“${code}”的主题。`, en: `No topic has the code "${code}".` }),
  unknownOrganization: (slug: string): Bilingual => ({ zh: `没有标识为“${slug}”的组织。`, en: `No organization has the slug "${slug}".` }),
  status: (): Bilingual => ({
    zh: `请填写以下状态之一：${storedCommitmentStatuses.join('、')}（“已逾期”由完成期限推算，不填写）。`,
    en: `Write one of: ${storedCommitmentStatuses.join(', ')} ("overdue" is worked out from the due date, never written).`,
  }),
  mayNotEditMeasures: (): Bilingual => ({
    zh: '您无权修改本文件的措施（须可编辑发文单位或签约方的记录）。',
    en: "You may not change this document's measures (that takes editing the records of its issuer or a party).",
  }),
  mayNotChange: (slug: string): Bilingual => ({
    zh: `您无权修改由“${slug}”负责的承诺。`,
    en: `You may not change commitments that "${slug}" is responsible for.`,
  }),
  allWeightsZero: (number: string): Bilingual => ({
    zh: `措施 ${number} 下的承诺权重全部为 0，其进度将无从计算。权重是相对的：各项同等重要时都填 1。`,
    en: `Every commitment under measure ${number} would weigh 0, so nothing under it would count. Weights are relative: give each 1 to weigh them equally.`,
  }),
};

// -----------------------------------------------------------------------------------------------
// Reading the file

/** A data row of the file: its row number and its cells by column. */
interface CsvRow {
  row: number;
  fieldCount: number;
  cells: Partial<Record<AgreementCsvColumn, string>>;
}

type ReadCsv = { ok: true; rows: CsvRow[]; columns: AgreementCsvColumn[] } | { ok: false; problem: Bilingual };

// A cell a spreadsheet would run as a formula is written with a leading apostrophe, which it hides.
const formulaStart = /^[=+\-@\t\r]/;

/** A cell as the export writes it: a would-be formula (not a plain number) behind an apostrophe. */
export function neutralizeCell(cell: string): string {
  return formulaStart.test(cell) && !/^-?\d+(?:\.\d+)?$/.test(cell) ? `'${cell}` : cell;
}

function restoreCell(cell: string): string {
  return cell.startsWith("'") && formulaStart.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/** Reads an agreement CSV file: UTF-8 only, the export's columns (record, measure_number, commitment_id required). */
export function readAgreementCsv(file: Uint8Array, maxRows = agreementImportLimits.maxRows): ReadCsv {
  if (file.length > agreementImportLimits.maxBytes) return { ok: false, problem: importMessages.tooLarge() };
  const decoded = decodeCsvFile(file);
  if (!decoded.ok) return { ok: false, problem: decoded.problem };
  const records: { row: number; fields: string[] }[] = [];
  let row = 0;
  try {
    parse(decoded.text, {
      bom: true,
      relax_column_count: true,
      // Empty lines are rows of a spreadsheet too: counted here, so that row numbers are the ones it shows.
      skip_empty_lines: false,
      max_record_size: 64 * 1024,
      // The header, the rows allowed, and one more to know there are too many.
      to: maxRows + 2,
      on_record: (fields: string[]) => {
        row += 1;
        if (fields.some((field) => field.trim() !== '')) records.push({ row, fields });
        return null;
      },
    });
  } catch (error) {
    return { ok: false, problem: importMessages.notCsv(error instanceof Error ? error.message : String(error)) };
  }
  const [header, ...data] = records;
  if (!header) return { ok: false, problem: importMessages.empty() };
  if (data.length > maxRows) return { ok: false, problem: importMessages.tooManyRows(maxRows) };
  const names = header.fields.map((name) => name.trim().toLowerCase());
  const unknown = names.filter((name) => !(agreementCsvColumns as readonly string[]).includes(name));
  const missing = requiredColumns.filter((name) => !names.includes(name));
  if (unknown.length > 0 || missing.length > 0) return { ok: false, problem: importMessages.columns(unknown.map((name) => name || '""'), missing) };
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated) return { ok: false, problem: importMessages.repeatedColumn(repeated) };
  if (data.length === 0) return { ok: false, problem: importMessages.noRows() };
  const columns = names as AgreementCsvColumn[];
  return {
    ok: true,
    columns,
    rows: data.map((record) => ({
      row: record.row,
      fieldCount: record.fields.length,
      cells: Object.fromEntries(columns.map((column, index) => [column, restoreCell((record.fields[index] ?? '').trim())])),
    })),
  };
}

// -----------------------------------------------------------------------------------------------
// The document as an import sees it

/** A measure's content as a file carries it; its parent by key (a stored id, or minus the row that adds it). */
interface MeasureContent {
  number: string;
  parentKey: number | null;
  position: number;
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
  /** Codes, in the list's order. */
  dimensions: string[];
  topics: string[];
}

/** A commitment's content as a file carries it; its measure by key. */
interface CommitmentContent {
  measureKey: number;
  whatZh: string;
  whatEn: string;
  responsibleId: number;
  /** In id order. */
  partnerIds: number[];
  dueOn: string | null;
  weight: number;
  status: StoredCommitmentStatus;
  progress: number;
}

/** A list a deployment keeps (work dimensions, topics): ids and order by code. */
interface CodeList {
  idOf: Map<string, number>;
  order: Map<string, number>;
}

function codeList(rows: readonly { id: number; code: string }[]): CodeList {
  return { idOf: new Map(rows.map((row) => [row.code, row.id])), order: new Map(rows.map((row, index) => [row.code, index])) };
}

/** What planning and exporting read: the document, its measures and commitments, the network and the lists. */
interface ImportContext {
  document: AgreementDocument;
  network: Network;
  bySlug: Map<string, number>;
  dimensions: CodeList;
  topics: CodeList;
  /** Stored measures by id, in reading order. */
  measures: Map<number, MeasureContent>;
  /** Stored commitments by id, in the export's order. */
  commitments: Map<number, CommitmentContent>;
}

async function loadContext(db: Executor, actor: Actor, documentId: number, lock?: 'update'): Promise<ImportContext> {
  const network = await loadNetwork(db, actor);
  const document = await loadDocument(db, network, documentId, lock);
  if (!document) throw notFound();
  const [measures, commitments, dimensions, topics] = await Promise.all([
    listMeasuresOf(db, actor, documentId),
    listCommitmentsOfDocument(db, actor, document),
    documentRepository.listWorkDimensions(db),
    documentRepository.listTopics(db),
  ]);
  return {
    document,
    network,
    bySlug: new Map(network.organizations.map((organization) => [organization.slug, organization.id])),
    dimensions: codeList(dimensions),
    topics: codeList(topics),
    measures: new Map(
      measures.map((measure) => [
        measure.id,
        {
          number: measure.number,
          parentKey: measure.parentId,
          position: measure.position,
          titleZh: measure.titleZh,
          titleEn: measure.titleEn,
          bodyZh: measure.bodyZh,
          bodyEn: measure.bodyEn,
          dimensions: measure.dimensions.map((tag) => tag.code),
          topics: measure.topics.map((tag) => tag.code),
        },
      ]),
    ),
    commitments: new Map(
      commitments.map((commitment) => [
        commitment.id,
        {
          measureKey: commitment.measureId,
          whatZh: commitment.whatZh,
          whatEn: commitment.whatEn,
          responsibleId: commitment.responsibleOrganization.id,
          partnerIds: commitment.partners.map((partner) => partner.id).sort((a, b) => a - b),
          dueOn: commitment.dueOn,
          weight: commitment.weight,
          status: commitment.storedStatus,
          progress: commitment.progress,
        },
      ]),
    ),
  };
}

/** Measures and commitments as they will be, row by row. */
class PlannedDocument {
  readonly measures: Map<number, MeasureContent>;
  readonly commitments: Map<number, CommitmentContent>;
  private readonly keyOfNumber = new Map<string, number>();
  // The last position under each parent (0: the top), for placing a measure after its siblings.
  private readonly lastPosition = new Map<number, number>();

  constructor(context: ImportContext) {
    this.measures = new Map([...context.measures].map(([key, content]) => [key, { ...content }]));
    this.commitments = new Map([...context.commitments].map(([key, content]) => [key, { ...content }]));
    for (const [key, measure] of this.measures) this.index(key, measure);
  }

  private index(key: number, measure: MeasureContent): void {
    this.keyOfNumber.set(measure.number, key);
    const parent = measure.parentKey ?? 0;
    this.lastPosition.set(parent, Math.max(this.lastPosition.get(parent) ?? 0, measure.position));
  }

  measureKey(number: string): number | undefined {
    return this.keyOfNumber.get(number);
  }

  numberOf(key: number | null): string {
    return key === null ? '' : (this.measures.get(key)?.number ?? '');
  }

  setMeasure(key: number, content: MeasureContent): void {
    this.measures.set(key, content);
    this.index(key, content);
  }

  tree(): { id: number; parentId: number | null }[] {
    return [...this.measures].map(([id, measure]) => ({ id, parentId: measure.parentKey }));
  }

  /** The position after the last measure under the same parent (as the forms place a new measure). */
  nextPosition(parentKey: number | null): number {
    return (this.lastPosition.get(parentKey ?? 0) ?? 0) + 10;
  }
}

// -----------------------------------------------------------------------------------------------
// Field texts: what the file writes, and what a change shows

function listText(values: readonly string[]): string {
  return values.join(';');
}

function splitList(cell: string): string[] {
  return [...new Set(cell.split(/[;|,，；、]/).map((part) => part.trim()).filter(Boolean))];
}

function numberText(value: number): string {
  return String(value);
}

function measureCells(planned: PlannedDocument, content: MeasureContent): Partial<Record<AgreementCsvColumn, string>> {
  return {
    measure_number: content.number,
    parent_number: planned.numberOf(content.parentKey),
    position: numberText(content.position),
    title_zh: content.titleZh,
    title_en: content.titleEn,
    body_zh: content.bodyZh,
    body_en: content.bodyEn,
    dimensions: listText(content.dimensions),
    topics: listText(content.topics),
  };
}

function commitmentCells(context: ImportContext, planned: PlannedDocument, content: CommitmentContent): Partial<Record<AgreementCsvColumn, string>> {
  const slug = (id: number) => context.network.ref(id).slug;
  return {
    measure_number: planned.numberOf(content.measureKey),
    what_zh: content.whatZh,
    what_en: content.whatEn,
    responsible: slug(content.responsibleId),
    partners: listText(content.partnerIds.map(slug)),
    due_on: content.dueOn ?? '',
    weight: numberText(content.weight),
    status: content.status,
    progress: numberText(content.progress),
  };
}

/** The columns whose text differs, before → after. */
function changesBetween(before: Partial<Record<AgreementCsvColumn, string>>, after: Partial<Record<AgreementCsvColumn, string>>): ImportedRecord['changes'] {
  return agreementCsvColumns.flatMap((field) => {
    const was = before[field] ?? '';
    const now = after[field] ?? '';
    return was === now ? [] : [{ field, before: was, after: now }];
  });
}

// -----------------------------------------------------------------------------------------------
// Checking a row's fields with the forms' schemas

const zhErrors = z.locales.zhCN().localeError;
const enErrors = z.locales.en().localeError;

const measureFields = measurePatch.pick({ number: true, position: true, titleZh: true, titleEn: true, bodyZh: true, bodyEn: true });
const commitmentFields = commitmentPatch.pick({ whatZh: true, whatEn: true, dueOn: true, weight: true, status: true, progress: true });

const columnOfField: Record<string, AgreementCsvColumn> = {
  number: 'measure_number',
  position: 'position',
  titleZh: 'title_zh',
  titleEn: 'title_en',
  bodyZh: 'body_zh',
  bodyEn: 'body_en',
  whatZh: 'what_zh',
  whatEn: 'what_en',
  dueOn: 'due_on',
  weight: 'weight',
  status: 'status',
  progress: 'progress',
};

/** Checks the cells given with a schema; the first message per field, in both languages, named by its column. */
function checkFields<S extends z.ZodType>(schema: S, input: Record<string, string>, problems: Bilingual[]): Partial<z.output<S>> {
  const en = schema.safeParse(input, { error: enErrors });
  if (en.success) return en.data as Partial<z.output<S>>;
  const zh = schema.safeParse(input, { error: zhErrors });
  const seen = new Set<string>();
  for (const [index, issue] of en.error.issues.entries()) {
    const field = String(issue.path[0] ?? '');
    if (seen.has(field)) continue;
    seen.add(field);
    const ours = fieldMessage(issue.message);
    const text =
      field === 'status' ? importMessages.status() : { en: issue.message, zh: ours.zh !== issue.message ? ours.zh : (zh.error?.issues[index]?.message ?? issue.message) };
    problems.push(importMessages.field(columnOfField[field] ?? field, text));
  }
  return {};
}

/**
 * The cells of the given columns, keyed by the schema's field names. A blank cell of a field that cannot be
 * empty (a Chinese title, a weight, a status, progress) is left out: it keeps what is stored, or takes the
 * forms' default for a new record; any other blank cell empties its field.
 */
function fieldInput(cells: CsvRow['cells'], fields: Record<string, AgreementCsvColumn>, keepWhenBlank: readonly string[]): Record<string, string> {
  const input: Record<string, string> = {};
  for (const [field, column] of Object.entries(fields)) {
    const cell = cells[column];
    if (cell === undefined || (cell === '' && keepWhenBlank.includes(field))) continue;
    input[field] = cell;
  }
  return input;
}

/** Codes of a list cell, in the list's order; unknown ones are problems. */
function codesOf(cell: string, list: CodeList, unknown: (code: string) => Bilingual, column: AgreementCsvColumn, problems: Bilingual[]): string[] {
  const codes = splitList(cell);
  for (const code of codes) if (!list.idOf.has(code)) problems.push(importMessages.field(column, unknown(code)));
  return codes.filter((code) => list.idOf.has(code)).sort((a, b) => (list.order.get(a) ?? 0) - (list.order.get(b) ?? 0));
}

// -----------------------------------------------------------------------------------------------
// Planning: what a file would add and change

/** A planned write of a measure: added (id null, key = minus its row) or changed. */
interface PlannedMeasure {
  key: number;
  row: number;
  id: number | null;
  before: MeasureContent | null;
  after: MeasureContent;
}

/** A planned write of a commitment: added (id null) or changed. */
interface PlannedCommitment {
  row: number;
  id: number | null;
  before: CommitmentContent | null;
  after: CommitmentContent;
}

/** What a file would do: the writes, and the report. */
interface AgreementImportPlan {
  measures: PlannedMeasure[];
  commitments: PlannedCommitment[];
  planned: PlannedDocument;
  report: Pick<AgreementImportReport, 'rows' | 'added' | 'updated' | 'unchanged' | 'refused' | 'weights'>;
}

function sameMeasure(a: MeasureContent, b: MeasureContent): boolean {
  return (
    a.number === b.number &&
    a.parentKey === b.parentKey &&
    a.position === b.position &&
    a.titleZh === b.titleZh &&
    a.titleEn === b.titleEn &&
    a.bodyZh === b.bodyZh &&
    a.bodyEn === b.bodyEn &&
    listText(a.dimensions) === listText(b.dimensions) &&
    listText(a.topics) === listText(b.topics)
  );
}

function sameCommitment(a: CommitmentContent, b: CommitmentContent): boolean {
  return (
    a.measureKey === b.measureKey &&
    a.whatZh === b.whatZh &&
    a.whatEn === b.whatEn &&
    a.responsibleId === b.responsibleId &&
    a.partnerIds.join(',') === b.partnerIds.join(',') &&
    a.dueOn === b.dueOn &&
    a.weight === b.weight &&
    a.status === b.status &&
    a.progress === b.progress
  );
}

/** The record a row stands for, and what is wrong with its shape whatever it says. */
function recordOf(row: CsvRow, columns: number): { record: CsvRecord | null; problems: Bilingual[] } {
  const problems: Bilingual[] = [];
  if (row.fieldCount > columns) problems.push(importMessages.tooManyFields(row.fieldCount, columns));
  const value = (row.cells.record ?? '').toLowerCase();
  const record = value === 'measure' || value === 'commitment' ? value : null;
  if (record === null) {
    problems.push(importMessages.field('record', importMessages.record()));
    return { record, problems };
  }
  const other: CsvRecord = record === 'measure' ? 'commitment' : 'measure';
  for (const column of columnsOf[other]) {
    if ((row.cells[column] ?? '') !== '') problems.push(importMessages.field(column, importMessages.otherRecordsColumn(record)));
  }
  return { record, problems };
}

/** Plans the measure rows, in file order: each as if the rows before it were written. */
function planMeasures(context: ImportContext, planned: PlannedDocument, rows: readonly { row: CsvRow; problems: Bilingual[] }[], plan: AgreementImportPlan) {
  const editable = mayEditDocument(context.network, ownersOf(context.document));
  const rowOfKey = new Map<number, number>();
  const refusedNumbers = new Map<string, number>();
  const firstRowOfNumber = new Map<string, number>();
  for (const { row } of rows) {
    const number = row.cells.measure_number ?? '';
    if (number !== '' && !firstRowOfNumber.has(number)) firstRowOfNumber.set(number, row.row);
  }
  for (const { row, problems } of rows) {
    const { cells } = row;
    const refuse = (): void => {
      plan.report.refused.push({ row: row.row, problems });
      if (cells.measure_number) refusedNumbers.set(cells.measure_number, row.row);
    };
    const input = fieldInput(cells, { number: 'measure_number', position: 'position', titleZh: 'title_zh', titleEn: 'title_en', bodyZh: 'body_zh', bodyEn: 'body_en' }, ['titleZh']);
    const fields = checkFields(measureFields, input, problems);
    const number = fields.number ?? cells.measure_number ?? '';
    const key = planned.measureKey(number);
    const current = key === undefined ? undefined : planned.measures.get(key);
    const earlier = key === undefined ? undefined : rowOfKey.get(key);
    if (earlier !== undefined) problems.push(importMessages.sameMeasureAs(earlier));

    // The parent: stored, or added by an earlier row.
    let parentKey = current?.parentKey ?? null;
    const parentNumber = cells.parent_number;
    if (parentNumber !== undefined) {
      parentKey = null;
      if (parentNumber !== '') {
        const found = planned.measureKey(parentNumber);
        const later = firstRowOfNumber.get(parentNumber);
        if (found !== undefined) parentKey = found;
        else if (refusedNumbers.has(parentNumber)) problems.push(importMessages.field('parent_number', importMessages.measureRefused(refusedNumbers.get(parentNumber) ?? 0)));
        else if (later !== undefined && later > row.row) problems.push(importMessages.field('parent_number', importMessages.parentLater(later)));
        else problems.push(importMessages.field('parent_number', importMessages.unknownMeasure(parentNumber)));
      }
    }
    // Only a move can make a cycle (the tree as stored has none).
    if (key !== undefined && parentKey !== null && parentKey !== current?.parentKey && makesCycle(planned.tree(), key, parentKey)) {
      problems.push(importMessages.field('parent_number', agreementMessages.cycle()));
    }

    const dimensions = cells.dimensions === undefined ? (current?.dimensions ?? []) : codesOf(cells.dimensions, context.dimensions, importMessages.unknownDimension, 'dimensions', problems);
    const topics = cells.topics === undefined ? (current?.topics ?? []) : codesOf(cells.topics, context.topics, importMessages.unknownTopic, 'topics', problems);
    const titleZh = fields.titleZh ?? current?.titleZh;
    if (titleZh === undefined && input.titleZh === undefined) problems.push(importMessages.field('title_zh', importMessages.required('measure')));
    if (problems.length > 0 || titleZh === undefined) {
      refuse();
      continue;
    }
    const moved = current === undefined || current.parentKey !== parentKey;
    const content: MeasureContent = {
      number,
      parentKey,
      position: fields.position ?? (moved ? planned.nextPosition(parentKey) : current.position),
      titleZh,
      titleEn: fields.titleEn ?? current?.titleEn ?? '',
      bodyZh: fields.bodyZh ?? current?.bodyZh ?? '',
      bodyEn: fields.bodyEn ?? current?.bodyEn ?? '',
      dimensions,
      topics,
    };
    if (key !== undefined && current && sameMeasure(current, content)) {
      rowOfKey.set(key, row.row);
      plan.report.unchanged += 1;
      continue;
    }
    if (!editable) {
      problems.push(importMessages.mayNotEditMeasures());
      refuse();
      continue;
    }
    const plannedKey = key ?? -row.row;
    const before = current ? { ...current } : null;
    const changes = before ? changesBetween(measureCells(planned, before), measureCells(planned, content)) : [];
    planned.setMeasure(plannedKey, content);
    rowOfKey.set(plannedKey, row.row);
    plan.measures.push({ key: plannedKey, row: row.row, id: key ?? null, before, after: content });
    const entry: ImportedRecord = { row: row.row, record: 'measure', id: key ?? null, measureNumber: number, nameZh: content.titleZh, nameEn: content.titleEn, changes };
    (before ? plan.report.updated : plan.report.added).push(entry);
  }
  return { refusedNumbers };
}

/** The weight each commitment row would give, to find measures whose weights would all be zero. */
function measuresWeighingNothing(planned: PlannedDocument, rows: readonly { row: CsvRow }[]): Set<number> {
  const weights = new Map<number, number>();
  for (const [id, commitment] of planned.commitments) weights.set(id, commitment.status === 'dropped' ? Number.NaN : commitment.weight);
  const added: { measureKey: number; weight: number }[] = [];
  for (const { row } of rows) {
    const id = Number(row.cells.commitment_id);
    const current = Number.isInteger(id) && id > 0 ? planned.commitments.get(id) : undefined;
    const number = row.cells.measure_number ?? '';
    const measureKey = number === '' ? current?.measureKey : planned.measureKey(number);
    const weightCell = row.cells.weight ?? '';
    const weight = weightCell === '' ? (current?.weight ?? 1) : Number(weightCell.replace('，', '.'));
    if (measureKey === undefined) continue;
    if (current) weights.delete(id);
    added.push({ measureKey, weight: (row.cells.status || current?.status) === 'dropped' ? Number.NaN : weight });
  }
  const byMeasure = new Map<number, number[]>();
  const note = (measureKey: number, weight: number) => {
    if (!Number.isNaN(weight)) byMeasure.set(measureKey, [...(byMeasure.get(measureKey) ?? []), weight]);
  };
  for (const [id, weight] of weights) note(planned.commitments.get(id)?.measureKey ?? 0, weight);
  for (const row of added) note(row.measureKey, row.weight);
  return new Set([...byMeasure].filter(([, list]) => list.length > 0 && list.every((weight) => weight === 0)).map(([key]) => key));
}

/** Plans the commitment rows, in file order, against the measures as the file leaves them. */
function planCommitments(
  context: ImportContext,
  planned: PlannedDocument,
  rows: readonly { row: CsvRow; problems: Bilingual[] }[],
  refusedNumbers: ReadonlyMap<string, number>,
  plan: AgreementImportPlan,
) {
  const owners = ownersOf(context.document);
  const mayChange = (organizationId: number) => mayChangeCommitment(context.network, owners, organizationId);
  const weighingNothing = measuresWeighingNothing(planned, rows);
  const rowOfId = new Map<number, number>();
  for (const { row, problems } of rows) {
    const { cells } = row;
    const field = (column: AgreementCsvColumn, text: Bilingual) => problems.push(importMessages.field(column, text));
    const refuse = () => plan.report.refused.push({ row: row.row, problems });

    let id: number | null = null;
    const idCell = cells.commitment_id ?? '';
    if (idCell !== '') {
      if (/^\d{1,9}$/.test(idCell) && Number(idCell) > 0) id = Number(idCell);
      else field('commitment_id', importMessages.notAnId(idCell));
    }
    const current = id === null ? undefined : planned.commitments.get(id);
    if (id !== null && !current) field('commitment_id', importMessages.unknownCommitment(id));
    // A row naming a commitment that is not there is no new commitment either: its other cells say nothing more.
    if (idCell !== '' && !current) {
      refuse();
      continue;
    }
    const earlier = id === null ? undefined : rowOfId.get(id);
    if (id !== null && earlier !== undefined) problems.push(importMessages.sameCommitmentAs(earlier));
    if (id !== null && earlier === undefined) rowOfId.set(id, row.row);

    let measureKey = current?.measureKey;
    const number = cells.measure_number ?? '';
    if (number !== '') {
      measureKey = planned.measureKey(number);
      if (measureKey === undefined) field('measure_number', refusedNumbers.has(number) ? importMessages.measureRefused(refusedNumbers.get(number) ?? 0) : importMessages.unknownMeasure(number));
    } else if (id === null) field('measure_number', importMessages.required('commitment'));

    const input = fieldInput(cells, { whatZh: 'what_zh', whatEn: 'what_en', dueOn: 'due_on', weight: 'weight', status: 'status', progress: 'progress' }, ['whatZh', 'weight', 'status', 'progress']);
    const zeroWeight = measureKey !== undefined && weighingNothing.has(measureKey) && input.weight !== undefined;
    if (zeroWeight) {
      problems.push(importMessages.field('weight', importMessages.allWeightsZero(planned.numberOf(measureKey ?? null))));
      delete input.weight;
    }
    const fields = checkFields(commitmentFields, input, problems);

    const organization = (column: 'responsible' | 'partners', slug: string): number | undefined => {
      const found = context.bySlug.get(slug);
      if (found === undefined) field(column, importMessages.unknownOrganization(slug));
      return found;
    };
    let responsibleId = current?.responsibleId;
    if ((cells.responsible ?? '') !== '') responsibleId = organization('responsible', cells.responsible ?? '');
    else if (!current) field('responsible', importMessages.required('commitment'));
    const partnerIds =
      cells.partners === undefined
        ? (current?.partnerIds ?? [])
        : splitList(cells.partners)
            .flatMap((slug) => organization('partners', slug) ?? [])
            .sort((a, b) => a - b);
    const whatZh = fields.whatZh ?? current?.whatZh;
    if (whatZh === undefined && input.whatZh === undefined) field('what_zh', importMessages.required('commitment'));

    const status = fields.status ?? current?.status ?? 'not_started';
    const progress = fields.progress ?? (status === 'done' ? 100 : status === 'not_started' ? 0 : (current?.progress ?? 0));
    const dueOn = cells.due_on === undefined ? (current?.dueOn ?? null) : (fields.dueOn ?? null);
    if (responsibleId !== undefined && !mayBeResponsible(context.network, owners, responsibleId)) field('responsible', agreementMessages.notAParty());
    if (responsibleId !== undefined && partnerIds.includes(responsibleId)) field('partners', agreementMessages.partnerIsResponsible());
    if (dueOn !== null && dueOn < context.document.signedOn) field('due_on', agreementMessages.dueBeforeDocument(context.document.signedOn));
    if (status === 'done' && progress !== 100) field('progress', agreementMessages.doneIsFull());
    if (status === 'not_started' && progress !== 0) field('progress', agreementMessages.notStartedIsZero());
    if (problems.length > 0 || measureKey === undefined || responsibleId === undefined || whatZh === undefined) {
      refuse();
      continue;
    }
    const content: CommitmentContent = {
      measureKey,
      whatZh,
      whatEn: fields.whatEn ?? current?.whatEn ?? '',
      responsibleId,
      partnerIds,
      dueOn,
      weight: fields.weight ?? current?.weight ?? 1,
      status,
      progress,
    };
    if (current && sameCommitment(current, content)) {
      plan.report.unchanged += 1;
      continue;
    }
    // Whoever may not change the commitment as it is, or as it would be, is refused; an unchanged row is not.
    if (current && !mayChange(current.responsibleId)) problems.push(importMessages.mayNotChange(context.network.ref(current.responsibleId).slug));
    else if (!mayChange(content.responsibleId)) field('responsible', agreementMessages.notYours());
    if (problems.length > 0) {
      refuse();
      continue;
    }
    const changes = current ? changesBetween(commitmentCells(context, planned, current), commitmentCells(context, planned, content)) : [];
    plan.commitments.push({ row: row.row, id, before: current ? { ...current } : null, after: content });
    if (id !== null) planned.commitments.set(id, content);
    const entry: ImportedRecord = { row: row.row, record: 'commitment', id, measureNumber: planned.numberOf(measureKey), nameZh: content.whatZh, nameEn: content.whatEn, changes };
    (current ? plan.report.updated : plan.report.added).push(entry);
  }
}

/** The weight counted under each measure, with the measures below it (dropped commitments left out). */
function weightsUnder(measures: ReadonlyMap<number, MeasureContent>, commitments: Iterable<CommitmentContent>): { byMeasure: Map<number, ProgressSums>; total: number } {
  const direct = new Map<number, ProgressSums>();
  let total = 0;
  for (const commitment of commitments) {
    if (commitment.status === 'dropped') continue;
    const sums = direct.get(commitment.measureKey) ?? { weighted: 0, weight: 0, count: 0 };
    direct.set(commitment.measureKey, { weighted: 0, weight: sums.weight + commitment.weight, count: sums.count + 1 });
    total += commitment.weight;
  }
  return { byMeasure: rollUpMeasures([...measures].map(([id, measure]) => ({ id, parentId: measure.parentKey })), direct), total };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Per measure, the weight counted under it before and after the plan, in reading order (new measures last). */
function measureWeights(context: ImportContext, plan: AgreementImportPlan): MeasureWeight[] {
  const before = weightsUnder(context.measures, context.commitments.values());
  const after = weightsUnder(plan.planned.measures, [...plan.planned.commitments.values(), ...plan.commitments.filter((write) => write.id === null).map((write) => write.after)]);
  const share = (weight: number, total: number) => (total > 0 ? progressOf({ weighted: weight * 100, weight: total, count: 0 }) : null);
  return [...plan.planned.measures].flatMap(([key, measure]) => {
    const was = before.byMeasure.get(key)?.weight ?? 0;
    const now = after.byMeasure.get(key)?.weight ?? 0;
    if (was === 0 && now === 0) return [];
    return [{ number: measure.number, titleZh: measure.titleZh, titleEn: measure.titleEn, before: round(was), after: round(now), shareBefore: share(was, before.total), shareAfter: share(now, after.total) }];
  });
}

/**
 * Works out what a file would do to a document: measure rows first, in file order (a parent stored or
 * added by an earlier row), then commitment rows against the measures as the file leaves them.
 */
function planImport(context: ImportContext, read: { rows: CsvRow[]; columns: AgreementCsvColumn[] }): AgreementImportPlan {
  const planned = new PlannedDocument(context);
  const plan: AgreementImportPlan = { measures: [], commitments: [], planned, report: { rows: read.rows.length, added: [], updated: [], unchanged: 0, refused: [], weights: [] } };
  const measureRows: { row: CsvRow; problems: Bilingual[] }[] = [];
  const commitmentRows: { row: CsvRow; problems: Bilingual[] }[] = [];
  for (const row of read.rows) {
    const { record, problems } = recordOf(row, read.columns.length);
    if (record === 'measure') measureRows.push({ row, problems });
    else if (record === 'commitment') commitmentRows.push({ row, problems });
    else plan.report.refused.push({ row: row.row, problems });
  }
  const { refusedNumbers } = planMeasures(context, planned, measureRows, plan);
  planCommitments(context, planned, commitmentRows, refusedNumbers, plan);
  const byRow = (a: { row: number }, b: { row: number }) => a.row - b.row;
  plan.report.refused.sort(byRow);
  plan.report.added.sort(byRow);
  plan.report.updated.sort(byRow);
  plan.report.weights = measureWeights(context, plan);
  return plan;
}

// -----------------------------------------------------------------------------------------------
// Writing

function auditedMeasure(id: number, documentId: number, content: MeasureContent, parentId: number | null) {
  const { parentKey: _parentKey, ...rest } = content;
  return { id, documentId, parentId, ...rest };
}

function auditedCommitment(id: number, documentId: number, content: CommitmentContent, measureId: number) {
  const { measureKey: _measureKey, responsibleId, ...rest } = content;
  return { id, documentId, measureId, responsibleOrganizationId: responsibleId, ...rest };
}

/** Writes a plan: new measures (parents first), changed ones, their tags, then commitments and partners; an audit event each. */
async function writePlan(tx: Executor, actor: Actor, context: ImportContext, plan: AgreementImportPlan): Promise<void> {
  const documentId = context.document.id;
  const idOfKey = new Map<number, number>();
  const idOf = (key: number | null): number | null => {
    if (key === null || key > 0) return key;
    const id = idOfKey.get(key);
    if (id === undefined) throw new Error(`measure of row ${-key} not written yet`);
    return id;
  };
  const measureIdOf = (key: number): number => idOf(key) ?? 0;
  const audits: AuditEntry[] = [];

  // New measures in waves: a wave ends where a measure's parent is added in that very wave.
  let wave: PlannedMeasure[] = [];
  const flush = async () => {
    const ids = await importRepository.insertMeasures(
      tx,
      wave.map((write) => ({
        document_id: documentId,
        parent_id: idOf(write.after.parentKey),
        number: write.after.number,
        position: write.after.position,
        title_zh: write.after.titleZh,
        title_en: write.after.titleEn,
        body_zh: write.after.bodyZh,
        body_en: write.after.bodyEn,
      })),
    );
    wave.forEach((write, index) => idOfKey.set(write.key, ids[index] ?? 0));
    wave = [];
  };
  for (const write of plan.measures.filter((candidate) => candidate.id === null)) {
    const parentKey = write.after.parentKey;
    if (parentKey !== null && parentKey < 0 && !idOfKey.has(parentKey)) await flush();
    wave.push(write);
  }
  await flush();
  const changed = plan.measures.filter((write): write is PlannedMeasure & { id: number; before: MeasureContent } => write.id !== null && write.before !== null);
  await importRepository.updateMeasures(
    tx,
    changed.map((write) => ({
      id: write.id,
      parent_id: idOf(write.after.parentKey),
      position: write.after.position,
      title_zh: write.after.titleZh,
      title_en: write.after.titleEn,
      body_zh: write.after.bodyZh,
      body_en: write.after.bodyEn,
    })),
  );
  const retagged = plan.measures.filter(
    (write) => !write.before || listText(write.before.dimensions) !== listText(write.after.dimensions) || listText(write.before.topics) !== listText(write.after.topics),
  );
  await importRepository.replaceMeasureTags(
    tx,
    retagged.map((write) => measureIdOf(write.key)),
    retagged.flatMap((write) => write.after.dimensions.map((code) => ({ measure_id: measureIdOf(write.key), dimension_id: context.dimensions.idOf.get(code) ?? 0 }))),
    retagged.flatMap((write) => write.after.topics.map((code) => ({ measure_id: measureIdOf(write.key), topic_id: context.topics.idOf.get(code) ?? 0 }))),
  );
  for (const write of plan.measures) {
    const id = measureIdOf(write.key);
    audits.push({
      action: write.before ? 'update' : 'create',
      entityType: 'measure',
      entityId: id,
      before: write.before ? auditedMeasure(id, documentId, write.before, idOf(write.before.parentKey)) : null,
      after: auditedMeasure(id, documentId, write.after, idOf(write.after.parentKey)),
    });
  }

  const columnsOfCommitment = (content: CommitmentContent) => ({
    measure_id: measureIdOf(content.measureKey),
    what_zh: content.whatZh,
    what_en: content.whatEn,
    responsible_organization_id: content.responsibleId,
    due_on: content.dueOn,
    weight: content.weight,
    status: content.status,
    progress: content.progress,
  });
  const added = plan.commitments.filter((write) => write.id === null);
  const newIds = await importRepository.insertCommitments(
    tx,
    added.map((write) => ({ document_id: documentId, ...columnsOfCommitment(write.after) })),
  );
  const updated = plan.commitments.filter((write): write is PlannedCommitment & { id: number } => write.id !== null);
  await importRepository.updateCommitments(
    tx,
    updated.map((write) => ({ id: write.id, ...columnsOfCommitment(write.after) })),
  );
  const written = [...added.map((write, index) => ({ ...write, id: newIds[index] ?? 0 })), ...updated];
  const repartnered = written.filter((write) => !write.before || write.before.partnerIds.join(',') !== write.after.partnerIds.join(','));
  await importRepository.replaceCommitmentPartners(
    tx,
    repartnered.map((write) => write.id),
    repartnered.flatMap((write) => write.after.partnerIds.map((organizationId) => ({ commitment_id: write.id, organization_id: organizationId }))),
  );
  for (const write of written) {
    audits.push({
      action: write.before ? 'update' : 'create',
      entityType: 'commitment',
      entityId: write.id,
      before: write.before ? auditedCommitment(write.id, documentId, write.before, measureIdOf(write.before.measureKey)) : null,
      after: auditedCommitment(write.id, documentId, write.after, measureIdOf(write.after.measureKey)),
    });
  }
  await recordAudits(tx, actor, audits);
}

// -----------------------------------------------------------------------------------------------
// Import and export

/** Tells whether the actor may import into the document: change its measures, or some of its commitments. */
function mayImportInto(network: Network, document: AgreementDocument): boolean {
  const owners = ownersOf(document);
  return mayEditDocument(network, owners) || network.organizations.some((organization) => mayChangeCommitment(network, owners, organization.id));
}

/** Tells whether the actor may import into the document (for showing the form). */
export async function mayImportDocument(db: Executor, actor: Actor, document: AgreementDocument): Promise<boolean> {
  await assertCanRead(db, actor);
  return mayImportInto(await loadNetwork(db, actor), document);
}

/** Reads the document for an import, refused as "not found" unless the actor may import into it. */
export async function assertMayImport(db: Executor, actor: Actor, documentId: number): Promise<AgreementDocument> {
  await assertCanRead(db, actor);
  const network = await loadNetwork(db, actor);
  const document = await loadDocument(db, network, documentId);
  if (!document || !mayImportInto(network, document)) throw notFound();
  return document;
}

/**
 * Imports a CSV file of a document's measures and commitments. A dry run reports what would be added and
 * changed (each column before → after), which rows are refused and why, and the weights per measure; a
 * real import is all or nothing, under the document's row lock, audited per record.
 */
export async function importAgreementCsv(
  db: Kysely<Database>,
  actor: Actor,
  documentId: number,
  file: Uint8Array,
  options: { dryRun: boolean },
): Promise<AgreementImportReport> {
  await assertMayImport(db, actor, documentId);
  const empty = { documentId, dryRun: options.dryRun, written: false, rows: 0, added: [], updated: [], unchanged: 0, refused: [], weights: [] };
  const read = readAgreementCsv(file);
  if (!read.ok) return { ...empty, fileProblem: read.problem };
  if (options.dryRun) {
    const plan = planImport(await loadContext(db, actor, documentId), read);
    return { ...empty, ...plan.report, fileProblem: null };
  }
  return db.transaction().execute(async (tx) => {
    // Check and write against the same document: every other change to it waits for its row.
    const context = await loadContext(tx, actor, documentId, 'update');
    const plan = planImport(context, read);
    if (plan.report.refused.length > 0) return { ...empty, ...plan.report, fileProblem: null };
    await writePlan(tx, actor, context, plan);
    return { ...empty, ...plan.report, written: true, fileProblem: null };
  });
}

/**
 * A document's measures and commitments as CSV for a spreadsheet: UTF-8 with a byte-order mark (so that
 * Excel reads the Chinese right), CRLF lines, each measure (parents first) followed by its commitments,
 * organizations by slug, dimensions and topics by code, cells a spreadsheet would run as formulas behind
 * an apostrophe. It imports again unchanged. Any member of the network's staff may export.
 */
export async function exportAgreementCsv(db: Executor, actor: Actor, documentId: number): Promise<{ document: AgreementDocument; csv: string }> {
  await assertCanRead(db, actor);
  const context = await loadContext(db, actor, documentId);
  const planned = new PlannedDocument(context);
  const commitmentsOf = new Map<number, [number, CommitmentContent][]>();
  for (const [id, commitment] of context.commitments) commitmentsOf.set(commitment.measureKey, [...(commitmentsOf.get(commitment.measureKey) ?? []), [id, commitment]]);
  const line = (record: CsvRecord, cells: Partial<Record<AgreementCsvColumn, string>>) =>
    agreementCsvColumns.map((column) => neutralizeCell(column === 'record' ? record : (cells[column] ?? '')));
  const rows = [...context.measures].flatMap(([id, measure]) => [
    line('measure', measureCells(planned, measure)),
    ...(commitmentsOf.get(id) ?? []).map(([commitmentId, commitment]) =>
      line('commitment', { ...commitmentCells(context, planned, commitment), commitment_id: String(commitmentId) }),
    ),
  ]);
  return { document: context.document, csv: `\uFEFF${stringify([[...agreementCsvColumns], ...rows], { record_delimiter: 'windows' })}` };
}
