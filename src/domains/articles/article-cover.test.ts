import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { inLanguage } from '../../../test/language.ts';
import { postMultipart } from '../../../test/multipart.ts';
import { articleFields, readPortal, sectionIdOf, siteIdOf } from '../../../test/newsroom.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';

let testApp: TestApp;
let editor: SignedInClient;
let reviewer: SignedInClient;
let twfEditor: SignedInClient;
let bwfSite: number;
let updatesSection: number;
let bwfImage: number;
let twfImage: number;

const alt = { altZh: '妇联志愿者在社区服务', altEn: 'Federation volunteers serving in the community' };

async function pngOf(width: number, height: number, seed: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let index = 0; index < pixels.length; index += 1) pixels[index] = (index * seed) % 251;
  return sharp(pixels, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

/** Uploads an image through the workspace form and returns its id. */
async function upload(client: SignedInClient, siteId: number, seed: number, altText = alt): Promise<number> {
  const png = await pngOf(800, 600, seed);
  const response = await postMultipart(testApp.app, client, '/workspace/media', { siteId: String(siteId), ...altText }, [
    { field: 'file', filename: `cover-${seed}.png`, content: png, contentType: 'image/png' },
  ]);
  expect(response.statusCode, response.body).toBe(303);
  return Number(/\/workspace\/media\/(\d+)/.exec(response.headers.location as string)?.[1]);
}

async function writeUpdate(fields: Record<string, string>) {
  return editor.post('/workspace/articles', { siteId: String(bwfSite), sectionId: String(updatesSection), intent: 'save', ...articleFields(fields) });
}

async function articleRow(id: number) {
  return testApp.database.db.selectFrom('article').select(['status', 'slug', 'cover_media_id']).where('id', '=', id).executeTakeFirstOrThrow();
}

beforeAll(async () => {
  testApp = await createTestApp();
  const { db } = testApp.database;
  const [bwf, bwfReviewer, twf] = await Promise.all([
    signIn(testApp.app, 'editor@bwf.example.org'),
    signIn(testApp.app, 'reviewer@bwf.example.org'),
    signIn(testApp.app, 'editor@twf.example.org'),
  ]);
  editor = inLanguage(testApp.app, bwf, 'en');
  reviewer = inLanguage(testApp.app, bwfReviewer, 'en');
  twfEditor = inLanguage(testApp.app, twf, 'en');
  bwfSite = await siteIdOf(db, 'bwf');
  updatesSection = await sectionIdOf(db, 'bwf', 'updates');
  bwfImage = await upload(editor, bwfSite, 7919);
  twfImage = await upload(twfEditor, await siteIdOf(db, 'twf'), 104729, { altZh: '天津的图片', altEn: 'A Tianjin picture' });
});
afterAll(async () => {
  await testApp.close();
});

describe("an update's cover image", () => {
  it("is chosen in the form from the site's media, labelled in both languages, with a link to upload one", async () => {
    const en = await editor.get(`/workspace/articles/new?siteId=${bwfSite}`);
    expect(en.statusCode).toBe(200);
    expect(en.body).toMatch(/<label for="coverMediaId">Cover image/);
    expect(en.body).toContain(`<option value="${bwfImage}">${alt.altEn}`);
    expect(en.body).not.toContain('A Tianjin picture');
    expect(en.body).toContain('<a href="/workspace/media">Upload an image</a>');
    const zh = await inLanguage(testApp.app, editor, 'zh').get(`/workspace/articles/new?siteId=${bwfSite}`);
    expect(zh.body).toMatch(/<label for="coverMediaId">封面图片/);
    expect(zh.body).toContain(`<option value="${bwfImage}">${alt.altZh}`);
  });

  it("refuses another site's image with a message beside the field, and saves nothing", async () => {
    const title = 'An update with a Tianjin cover';
    const refused = await writeUpdate({ titleEn: title, coverMediaId: String(twfImage) });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toMatch(/<p class="error" id="coverMediaId-error">Choose an image of this site's media library\.<\/p>/);
    const saved = await testApp.database.db
      .selectFrom('article_translation')
      .select('article_id')
      .where('title', '=', title)
      .execute();
    expect(saved).toHaveLength(0);

    // Nor through the API on an update that exists; nothing changes, not even a revision.
    const created = await writeUpdate({ titleEn: 'An update without a cover' });
    const id = Number(/\/workspace\/articles\/(\d+)$/.exec(created.headers.location ?? '')?.[1]);
    const patched = await editor.api('PATCH', `/api/v1/articles/${id}`, { coverMediaId: twfImage });
    expect(patched.statusCode).toBe(400);
    expect(patched.json().error.message).toBe("Choose an image of this site's media library.");
    expect((await articleRow(id)).cover_media_id).toBeNull();
    const revisions = await testApp.database.db.selectFrom('article_revision').select('number').where('article_id', '=', id).execute();
    expect(revisions).toHaveLength(1);
  });

  it('is saved, kept in the revision, given by the API, and shown on the portal with its description, og:image and JSON-LD', async () => {
    const created = await writeUpdate({ titleEn: 'Volunteers in Daxing', coverMediaId: String(bwfImage) });
    expect(created.statusCode, created.body).toBe(303);
    const id = Number(/\/workspace\/articles\/(\d+)$/.exec(created.headers.location ?? '')?.[1]);
    expect((await articleRow(id)).cover_media_id).toBe(bwfImage);
    const revision = await testApp.database.db.selectFrom('article_revision').select('snapshot').where('article_id', '=', id).executeTakeFirstOrThrow();
    expect(revision.snapshot.coverMediaId).toBe(bwfImage);
    expect((await editor.api('GET', `/api/v1/articles/${id}`)).json().coverMediaId).toBe(bwfImage);
    const form = await editor.get(`/workspace/articles/${id}/edit`);
    expect(form.body).toContain(`<option value="${bwfImage}" selected>`);

    // Approved by the reviewer, published by the editor who wrote it.
    expect((await editor.post(`/workspace/articles/${id}/steps`, { action: 'submit', comment: '' })).statusCode).toBe(200);
    expect((await reviewer.post(`/workspace/articles/${id}/steps`, { action: 'approve', comment: '' })).statusCode).toBe(200);
    expect((await editor.post(`/workspace/articles/${id}/steps`, { action: 'publish', comment: '' })).statusCode).toBe(200);
    const { slug, status } = await articleRow(id);
    expect(status).toBe('published');

    const en = await readPortal(testApp.app, `/en/articles/${slug}`);
    expect(en.statusCode).toBe(200);
    const cover = en.body.slice(en.body.indexOf('<picture class="cover">'), en.body.indexOf('</picture>') + 10);
    expect(cover).toContain(`alt="${alt.altEn}"`);
    expect(cover).toMatch(/<source type="image\/webp" srcset="\/media\/[0-9a-f]{64}-320\.webp 320w/);
    expect(en.body.indexOf('<picture class="cover">')).toBeLessThan(en.body.indexOf('<div class="body">'));
    const ogImage = /<meta property="og:image" content="([^"]+)"\/>/.exec(en.body)?.[1];
    expect(ogImage).toMatch(/^https?:\/\/[^/]+\/media\/[0-9a-f]{64}-800\.png$/);
    expect(en.body).toContain(`<meta property="og:image:alt" content="${alt.altEn}"/>`);
    expect(en.body).not.toContain('twitter:');
    const jsonLd = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(en.body)?.[1] ?? '{}');
    expect(jsonLd.image).toBe(ogImage);
    const image = await testApp.app.inject({ url: new URL(ogImage as string).pathname });
    expect(image.statusCode).toBe(200);

    const zh = await readPortal(testApp.app, `/zh/articles/${slug}`);
    expect(zh.body).toContain(`alt="${alt.altZh}"`);
  });
});
