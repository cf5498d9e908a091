import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';

let testApp: TestApp;

const agreementTitle = '京津冀妇女协同发展合作框架协议';
const circularTitle = '关于以高质量党建服务保障京津冀协同发展的若干措施';

async function documentId(titleZh: string): Promise<number> {
  return (await testApp.database.db.selectFrom('document').select('id').where('title_zh', '=', titleZh).executeTakeFirstOrThrow()).id;
}

function get(url: string) {
  return testApp.app.inject({ url });
}

beforeAll(async () => {
  testApp = await createTestApp();
});
afterAll(async () => {
  await testApp.close();
});

describe('the public transparency page of a document', () => {
  it("shows the demo agreement's progress on each party's portal: facts, measures and parties as charts and tables", async () => {
    const id = await documentId(agreementTitle);
    const response = await get(`/sites/bwf/en/agreements/${id}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    const html = response.body;
    expect(html).toContain('Framework Agreement on the Coordinated Development and Cooperation between Women across the Beijing-Tianjin-Hebei Region</h1>');
    expect(html).toContain("Beijing Women's Federation, Tianjin Women's Federation, Hebei Women's Federation");
    expect(html).toContain('2023-06-16 – 2027-12-31');
    expect(html).toContain('value="58.3" aria-label="Overall progress"');
    expect(html).toMatch(/<th scope="row">1 A joint meeting of the three federations<\/th><td>83%<\/td><td>3<\/td>/);
    expect(html).toMatch(/<th scope="row">Hebei Women's Federation<\/th><td>25%<\/td><td>4<\/td>/);
    expect(html).toMatch(/<svg role="img" aria-label="Measures: progress"/);
    expect(html).toMatch(/<svg role="img" aria-label="By party: commitments by status"/);
    // The same page on Tianjin's portal, and in Chinese.
    expect((await get(`/sites/twf/en/agreements/${id}`)).statusCode).toBe(200);
    const chinese = await get(`/sites/hebei-wf/zh/agreements/${id}`);
    expect(chinese.statusCode).toBe(200);
    expect(chinese.body).toContain('京津冀妇女协同发展合作框架协议</h1>');
    expect(chinese.body).toContain('总体进度');
  });

  it('shows no note of the progress updates, only the published update they name as evidence', async () => {
    const id = await documentId(agreementTitle);
    const html = (await get(`/sites/bwf/en/agreements/${id}`)).body;
    const notes = await testApp.database.db
      .selectFrom('progress_update')
      .innerJoin('commitment', 'commitment.id', 'progress_update.commitment_id')
      .select(['progress_update.note_zh', 'progress_update.note_en'])
      .where('commitment.document_id', '=', id)
      .execute();
    expect(notes.length).toBeGreaterThan(0);
    for (const note of notes) {
      expect(html).not.toContain(note.note_en);
      expect(html).not.toContain(note.note_zh);
    }
    // Nor the commitments' own texts, nor anything pointing into the workspace.
    expect(html).not.toContain('Second cadres to each other');
    expect(html).not.toContain('/workspace');
    expect(html).toContain('href="/sites/bwf/en/articles/2024-03-25-beijing-tianjin-exchange"');
  });

  it('lists the public documents of a site, and answers 404 for a document that is not public or not the site’s', async () => {
    const agreement = await documentId(agreementTitle);
    const circular = await documentId(circularTitle);
    const list = await get('/sites/twf/en/agreements');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`href="/sites/twf/en/agreements/${agreement}"`);
    expect(list.body).not.toContain('Several Measures');
    // BWF's circular is not public.
    const hidden = await get(`/sites/bwf/en/agreements/${circular}`);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.body).not.toContain('Several Measures');
    // A public circular shows on its issuer's portal only.
    await testApp.database.db.updateTable('document').set({ is_public: true }).where('id', '=', circular).execute();
    expect((await get(`/sites/bwf/en/agreements/${circular}`)).statusCode).toBe(200);
    expect((await get(`/sites/twf/en/agreements/${circular}`)).statusCode).toBe(404);
    // The flag taken off, the agreement's page is gone.
    await testApp.database.db.updateTable('document').set({ is_public: false }).where('id', '=', agreement).execute();
    expect((await get(`/sites/bwf/en/agreements/${agreement}`)).statusCode).toBe(404);
    expect((await get('/sites/bwf/en/agreements/abc')).statusCode).toBe(404);
    expect((await get('/sites/bwf/en/agreements/999999')).statusCode).toBe(404);
    await testApp.database.db.updateTable('document').set({ is_public: true }).where('id', '=', agreement).execute();
  });
});
