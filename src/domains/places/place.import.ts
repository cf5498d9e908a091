import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database, Executor } from '../../db/database.ts';
import { assertCanRead, type Actor } from '../../platform/access.ts';
import { recordAudits, type AuditEntry } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import * as placeRepository from './place.repository.ts';
import {
  fieldMessage,
  formatPlaceReference,
  levelFitsUnder,
  parsePlaceReference,
  placeMessages,
  resolvePlaceReference,
  type Bilingual,
  type PlaceLookup,
} from './place.rules.ts';
import { placeCsvFields } from './place.schema.ts';
import { placeTerritory, type PlaceTerritory } from './place.service.ts';
import type { NewPlaceRow, PlaceLevel } from './place.table.ts';

/** The columns of a places CSV file, in the order the export writes them. */
export const placeCsvColumns = ['code', 'name_zh', 'name_en', 'level', 'parent_code', 'lat', 'lon'] as const;
type PlaceCsvColumn = (typeof placeCsvColumns)[number];

/** The largest file and the most rows an import takes. */
export const placeImportLimits = { maxBytes: 5 * 1024 * 1024, maxRows: 100_000 };

/** A row that adds or changes a place. */
export interface ImportedRow {
  /** The row's line in the file (the header is line 1). */
  row: number;
  code: string | null;
  nameZh: string;
  level: PlaceLevel;
  /** For a changed place: each field that changes, before and after. */
  changes: { field: PlaceCsvColumn; before: string; after: string }[];
}

/** A row that is refused, and why. */
export interface RefusedRow {
  row: number;
  problems: Bilingual[];
}

/** What an import did, or would do in a dry run. */
export interface PlaceImportReport {
  dryRun: boolean;
  /** Whether the changes were written: a real import in which no row was refused. */
  written: boolean;
  /** Why the whole file was refused (not UTF-8, not CSV, wrong columns, too many rows); null when it was read. */
  fileProblem: Bilingual | null;
  /** How many rows the file has besides its header. */
  rows: number;
  added: ImportedRow[];
  updated: ImportedRow[];
  unchanged: number;
  refused: RefusedRow[];
}

const message = {
  empty: (): Bilingual => ({ zh: '文件是空的。', en: 'The file is empty.' }),
  notUtf8: (): Bilingual => ({
    zh: '文件不是 UTF-8 编码（可能是 GBK/GB18030）。请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”后再导入。',
    en: 'The file is not UTF-8 (perhaps GBK/GB18030); save it as "CSV UTF-8 (Comma delimited)" and import it again.',
  }),
  notCsv: (detail: string): Bilingual => ({ zh: `文件不是有效的 CSV：${detail}`, en: `The file is not valid CSV: ${detail}` }),
  noRows: (): Bilingual => ({ zh: '文件中除表头外没有数据行。', en: 'The file has no rows besides its header.' }),
  tooManyRows: (limit: number): Bilingual => ({
    zh: `文件超过 ${limit.toLocaleString('en')} 行；请拆分后分批导入。`,
    en: `The file has more than ${limit.toLocaleString('en')} rows; split it and import the parts one after another.`,
  }),
  unknownColumns: (names: string[]): Bilingual => ({
    zh: `未知的列：${names.join('、')}。可用的列：${placeCsvColumns.join(', ')}。`,
    en: `Unknown column(s): ${names.join(', ')}. The columns are: ${placeCsvColumns.join(', ')}.`,
  }),
  missingColumns: (names: string[]): Bilingual => ({
    zh: `缺少必需的列：${names.join('、')}。`,
    en: `Required column(s) missing: ${names.join(', ')}.`,
  }),
  repeatedColumn: (name: string): Bilingual => ({ zh: `列“${name}”出现了不止一次。`, en: `The column "${name}" appears more than once.` }),
  tooManyFields: (count: number, columns: number): Bilingual => ({
    zh: `该行有 ${count} 个字段，而表头只有 ${columns} 列。`,
    en: `The row has ${count} fields; the header has ${columns} columns.`,
  }),
  repeatedCode: (code: string, row: number): Bilingual => ({
    zh: `代码 ${code} 已出现在第 ${row} 行。`,
    en: `The code ${code} appears in row ${row} already.`,
  }),
  samePlaceAs: (row: number): Bilingual => ({
    zh: `第 ${row} 行已指向同一地点。`,
    en: `Row ${row} stands for the same place already.`,
  }),
  parentRefused: (row: number): Bilingual => ({
    zh: `其上级（第 ${row} 行）被拒绝。`,
    en: `Its parent (row ${row}) is refused.`,
  }),
  parentLater: (row: number): Bilingual => ({
    zh: `其上级在后面的第 ${row} 行；请把上级放在下级之前。`,
    en: `Its parent comes later, in row ${row}; put parents before the places under them.`,
  }),
  field: (column: string, text: Bilingual): Bilingual => ({ zh: `${column}：${text.zh}`, en: `${column}: ${text.en}` }),
};

// -----------------------------------------------------------------------------------------------
// Reading the file

/** Decodes a file as UTF-8 (a byte-order mark is dropped); refuses anything else, GBK above all. */
export function decodeCsvFile(bytes: Uint8Array): { ok: true; text: string } | { ok: false; problem: Bilingual } {
  if (bytes.length === 0) return { ok: false, problem: message.empty() };
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, problem: message.notUtf8() };
  }
}

/** A data row of the file: its line and its cells by column. */
interface CsvRow {
  line: number;
  fieldCount: number;
  cells: Partial<Record<PlaceCsvColumn, string>>;
}

/** Reads CSV text into rows by column name; refuses a file that is not CSV, has unknown columns or too many rows. */
export function readPlaceCsv(text: string, maxRows = placeImportLimits.maxRows): { ok: true; rows: CsvRow[]; columns: number } | { ok: false; problem: Bilingual } {
  const records: { line: number; fields: string[] }[] = [];
  try {
    parse(text, {
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: 64 * 1024,
      // The header, the rows allowed, and one more to know there are too many.
      to: maxRows + 2,
      on_record: (record: string[], context) => {
        // Rows a spreadsheet leaves as ",,,,,," are empty too.
        if (record.some((field) => field.trim() !== '')) records.push({ line: context.lines, fields: record });
        return null;
      },
    });
  } catch (error) {
    return { ok: false, problem: message.notCsv(error instanceof Error ? error.message : String(error)) };
  }
  const [header, ...data] = records;
  if (!header) return { ok: false, problem: message.empty() };
  if (data.length > maxRows) return { ok: false, problem: message.tooManyRows(maxRows) };
  const names = header.fields.map((name) => name.trim().toLowerCase());
  const unknown = names.filter((name) => !(placeCsvColumns as readonly string[]).includes(name));
  if (unknown.length > 0) return { ok: false, problem: message.unknownColumns(unknown.map((name) => name || '""')) };
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated) return { ok: false, problem: message.repeatedColumn(repeated) };
  const missing = (['name_zh', 'level'] as const).filter((name) => !names.includes(name));
  if (missing.length > 0) return { ok: false, problem: message.missingColumns(missing) };
  if (data.length === 0) return { ok: false, problem: message.noRows() };
  const columns = names as PlaceCsvColumn[];
  const rows = data.map((record) => ({
    line: record.line,
    fieldCount: record.fields.length,
    cells: Object.fromEntries(columns.map((column, index) => [column, (record.fields[index] ?? '').trim()])),
  }));
  return { ok: true, rows, columns: columns.length };
}

// -----------------------------------------------------------------------------------------------
// Planning: the gazetteer as it will be after the file, row by row

/** A place as the plan sees it: stored (key = id) or added by a row (key = minus the row's line). */
interface Node {
  key: number;
  code: string | null;
  nameZh: string;
  nameEn: string;
  level: PlaceLevel;
  parentKey: number | null;
  lat: number | null;
  lon: number | null;
  /** The row that added or changed it (or found it unchanged). */
  row?: number;
}

/** A stored place as the plan reads it. */
export interface StoredPlace {
  id: number;
  code: string | null;
  name_zh: string;
  name_en: string;
  level: PlaceLevel;
  parent_id: number | null;
  lat: string | number | null;
  lon: string | number | null;
}

const topKey = 0;

class Gazetteer implements PlaceLookup<Node> {
  readonly nodes = new Map<number, Node>();
  private readonly byCodeIndex = new Map<string, number>();
  private readonly children = new Map<number, Set<number>>();
  private readonly byParentAndName = new Map<string, Set<number>>();

  constructor(stored: readonly StoredPlace[]) {
    for (const place of stored) {
      this.add({
        key: place.id,
        code: place.code,
        nameZh: place.name_zh,
        nameEn: place.name_en,
        level: place.level,
        parentKey: place.parent_id,
        lat: place.lat === null ? null : Number(place.lat),
        lon: place.lon === null ? null : Number(place.lon),
      });
    }
  }

  private nameKey(parentKey: number | null, nameZh: string): string {
    return `${parentKey ?? topKey}\u0000${nameZh}`;
  }

  add(node: Node): void {
    this.nodes.set(node.key, node);
    this.index(node);
  }

  private index(node: Node): void {
    if (node.code !== null) this.byCodeIndex.set(node.code, node.key);
    const siblings = this.children.get(node.parentKey ?? topKey) ?? new Set<number>();
    siblings.add(node.key);
    this.children.set(node.parentKey ?? topKey, siblings);
    const named = this.byParentAndName.get(this.nameKey(node.parentKey, node.nameZh)) ?? new Set<number>();
    named.add(node.key);
    this.byParentAndName.set(this.nameKey(node.parentKey, node.nameZh), named);
  }

  private unindex(node: Node): void {
    if (node.code !== null) this.byCodeIndex.delete(node.code);
    this.children.get(node.parentKey ?? topKey)?.delete(node.key);
    this.byParentAndName.get(this.nameKey(node.parentKey, node.nameZh))?.delete(node.key);
  }

  /** Changes a node, keeping the indexes right. */
  replace(node: Node, content: Omit<Node, 'key'>): void {
    this.unindex(node);
    Object.assign(node, content);
    this.index(node);
  }

  byCode(code: string): Node | undefined {
    const key = this.byCodeIndex.get(code);
    return key === undefined ? undefined : this.nodes.get(key);
  }

  childrenNamed(parent: Node | null, nameZh: string): Node[] {
    const keys = this.byParentAndName.get(this.nameKey(parent?.key ?? null, nameZh)) ?? new Set<number>();
    return [...keys].map((key) => this.nodes.get(key)).filter((node) => node !== undefined);
  }

  childrenOf(key: number): Node[] {
    return [...(this.children.get(key) ?? [])].map((child) => this.nodes.get(child)).filter((node) => node !== undefined);
  }

  /** Tells whether the place `key` (stored, or added by a row) is one of `tops` or stands below one. */
  isWithin(tops: ReadonlySet<number>, key: number | null): boolean {
    const seen = new Set<number>();
    for (let current = key; current !== null && !seen.has(current); current = this.nodes.get(current)?.parentKey ?? null) {
      if (tops.has(current)) return true;
      seen.add(current);
    }
    return false;
  }

  /** Tells whether `ancestorKey` is `key` or stands above it. */
  isAtOrAbove(ancestorKey: number, key: number | null): boolean {
    const seen = new Set<number>();
    for (let current = key; current !== null && !seen.has(current); current = this.nodes.get(current)?.parentKey ?? null) {
      if (current === ancestorKey) return true;
      seen.add(current);
    }
    return false;
  }

  /** How a node is named in the file: its code, or a path of names down from the nearest code. */
  referenceOf(key: number | null): string {
    const chain: Node[] = [];
    const seen = new Set<number>();
    for (let current = key; current !== null && !seen.has(current); current = this.nodes.get(current)?.parentKey ?? null) {
      const node = this.nodes.get(current);
      if (!node) break;
      chain.unshift(node);
      seen.add(current);
      if (node.code !== null) break;
    }
    return formatPlaceReference(chain);
  }
}

/** A place a row adds. */
interface PlannedAdd {
  key: number;
  row: number;
  content: Omit<Node, 'key' | 'row'>;
}

/** A stored place a row changes. */
interface PlannedUpdate {
  id: number;
  row: number;
  before: Omit<Node, 'key' | 'row'>;
  after: Omit<Node, 'key' | 'row'>;
}

/** What a file would do to the gazetteer. */
export interface PlaceImportPlan {
  adds: PlannedAdd[];
  updates: PlannedUpdate[];
  report: Omit<PlaceImportReport, 'dryRun' | 'written' | 'fileProblem'>;
}

const zhErrors = z.locales.zhCN().localeError;
const enErrors = z.locales.en().localeError;

const columnOfField: Record<string, PlaceCsvColumn> = { code: 'code', nameZh: 'name_zh', nameEn: 'name_en', level: 'level', lat: 'lat', lon: 'lon' };

/** The first message per field of a row that does not pass the schema, in both languages. */
function fieldProblems(input: Record<string, string>): Bilingual[] {
  const en = placeCsvFields.safeParse(input, { error: enErrors });
  const zh = placeCsvFields.safeParse(input, { error: zhErrors });
  if (en.success) return [];
  const problems = new Map<string, Bilingual>();
  for (const [index, issue] of en.error.issues.entries()) {
    const field = String(issue.path[0] ?? '');
    if (problems.has(field)) continue;
    const ours = fieldMessage(issue.message);
    const zhMessage = ours.zh !== issue.message ? ours.zh : (zh.error?.issues[index]?.message ?? issue.message);
    problems.set(field, message.field(columnOfField[field] ?? field, { en: issue.message, zh: zhMessage }));
  }
  return [...problems.values()];
}

function sameContent(a: Omit<Node, 'key' | 'row'>, b: Omit<Node, 'key' | 'row'>): boolean {
  return (
    a.code === b.code &&
    a.nameZh === b.nameZh &&
    a.nameEn === b.nameEn &&
    a.level === b.level &&
    a.parentKey === b.parentKey &&
    a.lat === b.lat &&
    a.lon === b.lon
  );
}

function coordinateText(value: number | null): string {
  return value === null ? '' : String(value);
}

/**
 * Works out, row by row, what a file would do to the gazetteer, as if each accepted row were written
 * before the next is read: a row's parent may be stored or added by an earlier row. A row is matched
 * to a stored place by its code; without a code (or with one nobody has yet), by its parent and Chinese
 * name among places without a code. Every rule of the forms applies, and a row may not undo another.
 * A row that adds or changes a place outside `territory` (the importer's, from placeTerritory()) is
 * refused; a row that changes nothing is not, so that an exported file imports again anywhere.
 */
export async function planPlaceImport(
  rows: readonly CsvRow[],
  columns: number,
  stored: readonly StoredPlace[],
  territory: PlaceTerritory,
): Promise<PlaceImportPlan> {
  const gazetteer = new Gazetteer(stored);
  const covers = (key: number | null): boolean => territory === 'all' || gazetteer.isWithin(territory, key);
  /** Why the row may not put a place under `parent` (null: the top level); undefined when it may. */
  const parentOutside = (parent: Node | null): Bilingual | undefined => {
    if (territory === 'all') return undefined;
    if (parent === null) return message.field('parent_code', placeMessages.topLevelNeedsAdministrator());
    return covers(parent.key) ? undefined : message.field('parent_code', placeMessages.parentOutsideTerritory(parent));
  };
  /** Why the row may not change `match` into `content`; undefined when it may (or changes nothing). */
  const changeOutside = (match: Node, content: Omit<Node, 'key' | 'row'>, parent: Node | null): Bilingual | undefined => {
    if (territory === 'all' || sameContent(match, content)) return undefined;
    if (!covers(match.key)) return placeMessages.placeOutsideTerritory(match);
    return match.parentKey === content.parentKey ? undefined : parentOutside(parent);
  };
  const report: PlaceImportPlan['report'] = { rows: rows.length, added: [], updated: [], unchanged: 0, refused: [] };
  const adds: PlannedAdd[] = [];
  const updates: PlannedUpdate[] = [];
  // Where each code first appears, to tell a repeated code and a parent that comes later.
  const firstRowOfCode = new Map<string, number>();
  for (const row of rows) {
    const code = row.cells.code ?? '';
    if (code !== '' && !firstRowOfCode.has(code)) firstRowOfCode.set(code, row.line);
  }
  const refusedCodes = new Map<string, number>();

  for (const row of rows) {
    const problems: Bilingual[] = [];
    const refuse = (code: string | null): void => {
      report.refused.push({ row: row.line, problems });
      if (code) refusedCodes.set(code, row.line);
    };
    if (row.fieldCount > columns) problems.push(message.tooManyFields(row.fieldCount, columns));
    const input = {
      code: row.cells.code ?? '',
      nameZh: row.cells.name_zh ?? '',
      nameEn: row.cells.name_en ?? '',
      level: row.cells.level ?? '',
      lat: row.cells.lat ?? '',
      lon: row.cells.lon ?? '',
    };
    const parsed = placeCsvFields.safeParse(input);
    if (!parsed.success) {
      problems.push(...fieldProblems(input));
      refuse(input.code.trim() || null);
      continue;
    }
    const fields = parsed.data;
    const earlier = fields.code === null ? undefined : firstRowOfCode.get(fields.code);
    if (fields.code !== null && earlier !== undefined && earlier !== row.line) {
      problems.push(message.repeatedCode(fields.code, earlier));
      refuse(null);
      continue;
    }

    // The parent: stored, or added by an earlier row.
    let parent: Node | null = null;
    const parentText = row.cells.parent_code ?? '';
    if (parentText !== '') {
      const found = await resolvePlaceReference(gazetteer, parentText);
      if (found.ok) {
        parent = found.place;
      } else {
        const parentCode = parsePlaceReference(parentText)?.code ?? null;
        const refusedRow = parentCode === null ? undefined : refusedCodes.get(parentCode);
        const laterRow = parentCode === null ? undefined : firstRowOfCode.get(parentCode);
        if (refusedRow !== undefined) problems.push(message.parentRefused(refusedRow));
        else if (laterRow !== undefined && laterRow > row.line) problems.push(message.parentLater(laterRow));
        else problems.push(message.field('parent_code', found.problem));
      }
    }
    if (problems.length > 0) {
      refuse(fields.code);
      continue;
    }

    // The place the row stands for: by code, else (no code, or a code nobody has) by parent and name.
    let match = fields.code === null ? undefined : gazetteer.byCode(fields.code);
    if (!match) match = gazetteer.childrenNamed(parent, fields.nameZh).find((node) => node.code === null);
    if (match?.row !== undefined) {
      problems.push(message.samePlaceAs(match.row));
      refuse(fields.code);
      continue;
    }

    const content: Omit<Node, 'key' | 'row'> = {
      code: fields.code,
      nameZh: fields.nameZh,
      nameEn: fields.nameEn,
      level: fields.level,
      parentKey: parent?.key ?? null,
      lat: fields.lat,
      lon: fields.lon,
    };
    if (match && parent && gazetteer.isAtOrAbove(match.key, parent.key)) {
      problems.push(message.field('parent_code', placeMessages.cycle()));
    } else if (parent && !levelFitsUnder(fields.level, parent.level)) {
      problems.push(message.field('level', placeMessages.levelUnderParent(fields.level, parent)));
    } else if (match) {
      const misfit = gazetteer.childrenOf(match.key).find((child) => !levelFitsUnder(child.level, fields.level));
      if (misfit) problems.push(message.field('level', placeMessages.levelAboveChild(fields.level, misfit)));
    }
    if (problems.length > 0) {
      refuse(fields.code);
      continue;
    }

    // Only the importer's territory changes: the place itself, and a new parent.
    const outside = match ? changeOutside(match, content, parent) : parentOutside(parent);
    if (outside) {
      problems.push(outside);
      refuse(fields.code);
      continue;
    }

    if (!match) {
      const key = -row.line;
      gazetteer.add({ key, row: row.line, ...content });
      adds.push({ key, row: row.line, content });
      report.added.push({ row: row.line, code: content.code, nameZh: content.nameZh, level: content.level, changes: [] });
      continue;
    }
    const { key: matchKey, row: _row, ...before } = match;
    if (sameContent(before, content)) {
      match.row = row.line;
      report.unchanged += 1;
      continue;
    }
    const changes: ImportedRow['changes'] = [];
    const compare = (field: PlaceCsvColumn, was: string, now: string): void => {
      if (was !== now) changes.push({ field, before: was, after: now });
    };
    compare('code', before.code ?? '', content.code ?? '');
    compare('name_zh', before.nameZh, content.nameZh);
    compare('name_en', before.nameEn, content.nameEn);
    compare('level', before.level, content.level);
    if (before.parentKey !== content.parentKey) compare('parent_code', gazetteer.referenceOf(before.parentKey), gazetteer.referenceOf(content.parentKey));
    compare('lat', coordinateText(before.lat), coordinateText(content.lat));
    compare('lon', coordinateText(before.lon), coordinateText(content.lon));
    gazetteer.replace(match, { ...content, row: row.line });
    updates.push({ id: matchKey, row: row.line, before, after: content });
    report.updated.push({ row: row.line, code: content.code, nameZh: content.nameZh, level: content.level, changes });
  }
  return { adds, updates, report };
}

// -----------------------------------------------------------------------------------------------
// Writing

function auditedPlace(id: number, content: Omit<Node, 'key' | 'row'>, parentId: number | null) {
  return {
    id,
    code: content.code,
    nameZh: content.nameZh,
    nameEn: content.nameEn,
    level: content.level,
    parentId,
    lat: content.lat,
    lon: content.lon,
  };
}

const batchSize = 1000;

/** Writes a plan: added places first (parents before children), then the changed ones; one audit event each. */
async function writePlan(tx: Executor, actor: Actor, plan: PlaceImportPlan): Promise<void> {
  const idOfKey = new Map<number, number>();
  const idOf = (key: number | null): number | null => {
    if (key === null) return null;
    if (key > 0) return key;
    const id = idOfKey.get(key);
    if (id === undefined) throw new Error(`place of row ${-key} not written yet`);
    return id;
  };
  const audits: AuditEntry[] = [];
  let pending: PlannedAdd[] = [];
  const flush = async (): Promise<void> => {
    const rows: NewPlaceRow[] = pending.map((add) => ({
      code: add.content.code,
      name_zh: add.content.nameZh,
      name_en: add.content.nameEn,
      level: add.content.level,
      parent_id: idOf(add.content.parentKey),
      lat: add.content.lat,
      lon: add.content.lon,
    }));
    const ids = await placeRepository.insertPlaces(tx, rows);
    pending.forEach((add, index) => {
      const id = ids[index];
      if (id === undefined) throw new Error('an inserted place has no id');
      idOfKey.set(add.key, id);
      audits.push({ action: 'create', entityType: 'place', entityId: id, after: auditedPlace(id, add.content, idOf(add.content.parentKey)) });
    });
    pending = [];
  };
  for (const add of plan.adds) {
    const parentKey = add.content.parentKey;
    // A parent added in this very batch has no id yet: write the batch first.
    if ((parentKey !== null && parentKey < 0 && !idOfKey.has(parentKey)) || pending.length >= batchSize) await flush();
    pending.push(add);
  }
  await flush();

  for (let start = 0; start < plan.updates.length; start += batchSize) {
    const batch = plan.updates.slice(start, start + batchSize);
    await placeRepository.replacePlaces(
      tx,
      batch.map((update) => ({
        id: update.id,
        code: update.after.code,
        name_zh: update.after.nameZh,
        name_en: update.after.nameEn,
        level: update.after.level,
        parent_id: idOf(update.after.parentKey),
        lat: update.after.lat,
        lon: update.after.lon,
      })),
    );
    for (const update of batch) {
      audits.push({
        action: 'update',
        entityType: 'place',
        entityId: update.id,
        before: auditedPlace(update.id, update.before, update.before.parentKey),
        after: auditedPlace(update.id, update.after, idOf(update.after.parentKey)),
      });
    }
  }
  await recordAudits(tx, actor, audits);
}

/**
 * Imports a places CSV file (UTF-8; columns code, name_zh, name_en, level, parent_code, lat, lon).
 * A dry run only reports. Otherwise it is all or nothing: one transaction, and nothing is written
 * when any row is refused.
 */
export async function importPlaces(
  db: Kysely<Database>,
  actor: Actor,
  file: Uint8Array,
  options: { dryRun: boolean },
): Promise<PlaceImportReport> {
  // The importer's territory, once: every row that adds or changes a place must lie within it.
  const territory = await placeTerritory(db, actor);
  if (territory !== 'all' && territory.size === 0) throw notFound();
  const empty = { dryRun: options.dryRun, written: false, rows: 0, added: [], updated: [], unchanged: 0, refused: [] };
  if (file.length > placeImportLimits.maxBytes) return { ...empty, fileProblem: tooLargeProblem() };
  const decoded = decodeCsvFile(file);
  if (!decoded.ok) return { ...empty, fileProblem: decoded.problem };
  const read = readPlaceCsv(decoded.text);
  if (!read.ok) return { ...empty, fileProblem: read.problem };
  if (options.dryRun) {
    const plan = await planPlaceImport(read.rows, read.columns, await placeRepository.listAllPlaces(db), territory);
    return { ...plan.report, dryRun: true, written: false, fileProblem: null };
  }
  return db.transaction().execute(async (tx) => {
    // Check and write against the same gazetteer: nobody else changes places meanwhile.
    await placeRepository.lockPlaces(tx);
    const plan = await planPlaceImport(read.rows, read.columns, await placeRepository.listAllPlaces(tx), territory);
    if (plan.report.refused.length > 0) return { ...plan.report, dryRun: false, written: false, fileProblem: null };
    await writePlan(tx, actor, plan);
    return { ...plan.report, dryRun: false, written: true, fileProblem: null };
  });
}

/** What a file over the size limit is refused with. */
export function tooLargeProblem(): Bilingual {
  const mib = placeImportLimits.maxBytes / 1024 / 1024;
  return {
    zh: `文件超过 ${mib} MiB；请拆分后分批导入。`,
    en: `The file is larger than ${mib} MiB; split it and import the parts one after another.`,
  };
}

// -----------------------------------------------------------------------------------------------
// Export

/**
 * The whole gazetteer as CSV for a spreadsheet: UTF-8 with a byte-order mark (so that Excel reads the
 * Chinese right), parents before the places under them, so that the file imports again as it is.
 */
export async function exportPlacesCsv(db: Executor, actor: Actor): Promise<string> {
  await assertCanRead(db, actor);
  const places = await placeRepository.listAllPlacesInTreeOrder(db);
  const byId = new Map(places.map((place) => [place.id, place]));
  const references = new Map<number, string>();
  const referenceOf = (id: number): string => {
    const known = references.get(id);
    if (known !== undefined) return known;
    const place = byId.get(id);
    if (!place) return '';
    const parentReference = place.parent_id === null ? '' : referenceOf(place.parent_id);
    const reference = place.code ?? (parentReference ? `${parentReference}/${place.name_zh}` : place.name_zh);
    references.set(id, reference);
    return reference;
  };
  const rows = places.map((place) => [
    place.code ?? '',
    place.name_zh,
    place.name_en,
    place.level,
    place.parent_id === null ? '' : referenceOf(place.parent_id),
    place.lat === null ? '' : String(Number(place.lat)),
    place.lon === null ? '' : String(Number(place.lon)),
  ]);
  return `\uFEFF${stringify([[...placeCsvColumns], ...rows], { record_delimiter: 'windows' })}`;
}
