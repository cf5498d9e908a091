import { DomainError } from '../../platform/errors.ts';
import type { Locale } from '../../platform/i18n.ts';
import type { PlaceLevel } from './place.table.ts';

/** The levels of the administrative division, highest first, as stored. */
export const placeLevels = ['province', 'municipality', 'district', 'subdistrict', 'community', 'village'] as const satisfies readonly PlaceLevel[];

/**
 * How high a level stands. A province-level municipality (Beijing, Tianjin) is recorded at level
 * `province`; `municipality` is a city under a province (Shijiazhuang under Hebei). Communities and
 * villages stand level with each other at the bottom. Levels may be skipped (a district directly under
 * Beijing), never climbed.
 */
const levelRank: Record<PlaceLevel, number> = { province: 1, municipality: 2, district: 3, subdistrict: 4, community: 5, village: 5 };

/** Tells whether a place at `level` may stand directly under a place at `parentLevel`: strictly lower. */
export function levelFitsUnder(level: PlaceLevel, parentLevel: PlaceLevel): boolean {
  return levelRank[level] > levelRank[parentLevel];
}

/** The levels a place may have under a parent at `parentLevel` (every level when there is no parent). */
export function levelsUnder(parentLevel: PlaceLevel | null): PlaceLevel[] {
  return placeLevels.filter((level) => parentLevel === null || levelFitsUnder(level, parentLevel));
}

/** A text in both interface languages. */
export interface Bilingual {
  zh: string;
  en: string;
}

/** Picks the reader's language of a bilingual text. */
export function inLocale(locale: Locale, text: Bilingual): string {
  return locale === 'zh' ? text.zh : text.en;
}

/** The names of the levels, as the workspace shows them. */
export const levelNames: Record<PlaceLevel, Bilingual> = {
  province: { zh: '省级（省、直辖市、自治区）', en: 'Province level (incl. Beijing, Tianjin)' },
  municipality: { zh: '地级市', en: 'City (prefecture level)' },
  district: { zh: '区县', en: 'District / county' },
  subdistrict: { zh: '街道乡镇', en: 'Sub-district / township' },
  community: { zh: '社区', en: 'Community' },
  village: { zh: '村', en: 'Village' },
};

/** The short name of a level, for lists and messages. */
export const levelShortNames: Record<PlaceLevel, Bilingual> = {
  province: { zh: '省级', en: 'province' },
  municipality: { zh: '地级市', en: 'municipality' },
  district: { zh: '区县', en: 'district' },
  subdistrict: { zh: '街道乡镇', en: 'sub-district' },
  community: { zh: '社区', en: 'community' },
  village: { zh: '村', en: 'village' },
};

/** A rule about places that a request broke, said in both languages, with the form field it concerns. */
export class PlaceRuleError extends DomainError {
  constructor(
    status: number,
    code: string,
    readonly text: Bilingual,
    /** The form field the message belongs beside; `_form` for the form as a whole. */
    readonly field: string,
  ) {
    super(status, code, text.en);
  }
}

/** Who a place is in a message: its Chinese name and, when known, its code. */
export function placeLabel(place: { nameZh: string; code: string | null }): string {
  return place.code ? `${place.nameZh} (${place.code})` : place.nameZh;
}

/** The messages of the rules, shared by the forms, the API and the CSV import. */
export const placeMessages = {
  parentMissing: (reference: string): Bilingual => ({
    zh: `找不到上级地点“${reference}”。`,
    en: `No place is known as "${reference}".`,
  }),
  parentAmbiguous: (reference: string): Bilingual => ({
    zh: `“${reference}”对应不止一个地点；请使用代码。`,
    en: `More than one place answers to "${reference}"; use its code.`,
  }),
  badReference: (reference: string): Bilingual => ({
    zh: `“${reference}”不是有效的上级：请填写代码，或从最近的有代码的上级写起的路径，如 110115/观音寺街道。`,
    en: `"${reference}" is not a parent reference: give a code, or a path down from the nearest code above, e.g. 110115/观音寺街道.`,
  }),
  cycle: (): Bilingual => ({
    zh: '地点不能放在它自己或它的下级之下。',
    en: 'A place cannot be put under itself or a place below it.',
  }),
  levelUnderParent: (level: PlaceLevel, parent: { nameZh: string; code: string | null; level: PlaceLevel }): Bilingual => ({
    zh: `${levelShortNames[level].zh}不能位于${levelShortNames[parent.level].zh}“${placeLabel(parent)}”之下：下级的级别必须低于上级。`,
    en: `A ${levelShortNames[level].en} cannot stand under the ${levelShortNames[parent.level].en} ${placeLabel(parent)}: a place's level must be below its parent's.`,
  }),
  levelAboveChild: (level: PlaceLevel, child: { nameZh: string; code: string | null; level: PlaceLevel }): Bilingual => ({
    zh: `其下级“${placeLabel(child)}”是${levelShortNames[child.level].zh}，级别不低于${levelShortNames[level].zh}。`,
    en: `Its ${levelShortNames[child.level].en} ${placeLabel(child)} below would not be below a ${levelShortNames[level].en}.`,
  }),
  codeTaken: (code: string, holder: { nameZh: string }): Bilingual => ({
    zh: `代码 ${code} 已属于“${holder.nameZh}”。`,
    en: `The code ${code} belongs to ${holder.nameZh} already.`,
  }),
  uncodedNameTaken: (nameZh: string): Bilingual => ({
    zh: `同一上级下已有名为“${nameZh}”且没有代码的地点；没有代码的地点以上级和中文名称区分。`,
    en: `The same parent already has a place named "${nameZh}" without a code; places without a code are told apart by parent and Chinese name.`,
  }),
  stillReferred: (children: number, organizations: number): Bilingual => ({
    zh: `该地点下还有 ${children} 个下级地点，另有 ${organizations} 个组织位于此处；请先移走或删除它们。`,
    en: `This place still has ${children} place(s) below it and ${organizations} organization(s) located in it; move or delete them first.`,
  }),
  raced: (): Bilingual => ({
    zh: '同时有人修改了地点，代码或名称已被占用；请刷新后重试。',
    en: 'Someone else changed the places at the same time and took this code or name; reload and try again.',
  }),
  coordinatesPair: (): Bilingual => ({
    zh: '请同时填写纬度和经度，或都不填。',
    en: 'Give both latitude and longitude, or neither.',
  }),
  parentOutsideTerritory: (parent: { nameZh: string; code: string | null }): Bilingual => ({
    zh: `只能在本组织所辖的地点范围内新增或移动地点；“${placeLabel(parent)}”不在其中。`,
    en: `You may add or move places only within the places your federation covers; ${placeLabel(parent)} is outside them.`,
  }),
  topLevelNeedsAdministrator: (): Bilingual => ({
    zh: '只有平台管理员可以新增或移出最高一级的地点；请填写本组织所辖范围内的上级地点。',
    en: 'Only a platform administrator may add a place at the top level or move one there; give a parent within the places your federation covers.',
  }),
  placeOutsideTerritory: (place: { nameZh: string; code: string | null }): Bilingual => ({
    zh: `只能修改本组织所辖范围内的地点；“${placeLabel(place)}”不在其中。`,
    en: `You may change only the places your federation covers; ${placeLabel(place)} is outside them.`,
  }),
};

// Messages the schemas give in English, and their Chinese form.
const chineseOfFieldMessages: Record<string, string> = {
  'A code is 6 to 12 digits (the national administrative division code); leave it empty when not known.':
    '代码为 6 至 12 位数字（国家行政区划代码）；不知道时请留空。',
  'A latitude is a number from -90 to 90.': '纬度是 -90 至 90 之间的数字。',
  'A longitude is a number from -180 to 180.': '经度是 -180 至 180 之间的数字。',
  'A Chinese name cannot contain "/".': '中文名称不能包含“/”。',
  'A name cannot begin with =, +, - or @ (a spreadsheet would run it as a formula).': '名称不能以 =、+、- 或 @ 开头（电子表格会把它当作公式执行）。',
  'Choose one of: province, municipality, district, subdistrict, community, village.':
    '请填写以下级别之一：province、municipality、district、subdistrict、community、village。',
  [placeMessages.coordinatesPair().en]: placeMessages.coordinatesPair().zh,
};

/** A schema's English message about a place field, in both languages. */
export function fieldMessage(message: string): Bilingual {
  return { en: message, zh: chineseOfFieldMessages[message] ?? message };
}

/**
 * How a form or a CSV file names a place: by its code, or by the path of Chinese names down to it
 * from the nearest place above that has a code ("110115/观音寺街道"), or from the top ("北京市/大兴区").
 */
export interface PlaceReference {
  /** The code the path starts from; null when it starts at a top-level place's name. */
  code: string | null;
  /** Chinese names, each a place directly under the one before. */
  names: string[];
}

/** Reads a place reference; undefined when it is not one (an empty segment, a short code). */
export function parsePlaceReference(text: string): PlaceReference | undefined {
  const segments = text.split('/').map((segment) => segment.trim());
  if (segments.some((segment) => segment === '')) return undefined;
  const [first = '', ...rest] = segments;
  if (/^[0-9]+$/.test(first)) return /^[0-9]{6,12}$/.test(first) ? { code: first, names: rest } : undefined;
  return { code: null, names: segments };
}

/** Writes the reference of a place from its chain of places, top first and the place itself last. */
export function formatPlaceReference(chain: readonly { code: string | null; nameZh: string }[]): string {
  let start = -1;
  for (let index = chain.length - 1; index >= 0; index -= 1) {
    if (chain[index]?.code) {
      start = index;
      break;
    }
  }
  if (start < 0) return chain.map((place) => place.nameZh).join('/');
  return [chain[start]?.code ?? '', ...chain.slice(start + 1).map((place) => place.nameZh)].join('/');
}

/** Where to look up places while resolving a reference: the database, or an import's picture of it. */
export interface PlaceLookup<K> {
  byCode(code: string): Promise<K | undefined> | K | undefined;
  /** The places directly under `parent` (null: the top level) with this Chinese name. */
  childrenNamed(parent: K | null, nameZh: string): Promise<K[]> | K[];
}

/** Finds the place a reference names, or says why none. */
export async function resolvePlaceReference<K>(
  lookup: PlaceLookup<K>,
  text: string,
): Promise<{ ok: true; place: K } | { ok: false; problem: Bilingual }> {
  const reference = parsePlaceReference(text);
  if (!reference) return { ok: false, problem: placeMessages.badReference(text) };
  let current: K | null = null;
  if (reference.code !== null) {
    current = (await lookup.byCode(reference.code)) ?? null;
    if (current === null) return { ok: false, problem: placeMessages.parentMissing(reference.code) };
  }
  for (const name of reference.names) {
    const found: K[] = await lookup.childrenNamed(current, name);
    if (found.length === 0) return { ok: false, problem: placeMessages.parentMissing(text) };
    if (found.length > 1) return { ok: false, problem: placeMessages.parentAmbiguous(text) };
    current = found[0] ?? null;
  }
  if (current === null) return { ok: false, problem: placeMessages.badReference(text) };
  return { ok: true, place: current };
}
