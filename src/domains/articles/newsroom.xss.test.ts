import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { findExecutableHtml } from '../../../test/html-safety.ts';
import { readPortal, sectionIdOf, siteIdOf } from '../../../test/newsroom.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';

/** Ways people have got script into pages: raw HTML, attributes, addresses, Markdown links, parser confusion. */
const htmlPayloads = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://evil.example/x.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<img src="x" onerror="alert(1)">',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  '<iframe src="https://evil.example/"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<a href="javascript:alert(1)">click</a>',
  '<a href="JaVaScRiPt:alert(1)">click</a>',
  '<a href="&#106;avascript:alert(1)">click</a>',
  '<a href=" javascript:alert(1)">click</a>',
  '<a href="java\tscript:alert(1)">click</a>',
  '<a href="vbscript:msgbox(1)">click</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
  '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
  '<div style="background:url(javascript:alert(1))">styled</div>',
  '<p style="width: expression(alert(1))">styled</p>',
  '<style>@import "https://evil.example/x.css"; body{background:url(javascript:alert(1))}</style>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="javascript:alert(1)">',
  '<form action="javascript:alert(1)"><button>go</button></form>',
  '<button formaction="javascript:alert(1)">go</button>',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<base href="javascript:alert(1)//">',
  '<body onload=alert(1)>',
  '<details open ontoggle=alert(1)>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '</textarea><script>alert(1)</script>',
  '</title><script>alert(1)</script>',
  '<!--<script>alert(1)</script>-->',
  '<img src=x:alert(alt) onerror=eval(src) alt=0>',
  '<a href="https://example.org" onclick="alert(1)">ok</a>',
];

/** Markdown that a careless renderer turns into script. */
const markdownPayloads = [
  '[click](javascript:alert(1))',
  '[click](JAVASCRIPT:alert(1))',
  '[click](<javascript:alert(1)>)',
  '![x](javascript:alert(1))',
  '![x](x" onerror="alert(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '<javascript:alert(1)>',
  '[a]: javascript:alert(1)\n\n[click][a]',
];

const allPayloads = [...htmlPayloads, ...markdownPayloads];

let testApp: TestApp;
let editor: SignedInClient;
let bwfSite: number;
let updatesSection: number;
const written: { id: number; slug: string; payload: string }[] = [];

beforeAll(async () => {
  testApp = await createTestApp();
  const { db } = testApp.database;
  bwfSite = await siteIdOf(db, 'bwf');
  updatesSection = await sectionIdOf(db, 'bwf', 'updates');
  // This file's own database: the editor may publish her own updates, which keeps the set-up short.
  await db.updateTable('site').set({ allow_self_publish: true }).where('id', '=', bwfSite).execute();
  editor = await signIn(testApp.app, 'editor@bwf.example.org');
  for (const [index, payload] of allPayloads.entries()) {
    const created = await editor.api('POST', '/api/v1/articles', {
      siteId: bwfSite,
      sectionId: updatesSection,
      slug: `payload-${index}`,
      publishAt: '2024-06-01 09:00',
      tags: [payload.slice(0, 40), `t${index}`],
      titleZh: `标题 ${payload}`.slice(0, 300),
      summaryZh: payload,
      bodyZh: `正文开始\n\n${payload}\n\n正文结束`,
      statusZh: 'reviewed',
      titleEn: `Title ${payload}`.slice(0, 300),
      summaryEn: payload,
      bodyEn: `Before ${payload} inline\n\n${payload}\n\n- a list with ${payload}\n\nAfter`,
      statusEn: 'reviewed',
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id, slug } = created.json();
    const published = await editor.api('POST', `/api/v1/articles/${id}/transitions`, { action: 'publish' });
    expect(published.statusCode, published.body).toBe(200);
    written.push({ id, slug, payload });
  }
});
afterAll(async () => {
  await testApp.close();
});

describe('the safety check itself', () => {
  it('catches each HTML payload when it is put in a page as is', () => {
    for (const payload of htmlPayloads.filter((candidate) => !candidate.startsWith('<!--'))) {
      expect(findExecutableHtml(`<p>${payload}</p>`), payload).not.toEqual([]);
    }
    expect(findExecutableHtml('<p>text with onerror=alert(1) and javascript:alert(1) in it</p><script type="application/ld+json">{}</script>')).toEqual([]);
  });
});

describe('hostile text in every field', () => {
  it('is stored harmless: the sanitized HTML has no script, handler or script address', async () => {
    const rows = await testApp.database.db
      .selectFrom('article_translation')
      .select(['article_id', 'body_html'])
      .where(
        'article_id',
        'in',
        written.map((entry) => entry.id),
      )
      .execute();
    expect(rows).toHaveLength(written.length * 2);
    for (const row of rows) {
      expect(findExecutableHtml(row.body_html), row.body_html).toEqual([]);
      expect(row.body_html).not.toMatch(/<(script|iframe|svg|math|style|object|embed|base|meta|form|noscript)\b/i);
    }
  });

  it('is served harmless on the portal: article pages in both languages, lists, search', async () => {
    for (const { slug, payload } of written) {
      for (const url of [`/en/articles/${slug}`, `/zh/articles/${slug}`]) {
        const response = await readPortal(testApp.app, url);
        expect(response.statusCode, `${url} for ${payload}`).toBe(200);
        expect(findExecutableHtml(response.body), `${url} for ${payload}`).toEqual([]);
      }
    }
    for (const url of ['/en/', '/zh/', '/en/events/updates', '/en/events/updates?page=2', '/en/search?q=alert', '/zh/search?q=%E6%A0%87%E9%A2%98']) {
      const response = await readPortal(testApp.app, url);
      expect(response.statusCode, url).toBe(200);
      expect(findExecutableHtml(response.body), url).toEqual([]);
    }
  });

  it('shows the words of a title as text, not markup', async () => {
    const entry = written.find((candidate) => candidate.payload === '<script>alert(1)</script>');
    const response = await readPortal(testApp.app, `/en/articles/${entry?.slug}`);
    expect(response.body).toContain('<h1>Title &lt;script>alert(1)&lt;/script></h1>');
  });

  it('is harmless in the workspace: list, article page, form, revisions, preview', async () => {
    const list = await editor.get('/workspace/articles?limit=200');
    expect(findExecutableHtml(list.body)).toEqual([]);
    for (const { id, payload } of written) {
      for (const url of [`/workspace/articles/${id}`, `/workspace/articles/${id}/edit`, `/workspace/articles/${id}/revisions`]) {
        const response = await editor.get(url);
        expect(response.statusCode, url).toBe(200);
        expect(findExecutableHtml(response.body), `${url} for ${payload}`).toEqual([]);
      }
    }
    const preview = await editor.post('/workspace/articles', {
      siteId: String(bwfSite),
      sectionId: String(updatesSection),
      publishAt: '2024-06-01T09:00',
      intent: 'preview',
      titleEn: 'Preview',
      bodyEn: allPayloads.join('\n\n'),
      titleZh: '预览',
      bodyZh: allPayloads.join('\n\n'),
    });
    expect(preview.statusCode).toBe(200);
    expect(findExecutableHtml(preview.body)).toEqual([]);
  });

  it('is harmless in the API: bodies are sanitized HTML', async () => {
    for (const { id } of written) {
      const response = await testApp.app.inject({ url: `/api/v1/articles/${id}` });
      expect(response.statusCode).toBe(200);
      for (const translation of response.json().translations) expect(findExecutableHtml(translation.bodyHtml)).toEqual([]);
    }
  });
});
