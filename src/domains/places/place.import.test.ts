import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { inLanguage } from '../../../test/language.ts';
import { postMultipart } from '../../../test/multipart.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';
import { readPlaceCsv } from './place.import.ts';

let testApp: TestApp;
let editor: SignedInClient;
let reviewer: SignedInClient;
let twfEditor: SignedInClient;
/** The platform administrator: the only one who may add provinces (the top level). */
let admin: SignedInClient;

const header = 'code,name_zh,name_en,level,parent_code,lat,lon';

function csv(...rows: string[]): string {
  return [header, ...rows].join('\r\n');
}

function upload(client: SignedInClient | undefined, content: Buffer | string, options: { dryRun?: boolean; fields?: Record<string, string> } = {}) {
  const fields = { ...(options.dryRun ? { dryRun: 'on' } : {}), ...options.fields };
  return postMultipart(testApp.app, client, '/workspace/places/import', fields, [{ field: 'file', filename: 'places.csv', content }]);
}

async function placeCount(): Promise<number> {
  const row = await testApp.database.db.selectFrom('place').select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

async function placeAuditCount(): Promise<number> {
  const row = await testApp.database.db
    .selectFrom('audit_event')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('entity_type', '=', 'place')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The text of each refused row of a report: "row: reason". */
function refusals(html: string): string[] {
  return [...html.matchAll(/<tr class="refused"><td>(\d+)<\/td><td>([^<]*)<\/td><\/tr>/g)].map((match) => `${match[1]}: ${decode(match[2] ?? '')}`);
}

function decode(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

beforeAll(async () => {
  testApp = await createTestApp();
  const [bwfEditor, bwfReviewer, twf, platformAdmin] = await Promise.all([
    signIn(testApp.app, 'editor@bwf.example.org'),
    signIn(testApp.app, 'reviewer@bwf.example.org'),
    signIn(testApp.app, 'editor@twf.example.org'),
    signIn(testApp.app, 'admin@bwf.example.org'),
  ]);
  editor = inLanguage(testApp.app, bwfEditor, 'en');
  reviewer = inLanguage(testApp.app, bwfReviewer, 'en');
  twfEditor = inLanguage(testApp.app, twf, 'en');
  admin = inLanguage(testApp.app, platformAdmin, 'en');
});
afterAll(async () => {
  await testApp.close();
});

describe('exporting places', () => {
  it('writes UTF-8 CSV with a byte-order mark, parents first, parents without a code named by their path', async () => {
    const response = await editor.get('/workspace/places/export.csv');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="places-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect([...response.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = response.rawPayload.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe(header);
    expect(lines).toContain('110000,北京市,Beijing,province,,39.9042,116.4074');
    expect(lines).toContain(',观音寺街道,Guanyinsi Sub-district,subdistrict,110115,,');
    expect(lines).toContain(',首座御园二里社区,Shouzuoyuyuan Erli Residential Community,community,110115/观音寺街道,,');
    expect(lines).toContain('130100,石家庄市,Shijiazhuang,municipality,130000,,');
    const order = ['北京市', '大兴区', '观音寺街道', '首座御园二里社区', '天津市'].map((name) => lines.findIndex((line) => line.includes(`,${name},`)));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('round-trips: the exported file imports as "no change", and an edited cell as one change', async () => {
    const exported = (await editor.get('/workspace/places/export.csv')).rawPayload;
    const again = await upload(editor, exported, { dryRun: true });
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain('9 rows: 0 to add, 0 to change, 9 unchanged, 0 refused.');

    const edited = exported.toString('utf8').replace('Daxing District', 'Daxing');
    const before = await placeAuditCount();
    const written = await upload(editor, edited);
    expect(written.statusCode).toBe(200);
    expect(written.body).toContain('Imported.');
    expect(written.body).toContain('9 rows: 0 to add, 1 to change, 8 unchanged, 0 refused.');
    expect(decode(written.body)).toContain('<code>name_en</code>: Daxing District → Daxing');
    const daxing = await testApp.database.db.selectFrom('place').selectAll().where('code', '=', '110115').executeTakeFirstOrThrow();
    expect(daxing.name_en).toBe('Daxing');
    expect(await placeAuditCount()).toBe(before + 1);
  });
});

describe('importing places', () => {
  it('refuses a visitor who is not signed in before reading the upload, and a reader who may not change places', async () => {
    const anonymous = await upload(undefined, csv('610000,陕西省,Shaanxi,province,,,'));
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/workspace/sign-in?next=%2Fworkspace%2Fplaces%2Fimport');
    const refused = await upload(reviewer, csv('610000,陕西省,Shaanxi,province,,,'));
    expect(refused.statusCode).toBe(404);
    expect(await testApp.database.db.selectFrom('place').select('id').where('code', '=', '610000').executeTakeFirst()).toBeUndefined();
  });

  it('refuses an upload without the CSRF token', async () => {
    const forged = await upload(editor, csv('610000,陕西省,Shaanxi,province,,,'), { fields: { _csrf: 'forged' } });
    expect(forged.statusCode).toBe(403);
  });

  it('reports in a dry run what would be added and what is refused, and writes nothing', async () => {
    const before = { places: await placeCount(), audit: await placeAuditCount() };
    const response = await upload(
      admin,
      csv(
        '320000,江苏省,Jiangsu,province,,,',
        '320100,南京市,Nanjing,municipality,320000,32.0603,118.7969',
        ',新街口街道,,subdistrict,320100,,',
        ',某社区,,community,320100/新街口街道,,',
        '320101,重复,,district,320100,,',
        '320101,重复二,,district,320100,,',
      ),
      { dryRun: true },
    );
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Dry run: nothing was written.');
    expect(response.body).toContain('6 rows: 5 to add, 0 to change, 0 unchanged, 1 refused.');
    expect(refusals(response.body)).toEqual(['7: The code 320101 appears in row 6 already.']);
    expect(response.body).toContain('<td lang="zh-CN">某社区</td>');
    expect(await placeCount()).toBe(before.places);
    expect(await placeAuditCount()).toBe(before.audit);
  });

  it('writes nothing at all when one row of a real import is refused', async () => {
    const before = await placeCount();
    const response = await upload(admin, csv('320000,江苏省,Jiangsu,province,,,', '320100,南京市,Nanjing,municipality,320000,,', '320102,玄武区,Xuanwu,district,320100,91,118'));
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Some rows are refused, so nothing was written.');
    expect(refusals(response.body)).toEqual(['4: lat: A latitude is a number from -90 to 90.']);
    expect(await placeCount()).toBe(before);
    expect(await testApp.database.db.selectFrom('place').select('id').where('code', '=', '320000').executeTakeFirst()).toBeUndefined();
  });

  it('writes every row of a clean import in one go, matching rows without a code by parent and name, audited', async () => {
    const before = { places: await placeCount(), audit: await placeAuditCount() };
    const response = await upload(
      admin,
      csv(
        '320000,江苏省,Jiangsu,province,,,',
        '320100,南京市,Nanjing,municipality,320000,32.0603,118.7969',
        ',新街口街道,Xinjiekou Sub-district,subdistrict,320100,,',
        ',某社区,,community,320100/新街口街道,,',
        // A place already stored without a code: matched by parent and name, and given its English name.
        ',观音寺街道,Guanyinsi Subdistrict,subdistrict,110115,,',
      ),
    );
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Imported.');
    expect(response.body).toContain('5 rows: 4 to add, 1 to change, 0 unchanged, 0 refused.');
    expect(await placeCount()).toBe(before.places + 4);
    expect(await placeAuditCount()).toBe(before.audit + 5);
    const db = testApp.database.db;
    const nanjing = await db.selectFrom('place').selectAll().where('code', '=', '320100').executeTakeFirstOrThrow();
    expect(Number(nanjing.lat)).toBe(32.0603);
    const community = await db.selectFrom('place').selectAll().where('name_zh', '=', '某社区').executeTakeFirstOrThrow();
    const xinjiekou = await db.selectFrom('place').selectAll().where('name_zh', '=', '新街口街道').executeTakeFirstOrThrow();
    expect(community.parent_id).toBe(xinjiekou.id);
    expect(community.name_en).toBe('');
    expect(xinjiekou.parent_id).toBe(nanjing.id);
    const guanyinsi = await db.selectFrom('place').selectAll().where('name_zh', '=', '观音寺街道').execute();
    expect(guanyinsi.map((row) => row.name_en)).toEqual(['Guanyinsi Subdistrict']);
    const created = await db.selectFrom('audit_event').selectAll().where('entity_type', '=', 'place').where('entity_id', '=', String(community.id)).executeTakeFirstOrThrow();
    expect(created.action).toBe('create');
    expect(created.after).toMatchObject({ nameZh: '某社区', level: 'community', parentId: xinjiekou.id });
  });

  it('says why each bad row is refused: fields, levels, parents, codes, coordinates, cycles', async () => {
    const before = await placeCount();
    const response = await upload(
      admin,
      csv(
        /* 2 */ '330000,浙江省,Zhejiang,province,,,',
        /* 3 */ '3301,杭州市,Hangzhou,municipality,330000,,',
        /* 4 */ '330100,杭州市,Hangzhou,prefecture,330000,,',
        /* 5 */ '330102,上城区,Shangcheng,district,339999,,',
        /* 6 */ '330105,拱墅区,Gongshu,district,330000,30.3,',
        /* 7 */ '330106,西湖区,Xihu,province,330000,,',
        /* 8 */ '330108,滨江区,Binjiang,district,330109,,',
        /* 9 */ '330109,萧山区,Xiaoshan,district,330000,,',
        /* 10 */ '110000,北京市,Beijing,province,110115/观音寺街道,,',
        /* 11 */ ',某街道,,subdistrict,330100,,',
        /* 12 */ ',,No Chinese name,village,330000,,',
        /* 13 */ '330110,余杭区,Yuhang,district,330000,,,extra',
        /* 14 */ '330111,富阳区,Fuyang,district,330000/不存在,,',
        /* 15 */ '110115,大兴区,Daxing District,community,110000,,',
      ),
      { dryRun: true },
    );
    expect(response.statusCode).toBe(200);
    expect(refusals(response.body)).toEqual([
      '3: code: A code is 6 to 12 digits (the national administrative division code); leave it empty when not known.',
      '4: level: Choose one of: province, municipality, district, subdistrict, community, village.',
      '5: parent_code: No place is known as "339999".',
      '6: lon: Give both latitude and longitude, or neither.',
      '7: level: A province cannot stand under the province 浙江省 (330000): a place\'s level must be below its parent\'s.',
      '8: Its parent comes later, in row 9; put parents before the places under them.',
      '10: parent_code: A place cannot be put under itself or a place below it.',
      '11: Its parent (row 4) is refused.',
      '12: name_zh: Too small: expected string to have >=1 characters',
      '13: The row has 8 fields; the header has 7 columns.',
      '14: parent_code: No place is known as "330000/不存在".',
      '15: level: Its sub-district 观音寺街道 below would not be below a community.',
    ]);
    expect(await placeCount()).toBe(before);
  });

  it('refuses each row of the TWF editor that adds or changes a place outside Tianjin, with the reason, and writes nothing', async () => {
    const before = { places: await placeCount(), audit: await placeAuditCount() };
    const rows = [
      /* 2 */ '120104,南开区,Nankai District,district,120000,,',
      /* 3 */ ',天津人的街道,,subdistrict,110115,,',
      /* 4 */ ',观音寺街道,Renamed by Tianjin,subdistrict,110115,,',
      /* 5 */ '120101,和平区,Heping District,district,110000,,',
      /* 6 */ '610000,陕西省,Shaanxi,province,,,',
      /* 7 */ '130100,石家庄市,Shijiazhuang,municipality,130000,,',
    ];
    const response = await upload(twfEditor, csv(...rows));
    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Some rows are refused, so nothing was written.');
    expect(response.body).toContain('6 rows: 1 to add, 0 to change, 1 unchanged, 4 refused.');
    expect(refusals(response.body)).toEqual([
      '3: parent_code: You may add or move places only within the places your federation covers; 大兴区 (110115) is outside them.',
      '4: You may change only the places your federation covers; 观音寺街道 is outside them.',
      '5: parent_code: You may add or move places only within the places your federation covers; 北京市 (110000) is outside them.',
      '6: parent_code: Only a platform administrator may add a place at the top level or move one there; give a parent within the places your federation covers.',
    ]);
    expect(await placeCount()).toBe(before.places);
    expect(await placeAuditCount()).toBe(before.audit);
    const db = testApp.database.db;
    expect(await db.selectFrom('place').select('id').where('code', '=', '120104').executeTakeFirst()).toBeUndefined();
    expect((await db.selectFrom('place').select('name_en').where('name_zh', '=', '观音寺街道').executeTakeFirstOrThrow()).name_en).not.toBe('Renamed by Tianjin');
    // The rows of her own territory alone go in.
    const own = await upload(twfEditor, csv(rows[0] ?? ''));
    expect(own.statusCode).toBe(200);
    expect(own.body).toContain('Imported.');
    expect(await db.selectFrom('place').select('id').where('code', '=', '120104').executeTakeFirst()).toBeDefined();
  });

  it('refuses a GBK (GB18030) file and says how to save it', async () => {
    // "北京" in GBK: not valid UTF-8.
    const gbk = Buffer.concat([Buffer.from(`${header}\r\n110000,`), Buffer.from([0xb1, 0xb1, 0xbe, 0xa9]), Buffer.from(',Beijing,province,,,\r\n')]);
    const response = await upload(editor, gbk, { dryRun: true });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('The file is not UTF-8 (perhaps GBK/GB18030); save it as &quot;CSV UTF-8 (Comma delimited)&quot; and import it again.');
    const chinese = await upload(inLanguage(testApp.app, editor, 'zh'), gbk, { dryRun: true });
    expect(chinese.body).toContain('文件不是 UTF-8 编码');
  });

  it('refuses a file over 5 MiB with 413 and a message', async () => {
    const big = `${header}\r\n${'#'.repeat(5 * 1024 * 1024)}`;
    const response = await upload(editor, big, { dryRun: true });
    expect(response.statusCode).toBe(413);
    expect(response.body).toContain('The file is larger than 5 MiB; split it and import the parts one after another.');
  });

  it('refuses files whose columns are wrong, that are not CSV, or that are empty', async () => {
    const unknown = await upload(editor, 'code,name,level\r\n110000,北京市,province', { dryRun: true });
    expect(unknown.statusCode).toBe(400);
    expect(decode(unknown.body)).toContain('Unknown column(s): name. The columns are: code, name_zh, name_en, level, parent_code, lat, lon.');
    const missing = await upload(editor, 'code,name_zh\r\n110000,北京市', { dryRun: true });
    expect(decode(missing.body)).toContain('Required column(s) missing: level.');
    const broken = await upload(editor, `${header}\r\n"110000,北京市,Beijing,province,,,`, { dryRun: true });
    expect(broken.body).toContain('The file is not valid CSV');
    const empty = await upload(editor, '', { dryRun: true });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Choose the CSV file to import.');
  });

  it('takes a file from Excel: byte-order mark, capitalised headers and levels, blank rows', async () => {
    const excel = `\uFEFFCode,Name_ZH,Name_EN,Level,Parent_Code,Lat,Lon\r\n,,,,,,\r\n340000,安徽省,Anhui,Province,,,\r\n`;
    const response = await upload(admin, excel, { dryRun: true });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('1 rows: 1 to add, 0 to change, 0 unchanged, 0 refused.');
  });

  it('writes a thousand-odd places in batches, children of places added in the same file included', async () => {
    const rows = ['350000,福建省,Fujian,province,,,', '350100,福州市,Fuzhou,municipality,350000,,'];
    for (let street = 1; street <= 30; street += 1) {
      rows.push(`,街道${street},,subdistrict,350100,,`);
      for (let community = 1; community <= 40; community += 1) rows.push(`,社区${street}-${community},,community,350100/街道${street},,`);
    }
    const response = await upload(admin, csv(...rows));
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('1232 rows: 1232 to add, 0 to change, 0 unchanged, 0 refused.');
    const db = testApp.database.db;
    const street = await db.selectFrom('place').selectAll().where('name_zh', '=', '街道30').executeTakeFirstOrThrow();
    const communities = await db.selectFrom('place').select('name_zh').where('parent_id', '=', street.id).execute();
    expect(communities).toHaveLength(40);
    const again = await upload(admin, csv(...rows), { dryRun: true });
    expect(again.body).toContain('1232 rows: 0 to add, 0 to change, 1232 unchanged, 0 refused.');
  });
});

describe('reading a places CSV file', () => {
  it('refuses more rows than the limit', () => {
    const text = csv('1,a,,province,,,', '2,b,,province,,,', '3,c,,province,,,');
    expect(readPlaceCsv(text, 3).ok).toBe(true);
    const over = readPlaceCsv(`${text}\r\n4,d,,province,,,`, 3);
    expect(over.ok).toBe(false);
    if (!over.ok) expect(over.problem.en).toBe('The file has more than 3 rows; split it and import the parts one after another.');
  });

  it('refuses a hundred thousand and one rows', () => {
    const text = `${header}\n${',x,,village,,,\n'.repeat(100_001)}`;
    const read = readPlaceCsv(text);
    expect(read.ok).toBe(false);
  });
});
