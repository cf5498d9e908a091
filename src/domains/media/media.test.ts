import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import sharp from 'sharp';
import { findExecutableHtml } from '../../../test/html-safety.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { inLanguage } from '../../../test/language.ts';
import { multipartBody, postMultipart, type UploadedFile } from '../../../test/multipart.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';
import { mediaSrcset } from './media.picture.tsx';
import type { Media } from './media.service.ts';

let testApp: TestApp;
let bwfEditor: SignedInClient;
let twfEditor: SignedInClient;
let reviewer: SignedInClient;
let platformAdmin: SignedInClient;
let bwfSiteId: number;
let twfSiteId: number;

const gpsMarker = 'HALFSKY-GPS-MARKER';
const alt = { altZh: '妇联志愿者在社区服务', altEn: 'Federation volunteers serving in the community' };

/** A photograph-like image: noise, so that the encoders have something to keep. */
function noise(width: number, height: number, seed = 7919): Buffer {
  const pixels = Buffer.alloc(width * height * 3);
  for (let index = 0; index < pixels.length; index += 1) pixels[index] = (index * seed) % 251;
  return pixels;
}

async function pngOf(width: number, height: number, seed?: number): Promise<Buffer> {
  return sharp(noise(width, height, seed), { raw: { width, height, channels: 3 } }).png().toBuffer();
}

/** A camera's JPEG: EXIF with the place it was taken (GPS), turned by its orientation tag. */
async function jpegWithGps(): Promise<Buffer> {
  return sharp(noise(1600, 1200, 31), { raw: { width: 1600, height: 1200, channels: 3 } })
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Copyright: 'Halfsky test' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '39/1 54/1 2700/100', GPSLongitudeRef: 'E', GPSLongitude: '116/1 23/1 2900/100', GPSMapDatum: gpsMarker },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

/** The API's image, as the tests read it. */
interface MediaJson {
  id: number;
  siteId: number;
  contentType: string;
  width: number;
  height: number;
  altEn: string;
  altZh: string;
  srcset: string;
  webpSrcset: string | null;
  renditions: { key: string; url: string; contentType: string; width: number; height: number; bytes: number }[];
}

function file(content: Buffer, filename: string, contentType = 'image/png'): UploadedFile {
  return { field: 'file', filename, content, contentType };
}

/** Posts to the upload API with the session and its CSRF header, as the workspace's scripts would. */
function apiUpload(client: SignedInClient | undefined, fields: Record<string, string>, upload?: UploadedFile): Promise<LightMyRequestResponse> {
  const body = multipartBody(fields, upload ? [upload] : []);
  return testApp.app.inject({
    method: 'POST',
    url: '/api/v1/media',
    headers: { ...(client ? { cookie: client.cookie, 'x-csrf-token': client.csrfToken } : {}), 'content-type': body.contentType },
    payload: body.payload,
  });
}

async function mediaRowCount(): Promise<number> {
  const row = await testApp.database.db.selectFrom('media').select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Every file under the media folder, temporary ones included. */
async function storedFiles(): Promise<string[]> {
  try {
    const entries = await readdir(path.join(testApp.dataDir, 'media'), { recursive: true, withFileTypes: true });
    return entries.filter((entry) => entry.isFile()).map((entry) => entry.name).sort();
  } catch {
    return [];
  }
}

async function siteId(slug: string): Promise<number> {
  const row = await testApp.database.db.selectFrom('site').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
  return row.id;
}

beforeAll(async () => {
  testApp = await createTestApp();
  const [editor, tianjin, bwfReviewer, admin] = await Promise.all([
    signIn(testApp.app, 'editor@bwf.example.org'),
    signIn(testApp.app, 'editor@twf.example.org'),
    signIn(testApp.app, 'reviewer@bwf.example.org'),
    signIn(testApp.app, 'admin@bwf.example.org'),
  ]);
  bwfEditor = inLanguage(testApp.app, editor, 'en');
  twfEditor = inLanguage(testApp.app, tianjin, 'en');
  reviewer = inLanguage(testApp.app, bwfReviewer, 'en');
  platformAdmin = inLanguage(testApp.app, admin, 'en');
  [bwfSiteId, twfSiteId] = await Promise.all([siteId('bwf'), siteId('twf')]);
});
afterAll(async () => {
  await testApp.close();
});

describe('uploading an image', () => {
  it('takes a PNG from the workspace form and shows it in the library with its sizes', async () => {
    const png = await pngOf(800, 600);
    const response = await postMultipart(testApp.app, bwfEditor, '/workspace/media', { siteId: String(bwfSiteId), ...alt }, [file(png, 'volunteers.png')]);
    expect(response.statusCode).toBe(303);
    const location = response.headers.location as string;
    expect(location).toMatch(/^\/workspace\/media\/\d+\?uploaded=1$/);

    const detail = await bwfEditor.get(location);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).toContain('The image was uploaded.');
    expect(detail.body).toContain(alt.altEn);
    expect(detail.body).toContain('volunteers.png');
    // Never wider than the original: 320, 640 and the original's 800, each as WebP and PNG.
    const keys = [...detail.body.matchAll(/href="\/media\/([0-9a-f]{64}-\d+\.(?:webp|png))"/g)].map((match) => match[1]);
    expect(new Set(keys.map((key) => key?.replace(/^[0-9a-f]{64}-/, '')))).toEqual(
      new Set(['320.webp', '320.png', '640.webp', '640.png', '800.webp', '800.png']),
    );

    const list = await bwfEditor.get('/workspace/media');
    expect(list.statusCode).toBe(200);
    expect(list.body).toMatch(/<img src="\/media\/[0-9a-f]{64}-320\.webp" alt="Federation volunteers serving in the community"/);
    expect(list.body).toContain('<a href="/workspace/media" aria-current="page">Media</a>');
  });

  it('strips the EXIF and its GPS position, applies the orientation, and serves each size for a year', async () => {
    const jpeg = await jpegWithGps();
    expect(jpeg.includes(Buffer.from(gpsMarker))).toBe(true);
    expect((await sharp(jpeg).metadata()).orientation).toBe(6);
    const response = await apiUpload(bwfEditor, { siteId: String(bwfSiteId), ...alt }, file(jpeg, 'IMG_0001.JPG', 'image/jpeg'));
    expect(response.statusCode).toBe(201);
    const media = response.json<MediaJson>();
    // Orientation 6: the camera's 1600×1200 is shown 1200×1600.
    expect(media).toMatchObject({ siteId: bwfSiteId, contentType: 'image/jpeg', width: 1200, height: 1600, altEn: alt.altEn, altZh: alt.altZh });
    expect(media.renditions.map((rendition) => `${rendition.width}.${rendition.contentType}`)).toEqual([
      '320.image/jpeg',
      '320.image/webp',
      '640.image/jpeg',
      '640.image/webp',
      '1200.image/jpeg',
      '1200.image/webp',
    ]);
    expect(media.srcset).toBe(media.renditions.filter((r) => r.contentType === 'image/jpeg').map((r) => `${r.url} ${r.width}w`).join(', '));
    expect(media.webpSrcset).toContain('-320.webp 320w');

    for (const rendition of media.renditions) {
      const served = await testApp.app.inject({ url: rendition.url });
      expect(served.statusCode).toBe(200);
      expect(served.headers['content-type']).toBe(rendition.contentType);
      expect(served.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(served.headers['x-content-type-options']).toBe('nosniff');
      expect(served.headers.etag).toMatch(/^"[\w-]+"$/);
      expect(served.rawPayload.length).toBe(rendition.bytes);
      expect(served.rawPayload.includes(Buffer.from(gpsMarker))).toBe(false);
      const metadata = await sharp(served.rawPayload).metadata();
      expect(metadata.exif).toBeUndefined();
      expect(metadata.orientation).toBeUndefined();
      expect([metadata.width, metadata.height]).toEqual([rendition.width, rendition.height]);
      expect(rendition.height).toBeGreaterThan(rendition.width);

      const again = await testApp.app.inject({ url: rendition.url, headers: { 'if-none-match': String(served.headers.etag) } });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
    }
  });

  it('gives the image already there when the same file is uploaded to the same site again', async () => {
    const png = await pngOf(400, 300, 101);
    const first = await apiUpload(bwfEditor, { siteId: String(bwfSiteId), ...alt }, file(png, 'a.png'));
    expect(first.statusCode).toBe(201);
    const rows = await mediaRowCount();
    const files = await storedFiles();
    const second = await apiUpload(bwfEditor, { siteId: String(bwfSiteId), altZh: '另一说明', altEn: 'Another text' }, file(png, 'b.png'));
    expect(second.statusCode).toBe(200);
    expect(second.json().id).toBe(first.json().id);
    expect(second.json().altEn).toBe(alt.altEn);
    expect(await mediaRowCount()).toBe(rows);
    expect(await storedFiles()).toEqual(files);
  });

  it('keeps an animated GIF moving, and takes a WebP as WebP only', async () => {
    const frame = (red: number) => sharp({ create: { width: 400, height: 300, channels: 3, background: { r: red, g: 40, b: 90 } } }).png().toBuffer();
    const frames = await Promise.all([20, 120, 220].map(frame));
    const gif = await sharp(frames, { join: { animated: true } }).gif({ delay: [200, 200, 200], loop: 0 }).toBuffer();
    const animated = await apiUpload(bwfEditor, { siteId: String(bwfSiteId), ...alt }, file(gif, 'dance.gif', 'image/gif'));
    expect(animated.statusCode).toBe(201);
    const media = animated.json<MediaJson>();
    expect([media.contentType, media.width, media.height]).toEqual(['image/gif', 400, 300]);
    expect(media.renditions.map((rendition) => `${rendition.width}x${rendition.height}.${rendition.contentType}`)).toEqual([
      '320x240.image/gif',
      '320x240.image/webp',
      '400x300.image/gif',
      '400x300.image/webp',
    ]);
    for (const rendition of media.renditions) {
      const served = await testApp.app.inject({ url: rendition.url });
      expect((await sharp(served.rawPayload).metadata()).pages).toBe(3);
    }

    const webp = await sharp(noise(900, 500), { raw: { width: 900, height: 500, channels: 3 } }).webp().toBuffer();
    const still = await apiUpload(bwfEditor, { siteId: String(bwfSiteId), ...alt }, file(webp, 'photo.webp', 'image/webp'));
    expect(still.statusCode).toBe(201);
    expect(still.json<MediaJson>().renditions.map((rendition) => `${rendition.width}.${rendition.contentType}`)).toEqual([
      '320.image/webp',
      '640.image/webp',
      '900.image/webp',
    ]);
    expect(still.json<MediaJson>().webpSrcset).toBeNull();
  });

  it('asks for the description in both languages, beside the fields', async () => {
    const png = await pngOf(100, 80, 13);
    const rows = await mediaRowCount();
    const form = await postMultipart(testApp.app, bwfEditor, '/workspace/media', { siteId: String(bwfSiteId), altZh: '说明', altEn: ' ' }, [file(png, 'x.png')]);
    expect(form.statusCode).toBe(400);
    expect(form.body).toContain('Describe the image for readers who cannot see it.');
    const api = await apiUpload(bwfEditor, { siteId: String(bwfSiteId), altZh: '', altEn: 'Text' }, file(png, 'x.png'));
    expect(api.statusCode).toBe(400);
    expect(api.json().error.message).toContain('altZh');
    expect(await mediaRowCount()).toBe(rows);
  });

  it('lists the images of the sites one writes for through the API', async () => {
    const response = await bwfEditor.api('GET', `/api/v1/media?siteId=${bwfSiteId}`);
    expect(response.statusCode).toBe(200);
    const page = response.json();
    expect(page.total).toBeGreaterThanOrEqual(3);
    expect(page.items.every((item: { siteId: number }) => item.siteId === bwfSiteId)).toBe(true);
    expect((await bwfEditor.api('GET', `/api/v1/media?siteId=${twfSiteId}`)).statusCode).toBe(404);
  });
});

describe('refusing a file', () => {
  const jpegHalf = async () => {
    const jpeg = await sharp(noise(800, 600), { raw: { width: 800, height: 600, channels: 3 } }).jpeg().toBuffer();
    return jpeg.subarray(0, Math.floor(jpeg.length / 2));
  };
  const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(2048, 0x90)]);
  const windowsExecutable = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(1022, 0), Buffer.from('PE\0\0')]);
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');

  const cases: { name: string; make: () => Promise<UploadedFile>; status: number; code: string; message: RegExp }[] = [
    { name: 'a zero-byte file', make: async () => file(Buffer.alloc(0), 'empty.jpg', 'image/jpeg'), status: 400, code: 'empty_file', message: /empty/ },
    { name: 'an ELF executable renamed .jpg', make: async () => file(elf, 'holiday.jpg', 'image/jpeg'), status: 400, code: 'not_an_image', message: /not an image/ },
    { name: 'a Windows executable renamed .png', make: async () => file(windowsExecutable, 'cat.png'), status: 400, code: 'not_an_image', message: /not an image/ },
    { name: 'an SVG with a script', make: async () => file(svg, 'logo.png'), status: 400, code: 'not_an_image', message: /not an image/ },
    {
      name: 'a truncated animated GIF',
      make: async () => {
        const frames = await Promise.all([5, 9, 17].map((seed) => pngOf(200, 150, seed)));
        const gif = await sharp(frames, { join: { animated: true } }).gif().toBuffer();
        return file(gif.subarray(0, Math.floor((gif.length * 2) / 3)), 'cut.gif', 'image/gif');
      },
      status: 400,
      code: 'damaged_image',
      message: /damaged/,
    },
    { name: 'a truncated JPEG', make: async () => file(await jpegHalf(), 'cut.jpg', 'image/jpeg'), status: 400, code: 'damaged_image', message: /damaged/ },
    {
      name: 'an image of more than 40 megapixels',
      make: async () => file(await sharp({ create: { width: 8000, height: 5001, channels: 3, background: '#c00' } }).png().toBuffer(), 'huge.png'),
      status: 400,
      code: 'too_many_pixels',
      message: /40 megapixels/,
    },
    {
      name: 'an 11 MiB file',
      make: async () => file(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(11 * 1024 * 1024, 0x41)]), 'big.jpg', 'image/jpeg'),
      status: 413,
      code: 'too_large',
      message: /larger than 10 MiB/,
    },
  ];

  for (const refused of cases) {
    it(`refuses ${refused.name} with a clear message, and stores nothing`, async () => {
      const upload = await refused.make();
      const rows = await mediaRowCount();
      const files = await storedFiles();

      const api = await apiUpload(bwfEditor, { siteId: String(bwfSiteId), ...alt }, upload);
      expect(api.statusCode).toBe(refused.status);
      expect(api.json().error.code).toBe(refused.code);
      expect(api.json().error.message).toMatch(refused.message);

      const form = await postMultipart(testApp.app, bwfEditor, '/workspace/media', { siteId: String(bwfSiteId), ...alt }, [upload]);
      expect(form.statusCode).toBe(refused.status);
      expect(form.headers['content-type']).toMatch(/^text\/html/);
      expect(form.body).toMatch(refused.message);
      expect(form.body).toContain('id="file-error"');

      expect(await mediaRowCount()).toBe(rows);
      expect(await storedFiles()).toEqual(files);
    });
  }

  it('says so in Chinese on a Chinese workspace page', async () => {
    const chinese = inLanguage(testApp.app, bwfEditor, 'zh');
    const form = await postMultipart(testApp.app, chinese, '/workspace/media', { siteId: String(bwfSiteId), ...alt }, [file(elf, 'holiday.jpg', 'image/jpeg')]);
    expect(form.statusCode).toBe(400);
    expect(form.body).toContain('该文件不是图片');
  });
});

describe('who may use the library', () => {
  let bwfImage: { id: number; renditions: { url: string }[] };

  beforeAll(async () => {
    const response = await apiUpload(bwfEditor, { siteId: String(bwfSiteId), ...alt }, file(await pngOf(500, 400, 977), 'bwf.png'));
    expect(response.statusCode).toBe(201);
    bwfImage = response.json();
  });

  it('asks who is calling before reading an upload', async () => {
    const response = await apiUpload(undefined, { siteId: String(bwfSiteId), ...alt }, file(await pngOf(50, 50), 'x.png'));
    expect(response.statusCode).toBe(401);
    const page = await postMultipart(testApp.app, undefined, '/workspace/media', { siteId: String(bwfSiteId), ...alt }, [file(await pngOf(50, 50), 'x.png')]);
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toMatch(/^\/workspace\/sign-in/);
  });

  it('refuses a workspace upload without the form’s CSRF token', async () => {
    const response = await postMultipart(testApp.app, bwfEditor, '/workspace/media', { _csrf: 'forged', siteId: String(bwfSiteId), ...alt }, [
      file(await pngOf(60, 60), 'x.png'),
    ]);
    expect(response.statusCode).toBe(403);
  });

  it('does not let a TWF editor upload to the BWF site, see its images or delete them', async () => {
    const rows = await mediaRowCount();
    const upload = await apiUpload(twfEditor, { siteId: String(bwfSiteId), ...alt }, file(await pngOf(300, 200, 3), 'tj.png'));
    expect(upload.statusCode).toBe(404);
    const form = await postMultipart(testApp.app, twfEditor, '/workspace/media', { siteId: String(bwfSiteId), ...alt }, [file(await pngOf(300, 200, 3), 'tj.png')]);
    expect(form.statusCode).toBe(404);
    expect(await mediaRowCount()).toBe(rows);

    expect((await twfEditor.api('GET', `/api/v1/media/${bwfImage.id}`)).statusCode).toBe(404);
    expect((await twfEditor.api('DELETE', `/api/v1/media/${bwfImage.id}`)).statusCode).toBe(404);
    expect((await twfEditor.get(`/workspace/media/${bwfImage.id}`)).statusCode).toBe(404);
    expect((await twfEditor.post(`/workspace/media/${bwfImage.id}/delete`)).statusCode).toBe(404);
    const list = await twfEditor.get('/workspace/media');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(bwfImage.renditions[0]?.url);
    expect((await testApp.app.inject({ url: bwfImage.renditions[0]?.url ?? '' })).statusCode).toBe(200);
  });

  it('does not let a reviewer upload, nor show her the library', async () => {
    const upload = await apiUpload(reviewer, { siteId: String(bwfSiteId), ...alt }, file(await pngOf(300, 200, 5), 'r.png'));
    expect(upload.statusCode).toBe(404);
    const form = await postMultipart(testApp.app, reviewer, '/workspace/media', { siteId: String(bwfSiteId), ...alt }, [file(await pngOf(300, 200, 5), 'r.png')]);
    expect(form.statusCode).toBe(404);
    expect((await reviewer.get('/workspace/media')).statusCode).toBe(404);
    expect((await reviewer.get('/workspace')).body).not.toContain('href="/workspace/media"');
    expect((await bwfEditor.get('/workspace')).body).toContain('href="/workspace/media"');
  });

  it('lets the BWF editor delete the image after a confirmation: its files go, and both steps are audited', async () => {
    const confirm = await bwfEditor.get(`/workspace/media/${bwfImage.id}/delete`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('This cannot be undone.');
    const filesBefore = await storedFiles();
    const deleted = await bwfEditor.post(`/workspace/media/${bwfImage.id}/delete`);
    expect(deleted.statusCode).toBe(303);
    expect(deleted.headers.location).toBe('/workspace/media?deleted=1');
    expect((await bwfEditor.get('/workspace/media?deleted=1')).body).toContain('Deleted.');
    expect((await bwfEditor.api('GET', `/api/v1/media/${bwfImage.id}`)).statusCode).toBe(404);
    for (const rendition of bwfImage.renditions) expect((await testApp.app.inject({ url: rendition.url })).statusCode).toBe(404);
    expect((await storedFiles()).length).toBe(filesBefore.length - bwfImage.renditions.length);

    const audit = await testApp.database.db
      .selectFrom('audit_event')
      .select(['action', 'actor_user_id'])
      .where('entity_type', '=', 'media')
      .where('entity_id', '=', String(bwfImage.id))
      .orderBy('id')
      .execute();
    expect(audit.map((event) => event.action)).toEqual(['create', 'delete']);
  });
});

describe('the same file on two sites', () => {
  it('is stored once, and its files stay while another site still has it', async () => {
    const png = await pngOf(700, 500, 4099);
    const bwf = await apiUpload(platformAdmin, { siteId: String(bwfSiteId), ...alt }, file(png, 'shared.png'));
    const filesAfterFirst = await storedFiles();
    const twf = await apiUpload(platformAdmin, { siteId: String(twfSiteId), ...alt }, file(png, 'shared.png'));
    expect([bwf.statusCode, twf.statusCode]).toEqual([201, 201]);
    expect(twf.json().id).not.toBe(bwf.json().id);
    expect(await storedFiles()).toEqual(filesAfterFirst);

    expect((await platformAdmin.api('DELETE', `/api/v1/media/${bwf.json().id}`)).statusCode).toBe(204);
    const url: string = twf.json().renditions[0].url;
    expect((await testApp.app.inject({ url })).statusCode).toBe(200);
    expect((await twfEditor.api('DELETE', `/api/v1/media/${twf.json().id}`)).statusCode).toBe(204);
    expect((await testApp.app.inject({ url })).statusCode).toBe(404);
  });
});

describe('serving files', () => {
  it('answers 404 for unknown keys and anything that is not a key', async () => {
    const unknown = `${'a'.repeat(64)}-640.webp`;
    for (const url of [
      `/media/${unknown}`,
      `/media/${'a'.repeat(64)}-640.svg`,
      '/media/..%2F..%2Fetc%2Fpasswd',
      '/media/%2e%2e%2fpackage.json',
      `/media/${'A'.repeat(64)}-640.webp`,
      `/media/${'a'.repeat(64)}-0640.webp`,
    ]) {
      const response = await testApp.app.inject({ url });
      expect(response.statusCode, url).toBe(404);
    }
  });
});

describe('mediaSrcset', () => {
  const rendition = (width: number, contentType: 'image/jpeg' | 'image/webp') => {
    const extension = contentType === 'image/jpeg' ? 'jpg' : 'webp';
    const key = `${'b'.repeat(64)}-${width}.${extension}`;
    return { key, url: `/media/${key}`, contentType, width, height: Math.round((width * 3) / 4), bytes: 1000 };
  };

  it('gives the original format to the img and WebP to a source, narrowest first', () => {
    const media: Pick<Media, 'contentType' | 'renditions'> = {
      contentType: 'image/jpeg',
      renditions: [320, 640, 1280].flatMap((width) => [rendition(width, 'image/jpeg'), rendition(width, 'image/webp')]),
    };
    const image = mediaSrcset(media, '100vw');
    const b = 'b'.repeat(64);
    expect(image).toEqual({
      src: `/media/${b}-640.jpg`,
      srcset: `/media/${b}-320.jpg 320w, /media/${b}-640.jpg 640w, /media/${b}-1280.jpg 1280w`,
      sizes: '100vw',
      width: 1280,
      height: 960,
      sources: [{ type: 'image/webp', srcset: `/media/${b}-320.webp 320w, /media/${b}-640.webp 640w, /media/${b}-1280.webp 1280w`, sizes: '100vw' }],
    });
  });

  it('needs no source for a WebP upload', () => {
    const image = mediaSrcset({ contentType: 'image/webp', renditions: [rendition(300, 'image/webp')] });
    expect(image.sources).toEqual([]);
    expect(image.src).toBe(`/media/${'b'.repeat(64)}-300.webp`);
  });
});

describe('descriptions that carry markup', () => {
  it('are stored as text and never become markup on the workspace pages', async () => {
    const payloads = {
      altEn: '"><script>window.__xss=1</script><img src=x onerror=alert(1)>',
      altZh: '<svg onload=alert(1)>说明</svg>',
    };
    const response = await apiUpload(bwfEditor, { siteId: String(bwfSiteId), ...payloads }, file(await pngOf(40, 30, 4242), 'payload.png'));
    expect(response.statusCode).toBe(201);
    expect(response.json().altEn).toBe(payloads.altEn);
    for (const url of [`/workspace/media/${response.json().id}`, '/workspace/media']) {
      const page = await bwfEditor.get(url);
      expect(page.statusCode).toBe(200);
      expect(findExecutableHtml(page.body), url).toEqual([]);
    }
  });
});
