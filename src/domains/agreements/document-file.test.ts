import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { multipartBody, postMultipart } from '../../../test/multipart.ts';
import { inLanguage } from '../../../test/language.ts';
import { signIn, type SignedInClient } from '../../../test/workspace.ts';
import { demoDocuments } from '../../db/demo/demo-agreements.ts';

let testApp: TestApp;
let editor: SignedInClient;
let twfEditor: SignedInClient;
let reviewer: SignedInClient;
let agreementId: number;

const [agreement] = demoDocuments;

/** A small but well-formed PDF: the header, one empty page, the trailer. */
const pdf = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n' +
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);

function pdfFile(filename: string, content: Buffer | string = pdf) {
  return { field: 'file', filename, content, contentType: 'application/pdf' };
}

async function fileCount(): Promise<number> {
  const row = await testApp.database.db.selectFrom('document_file').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

beforeAll(async () => {
  testApp = await createTestApp();
  [editor, twfEditor, reviewer] = (
    await Promise.all(['editor@bwf.example.org', 'editor@twf.example.org', 'reviewer@bwf.example.org'].map((email) => signIn(testApp.app, email)))
  ).map((client) => inLanguage(testApp.app, client, 'en')) as [SignedInClient, SignedInClient, SignedInClient];
  agreementId = (await testApp.database.db.selectFrom('document').select('id').where('title_zh', '=', agreement?.titleZh ?? '').executeTakeFirstOrThrow()).id;
});

afterAll(async () => {
  await testApp.close();
});

describe('the files of a document', () => {
  it('are added as PDFs by a party’s staff, listed on the document’s page, downloaded as they were, and audited', async () => {
    const form = await editor.get(`/workspace/agreements/${agreementId}/files/new`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('enctype="multipart/form-data"');

    const added = await postMultipart(testApp.app, editor, `/workspace/agreements/${agreementId}/files`, { locale: 'zh' }, [pdfFile('京津冀框架协议（签署版）.pdf')]);
    expect(added.statusCode).toBe(303);
    const fileId = Number(/#file-(\d+)$/.exec(String(added.headers.location))?.[1]);
    expect(fileId).toBeGreaterThan(0);

    const page = await reviewer.get(`/workspace/agreements/${agreementId}`);
    expect(page.body).toContain(`href="/workspace/agreements/${agreementId}/files/${fileId}"`);
    expect(page.body).toContain('京津冀框架协议（签署版）.pdf');
    expect(page.body).toContain('Chinese version · PDF, ');
    // A reader of the network downloads it; only those who may change the document see the controls.
    expect(page.body).not.toContain(`/files/${fileId}/delete`);
    expect(page.body).not.toContain('Add a PDF');

    const download = await reviewer.get(`/workspace/agreements/${agreementId}/files/${fileId}`);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toContain(`attachment;`);
    expect(download.headers['content-disposition']).toContain(encodeURIComponent('京津冀框架协议（签署版）.pdf'));
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.rawPayload.equals(pdf)).toBe(true);

    const audit = await testApp.database.db.selectFrom('audit_event').select(['action', 'after']).where('entity_type', '=', 'document_file').where('entity_id', '=', String(fileId)).execute();
    expect(audit).toEqual([expect.objectContaining({ action: 'create', after: expect.objectContaining({ name: '京津冀框架协议（签署版）.pdf', locale: 'zh' }) })]);
  });

  it('refuses what is not a PDF, an empty file and one over 20 MiB with a message beside the field, writing nothing', async () => {
    const before = await fileCount();
    const renamed = await postMultipart(testApp.app, editor, `/workspace/agreements/${agreementId}/files`, { locale: 'en' }, [
      pdfFile('agreement.pdf', '<html><script>alert(1)</script></html>'),
    ]);
    expect(renamed.statusCode).toBe(400);
    expect(renamed.body).toContain('Only PDF files can be added.');
    expect(renamed.body).toContain('<option value="en" selected>');
    const empty = await postMultipart(testApp.app, editor, `/workspace/agreements/${agreementId}/files`, { locale: 'en' }, [pdfFile('empty.pdf', Buffer.alloc(0))]);
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('The file is empty.');
    const huge = await postMultipart(testApp.app, editor, `/workspace/agreements/${agreementId}/files`, { locale: 'en' }, [
      pdfFile('huge.pdf', Buffer.concat([pdf, Buffer.alloc(20 * 1024 * 1024)])),
    ]);
    expect(huge.statusCode).toBe(413);
    expect(huge.body).toContain('The file is larger than 20 MiB.');
    const none = await postMultipart(testApp.app, editor, `/workspace/agreements/${agreementId}/files`, { locale: 'en' }, []);
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Choose the PDF to upload.');
    expect(await fileCount()).toBe(before);
  });

  it('answers those who may not change the document with not found', async () => {
    const before = await fileCount();
    // The reviewer reads the network but changes nothing.
    expect((await reviewer.get(`/workspace/agreements/${agreementId}/files/new`)).statusCode).toBe(404);
    expect((await postMultipart(testApp.app, reviewer, `/workspace/agreements/${agreementId}/files`, { locale: 'zh' }, [pdfFile('x.pdf')])).statusCode).toBe(404);
    const circular = await testApp.database.db.selectFrom('document').select('id').where('kind', '=', 'circular').executeTakeFirstOrThrow();
    // The circular is the BWF's; the TWF is no issuer of it.
    expect((await postMultipart(testApp.app, twfEditor, `/workspace/agreements/${circular.id}/files`, { locale: 'zh' }, [pdfFile('x.pdf')])).statusCode).toBe(404);
    expect(await fileCount()).toBe(before);
  });

  it('are on the public page of a public document, and deleted after a confirmation', async () => {
    const added = await postMultipart(testApp.app, editor, `/workspace/agreements/${agreementId}/files`, { locale: 'en' }, [pdfFile('Framework agreement (signed).pdf')]);
    const fileId = Number(/#file-(\d+)$/.exec(String(added.headers.location))?.[1]);
    const publicPage = await testApp.app.inject({ url: `/en/agreements/${agreementId}` });
    expect(publicPage.statusCode).toBe(200);
    expect(publicPage.body).toContain(`href="/en/agreements/${agreementId}/files/${fileId}"`);
    const publicDownload = await testApp.app.inject({ url: `/en/agreements/${agreementId}/files/${fileId}` });
    expect(publicDownload.statusCode).toBe(200);
    expect(publicDownload.rawPayload.equals(pdf)).toBe(true);
    // Not under another document's address (the demo's circular is not public)…
    const circular = await testApp.database.db.selectFrom('document').select('id').where('kind', '=', 'circular').where('is_public', '=', false).executeTakeFirstOrThrow();
    expect((await testApp.app.inject({ url: `/en/agreements/${circular.id}/files/${fileId}` })).statusCode).toBe(404);
    // …and the media address never serves it.
    const key = (await testApp.database.db.selectFrom('document_file').select('key').where('id', '=', fileId).executeTakeFirstOrThrow()).key;
    expect((await testApp.app.inject({ url: `/media/${key}` })).statusCode).toBe(404);

    const confirm = await editor.get(`/workspace/agreements/${agreementId}/files/${fileId}/delete`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Framework agreement (signed).pdf');
    expect((await editor.post(`/workspace/agreements/${agreementId}/files/${fileId}/delete`)).statusCode).toBe(303);
    expect((await editor.get(`/workspace/agreements/${agreementId}/files/${fileId}`)).statusCode).toBe(404);
    expect((await testApp.app.inject({ url: `/en/agreements/${agreementId}/files/${fileId}` })).statusCode).toBe(404);
  });

  it('are in the API: listed, added (refusals as JSON), downloaded and removed', async () => {
    const body = multipartBody({ locale: 'en' }, [pdfFile('api.pdf')]);
    const headers = { cookie: editor.cookie, 'x-csrf-token': editor.csrfToken, origin: 'http://localhost:80', 'content-type': body.contentType };
    const created = await testApp.app.inject({ method: 'POST', url: `/api/v1/documents/${agreementId}/files`, headers, payload: body.payload });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ documentId: agreementId, locale: 'en', name: 'api.pdf', bytes: pdf.length });
    const listed = await editor.api('GET', `/api/v1/documents/${agreementId}/files`);
    expect(listed.json().items.map((item: { name: string }) => item.name)).toContain('api.pdf');

    const wrong = multipartBody({ locale: 'en' }, [pdfFile('api.pdf', 'GIF89a')]);
    const refused = await testApp.app.inject({ method: 'POST', url: `/api/v1/documents/${agreementId}/files`, headers: { ...headers, 'content-type': wrong.contentType }, payload: wrong.payload });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toEqual({ error: { code: 'not_a_pdf', message: 'Only PDF files can be added.' } });

    const fileId = created.json().id as number;
    expect((await editor.api('GET', `/api/v1/documents/${agreementId}/files/${fileId}`)).rawPayload.equals(pdf)).toBe(true);
    expect((await twfEditor.api('DELETE', `/api/v1/documents/${agreementId + 1000}/files/${fileId}`)).statusCode).toBe(404);
    expect((await editor.api('DELETE', `/api/v1/documents/${agreementId}/files/${fileId}`)).statusCode).toBe(204);
    const paths = Object.keys((await editor.get('/api/openapi.json')).json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/documents/{id}/files', '/api/v1/documents/{id}/files/{fileId}']));
  });
});
