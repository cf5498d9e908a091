import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/database.ts';
import type { Actor } from '../../platform/access.ts';
import { DomainError } from '../../platform/errors.ts';
import { AgreementRuleError } from './agreement.rules.ts';
import { commitmentInput, documentInput, measureInput, progressUpdateInput } from './agreement.schema.ts';
import * as agreementService from './agreement.service.ts';
import * as commitmentService from './commitment.service.ts';

let database: TestDatabase;
let bwfEditor: Actor;
let twfEditor: Actor;
let reviewer: Actor;
const organizations: Record<string, number> = {};

async function actorFor(email: string): Promise<Actor> {
  const account = await database.db.selectFrom('user_account').select(['id', 'display_name', 'is_platform_admin']).where('email', '=', email).executeTakeFirstOrThrow();
  return { userId: account.id, email, displayName: account.display_name, isPlatformAdmin: account.is_platform_admin, ip: '127.0.0.1' };
}

function organization(slug: string): number {
  const id = organizations[slug];
  if (id === undefined) throw new Error(`no organization ${slug}`);
  return id;
}

/** What a call is refused with: status, code and the field it names, or "allowed". */
async function refusal(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'allowed';
  } catch (error) {
    if (error instanceof AgreementRuleError) return `${error.status} ${error.code} ${error.field}`;
    if (error instanceof DomainError) return `${error.status} ${error.code}`;
    throw error;
  }
}

async function count(table: 'document' | 'measure' | 'commitment' | 'progress_update' | 'audit_event'): Promise<number> {
  const row = await database.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

async function lastAudit(entityType: string) {
  return database.db.selectFrom('audit_event').selectAll().where('entity_type', '=', entityType).orderBy('id', 'desc').executeTakeFirstOrThrow();
}

const agreementFields = (overrides: Record<string, unknown> = {}) =>
  documentInput.parse({
    kind: 'agreement',
    titleZh: '京津妇联基层组织建设合作协议',
    titleEn: 'Agreement on grassroots organizations',
    signedOn: '2025-01-10',
    startsOn: '2025-01-10',
    endsOn: '2027-12-31',
    partyIds: [organization('bwf'), organization('twf')],
    bodyZh: '**合作**内容<script>alert(1)</script>',
    ...overrides,
  });

/** Commitments the demo loaded, by their English text. */
async function demoCommitment(whatEn: string): Promise<number> {
  return (await database.db.selectFrom('commitment').select('id').where('what_en', '=', whatEn).executeTakeFirstOrThrow()).id;
}

beforeAll(async () => {
  database = await createTestDatabase();
  [bwfEditor, twfEditor, reviewer] = await Promise.all([
    actorFor('editor@bwf.example.org'),
    actorFor('editor@twf.example.org'),
    actorFor('reviewer@bwf.example.org'),
  ]);
  for (const row of await database.db.selectFrom('organization').select(['id', 'slug']).execute()) organizations[row.slug] = row.id;
});
afterAll(async () => {
  await database.drop();
});

describe('documents', () => {
  it('lets an editor of a party create an agreement: parties in order, the text sanitized, audited', async () => {
    const created = await agreementService.createDocument(database.db, bwfEditor, agreementFields());
    expect(created.parties.map((party) => party.slug)).toEqual(['bwf', 'twf']);
    expect(created.bodyHtmlZh).toContain('<strong>合作</strong>');
    expect(created.bodyHtmlZh).not.toContain('<script');
    const audit = await lastAudit('document');
    expect(audit).toMatchObject({ action: 'create', entity_id: String(created.id), actor_user_id: bwfEditor.userId });
    await agreementService.deleteDocument(database.db, bwfEditor, created.id);
    expect(await lastAudit('document')).toMatchObject({ action: 'delete', entity_id: String(created.id) });
  });

  it('refuses an agreement without two parties, an issuer on an agreement, a term ending before it starts, writing nothing', async () => {
    const documents = await count('document');
    expect(await refusal(agreementService.createDocument(database.db, bwfEditor, agreementFields({ partyIds: [organization('bwf')] })))).toBe('400 invalid partyIds');
    expect(await refusal(agreementService.createDocument(database.db, bwfEditor, agreementFields({ issuerId: organization('bwf') })))).toBe('400 invalid issuerId');
    expect(await refusal(agreementService.createDocument(database.db, bwfEditor, agreementFields({ endsOn: '2024-12-31' })))).toBe('400 invalid endsOn');
    expect(await refusal(agreementService.createDocument(database.db, bwfEditor, agreementFields({ kind: 'circular', partyIds: [] })))).toBe('400 invalid issuerId');
    // A TWF editor cannot make a document for Hebei and BWF alone: it would be out of her hands at once.
    expect(await refusal(agreementService.createDocument(database.db, twfEditor, agreementFields({ partyIds: [organization('bwf'), organization('hebei-wf')] })))).toBe(
      '400 invalid partyIds',
    );
    expect(await count('document')).toBe(documents);
  });

  it("answers a TWF editor changing BWF's circular, and a reviewer creating anything, with not found", async () => {
    const circular = await database.db.selectFrom('document').select('id').where('kind', '=', 'circular').executeTakeFirstOrThrow();
    expect(await refusal(agreementService.updateDocument(database.db, twfEditor, circular.id, { titleEn: 'Changed' }))).toBe('404 not_found');
    expect(await refusal(agreementService.createDocument(database.db, reviewer, agreementFields()))).toBe('404 not_found');
    // Reading is for all staff.
    expect((await agreementService.getDocument(database.db, twfEditor, circular.id)).issuer?.slug).toBe('bwf');
  });
});

describe('progress rolled up by weight', () => {
  let documentId: number;
  const measures: Record<string, number> = {};
  const commitments: Record<string, number> = {};

  beforeAll(async () => {
    documentId = (await agreementService.createDocument(database.db, bwfEditor, agreementFields({ titleZh: '进度汇总测试协议' }))).id;
    const measure = async (number: string, parent?: string) =>
      (measures[number] = (
        await agreementService.createMeasure(
          database.db,
          bwfEditor,
          documentId,
          measureInput.parse({ number, titleZh: `措施${number}`, parentId: parent ? measures[parent] : null }),
        )
      ).id);
    await measure('1');
    await measure('1.1', '1');
    await measure('2');
    const commit = async (key: string, actor: Actor, fields: Record<string, unknown>) =>
      (commitments[key] = (
        await commitmentService.createCommitment(database.db, actor, commitmentInput.parse({ whatZh: key, ...fields }))
      ).id);
    await commit('bwf-1', bwfEditor, { measureId: measures['1'], responsibleOrganizationId: organization('bwf'), weight: 1, status: 'in_progress', progress: 0 });
    await commit('bwf-1.1', bwfEditor, {
      measureId: measures['1.1'],
      responsibleOrganizationId: organization('bwf-grassroots-department'),
      weight: 2,
      status: 'done',
      dueOn: '2025-06-30',
    });
    await commit('twf-1.1', twfEditor, {
      measureId: measures['1.1'],
      responsibleOrganizationId: organization('twf'),
      weight: 1,
      status: 'in_progress',
      progress: 40,
      dueOn: '2025-06-30',
    });
    await commit('twf-dropped', twfEditor, { measureId: measures['1.1'], responsibleOrganizationId: organization('twf'), weight: 5, status: 'dropped' });
    await commit('bwf-2', bwfEditor, { measureId: measures['2'], responsibleOrganizationId: organization('bwf'), weight: 1, status: 'in_progress', progress: 50 });
  });

  it('gives each measure the weighted mean of the commitments below it, dropped ones left out', async () => {
    const detail = await agreementService.getDocumentDetail(database.db, reviewer, documentId);
    const progress = Object.fromEntries(detail.measureList.map((measure) => [measure.number, measure.progress]));
    // 1.1: (2 × 100 + 1 × 40) / 3; the dropped commitment (weight 5) would pull it to 30.
    expect(progress['1.1']).toBe(80);
    // 1: its own (1 × 0) with 1.1's (weight 3): 240 / 4.
    expect(progress['1']).toBe(60);
    expect(progress['2']).toBe(50);
    // The document: (0 + 200 + 40 + 50) / 5.
    expect(detail.progress).toBe(58);
    expect(detail.commitmentCount).toBe(4);
    expect(detail.measures.map((measure) => measure.number)).toEqual(['1', '2']);
    expect(detail.measures[0]?.children.map((measure) => measure.number)).toEqual(['1.1']);
    const listed = await agreementService.listDocuments(database.db, reviewer, { q: '进度汇总', limit: 50, offset: 0 });
    expect(listed.items[0]?.progress).toBe(58);
  });

  it('shows an open commitment past its due date as overdue, and filters by the status as shown', async () => {
    const query = { documentId, limit: 50, offset: 0 };
    const onTheDay = await commitmentService.listCommitments(database.db, reviewer, { ...query, status: 'overdue' }, '2025-06-30');
    expect(onTheDay.total).toBe(0);
    const dayAfter = await commitmentService.listCommitments(database.db, reviewer, { ...query, status: 'overdue' }, '2025-07-01');
    expect(dayAfter.items.map((item) => item.whatZh)).toEqual(['twf-1.1']);
    expect(dayAfter.items[0]).toMatchObject({ status: 'overdue', storedStatus: 'in_progress' });
    const inProgress = await commitmentService.listCommitments(database.db, reviewer, { ...query, status: 'in_progress' }, '2025-07-01');
    expect(inProgress.items.map((item) => item.whatZh).sort()).toEqual(['bwf-1', 'bwf-2']);
    // Done is done, however late.
    expect((await commitmentService.getCommitment(database.db, reviewer, commitments['bwf-1.1'] ?? 0, '2030-01-01')).status).toBe('done');
    const summary = await commitmentService.summarizeCommitments(database.db, reviewer, { documentId }, '2025-07-01');
    expect(summary).toEqual({ counts: { not_started: 0, in_progress: 2, overdue: 1, done: 1, dropped: 1 }, progress: 58 });
  });

  it('filters by measure with the measures below it, by responsible organization with its units, and by dimension', async () => {
    const page = { limit: 50, offset: 0 };
    const underOne = await commitmentService.listCommitments(database.db, reviewer, { measureId: measures['1'], ...page });
    expect(underOne.total).toBe(4);
    const bwf = await commitmentService.listCommitments(database.db, reviewer, { documentId, organizationId: organization('bwf'), ...page });
    expect(bwf.items.map((item) => item.whatZh).sort()).toEqual(['bwf-1', 'bwf-1.1', 'bwf-2']);
    const [institutional] = (await agreementService.listWorkDimensions(database.db, reviewer)).filter((dimension) => dimension.code === 'institutional');
    await agreementService.updateMeasure(database.db, bwfEditor, measures['1'] ?? 0, { dimensionIds: [institutional?.id ?? 0] });
    // Measure 1.1 counts under its parent's dimension.
    const tagged = await commitmentService.listCommitments(database.db, reviewer, { documentId, dimensionId: institutional?.id, ...page });
    expect(tagged.total).toBe(4);
  });

  it('refuses a parent measure that would make a cycle, and one from another document, changing nothing', async () => {
    expect(await refusal(agreementService.updateMeasure(database.db, bwfEditor, measures['1'] ?? 0, { parentId: measures['1.1'] }))).toBe('400 cycle parentId');
    expect(await refusal(agreementService.updateMeasure(database.db, bwfEditor, measures['1'] ?? 0, { parentId: measures['1'] }))).toBe('400 cycle parentId');
    const elsewhere = await database.db.selectFrom('measure').select('id').where('document_id', '<>', documentId).executeTakeFirstOrThrow();
    expect(await refusal(agreementService.updateMeasure(database.db, bwfEditor, measures['2'] ?? 0, { parentId: elsewhere.id }))).toBe('400 invalid parentId');
    expect(await refusal(agreementService.createMeasure(database.db, bwfEditor, documentId, measureInput.parse({ number: '2', titleZh: '重号' })))).toBe(
      '409 conflict number',
    );
    const one = await agreementService.getMeasure(database.db, reviewer, measures['1'] ?? 0);
    expect(one.parentId).toBeNull();
  });

  it("refuses a due date before the document's date and a responsible organization that is not a party, writing nothing", async () => {
    const before = await count('commitment');
    const fields = { measureId: measures['2'], whatZh: '新承诺', responsibleOrganizationId: organization('bwf') };
    expect(await refusal(commitmentService.createCommitment(database.db, bwfEditor, commitmentInput.parse({ ...fields, dueOn: '2025-01-09' })))).toBe(
      '400 invalid dueOn',
    );
    expect(
      await refusal(
        commitmentService.createCommitment(database.db, bwfEditor, commitmentInput.parse({ ...fields, responsibleOrganizationId: organization('hebei-wf') })),
      ),
    ).toBe('400 not_a_party responsibleOrganizationId');
    expect(await refusal(commitmentService.createCommitment(database.db, bwfEditor, commitmentInput.parse({ ...fields, status: 'done', progress: 50 })))).toBe(
      '400 invalid progress',
    );
    // A party records its own commitments, not another party's.
    expect(
      await refusal(commitmentService.createCommitment(database.db, bwfEditor, commitmentInput.parse({ ...fields, responsibleOrganizationId: organization('twf') }))),
    ).toBe('400 invalid responsibleOrganizationId');
    expect(await count('commitment')).toBe(before);
    // Nor may the document's date move past a commitment's due date, or a party with commitments go.
    expect(await refusal(agreementService.updateDocument(database.db, bwfEditor, documentId, { signedOn: '2025-07-01' }))).toBe('400 invalid signedOn');
    expect(
      await refusal(agreementService.updateDocument(database.db, bwfEditor, documentId, { partyIds: [organization('bwf'), organization('hebei-wf')] })),
    ).toBe('400 invalid partyIds');
  });
});

describe('who changes which commitment', () => {
  it("lets a BWF editor update BWF's commitment, and answers a TWF editor with not found", async () => {
    const bwfCommitment = await demoCommitment('Host the joint meeting of 2023');
    const updated = await commitmentService.updateCommitment(database.db, bwfEditor, bwfCommitment, { whatEn: 'Host the joint meeting of 2023 in Beijing' });
    expect(updated.whatEn).toBe('Host the joint meeting of 2023 in Beijing');
    expect(await lastAudit('commitment')).toMatchObject({ action: 'update', entity_id: String(bwfCommitment), actor_user_id: bwfEditor.userId });
    expect(await refusal(commitmentService.updateCommitment(database.db, twfEditor, bwfCommitment, { progress: 100 }))).toBe('404 not_found');
    const report = progressUpdateInput.parse({ reportedOn: '2024-01-05', noteEn: 'Looked at it' });
    expect(await refusal(commitmentService.reportProgress(database.db, twfEditor, bwfCommitment, report))).toBe('404 not_found');
    expect(await refusal(commitmentService.deleteCommitment(database.db, twfEditor, bwfCommitment))).toBe('404 not_found');
    // She still reads it, marked as not hers to change.
    expect((await commitmentService.getCommitment(database.db, twfEditor, bwfCommitment)).editable).toBe(false);
  });

  it("lets a TWF editor update TWF's commitment, which a BWF editor may not under the agreement", async () => {
    const twfCommitment = await demoCommitment("Write a guide to running Tianjin's women's service facilities and share it with Beijing and Hebei");
    const updated = await commitmentService.updateCommitment(database.db, twfEditor, twfCommitment, { progress: 55 });
    expect(updated.progress).toBe(55);
    expect(await refusal(commitmentService.updateCommitment(database.db, bwfEditor, twfCommitment, { progress: 60 }))).toBe('404 not_found');
    expect(await refusal(commitmentService.updateCommitment(database.db, reviewer, twfCommitment, { progress: 60 }))).toBe('404 not_found');
  });

  it("lets the editor of a circular's issuer change any of its commitments, and each party only its own", async () => {
    const twfUnderCircular = await demoCommitment('Hold a return visit in Tianjin');
    expect((await commitmentService.updateCommitment(database.db, bwfEditor, twfUnderCircular, { progress: 65 })).progress).toBe(65);
    expect((await commitmentService.updateCommitment(database.db, twfEditor, twfUnderCircular, { progress: 70 })).progress).toBe(70);
    const bwfUnderCircular = await demoCommitment('Hold a BWF–TWF exchange with field visits to grassroots governance sites');
    expect(await refusal(commitmentService.updateCommitment(database.db, twfEditor, bwfUnderCircular, { weight: 3 }))).toBe('404 not_found');
  });
});

describe('progress updates', () => {
  it('sets the commitment when reported, keeps an earlier-dated report from turning it back, and audits both', async () => {
    const id = await demoCommitment('Build model women\'s homes in Hebei');
    const admin = await actorFor('admin@bwf.example.org');
    const first = await commitmentService.reportProgress(database.db, admin, id, progressUpdateInput.parse({ reportedOn: '2026-05-01', noteZh: '选址完成', progress: '30' }));
    expect(first.applied).toBe(true);
    // Progress on a commitment not started moves it to "in progress".
    expect(await commitmentService.getCommitment(database.db, admin, id)).toMatchObject({ progress: 30, storedStatus: 'in_progress' });
    expect(first.update).toMatchObject({ progress: 30, status: 'in_progress' });
    expect(await lastAudit('progress_update')).toMatchObject({ action: 'create', entity_id: String(first.update.id) });
    expect(await lastAudit('commitment')).toMatchObject({ action: 'update', entity_id: String(id) });

    const backfilled = await commitmentService.reportProgress(
      database.db,
      admin,
      id,
      progressUpdateInput.parse({ reportedOn: '2026-03-01', noteZh: '启动调研', progress: '10' }),
    );
    expect(backfilled.applied).toBe(false);
    expect((await commitmentService.getCommitment(database.db, admin, id)).progress).toBe(30);
    const timeline = await commitmentService.listProgressUpdates(database.db, admin, { commitmentId: id });
    expect(timeline.map((update) => update.reportedOn)).toEqual(['2026-03-01', '2026-05-01']);
  });

  it('takes only published updates as evidence, writing nothing otherwise', async () => {
    const id = await demoCommitment('Build model women\'s homes in Hebei');
    const draft = await database.db.selectFrom('article').select('id').where('status', '<>', 'published').executeTakeFirst();
    const missing = draft?.id ?? 999_999;
    const before = await count('progress_update');
    const report = progressUpdateInput.parse({ reportedOn: '2026-06-01', noteZh: '说明', articleId: String(missing) });
    expect(await refusal(commitmentService.reportProgress(database.db, bwfEditor, id, report))).toBe('404 not_found');
    // BWF's editor may not report on Hebei's commitment at all; a platform administrator may, and is told why not.
    const admin = await actorFor('admin@bwf.example.org');
    expect(await refusal(commitmentService.reportProgress(database.db, admin, id, report))).toBe('400 invalid articleId');
    expect(await count('progress_update')).toBe(before);
  });

  it("keeps an internal activity out of the timeline of those who may not read it, and out of their reports", async () => {
    const kind = await database.db.selectFrom('activity_kind').select('id').executeTakeFirstOrThrow();
    const internal = await database.db
      .insertInto('activity')
      .values({ kind_id: kind.id, title_zh: '天津市妇联内部研讨', starts_at: new Date('2026-04-01T01:00:00Z'), ends_at: new Date('2026-04-01T03:00:00Z'), visibility: 'internal' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await database.db.insertInto('activity_organizer').values({ activity_id: internal.id, organization_id: organization('twf'), role: 'organizer' }).execute();
    const twf = await demoCommitment('Host the joint meeting of 2024');
    const report = progressUpdateInput.parse({ reportedOn: '2026-04-02', noteZh: '内部研讨形成方案', activityId: String(internal.id) });
    await commitmentService.reportProgress(database.db, twfEditor, twf, report);
    const seenByTwf = await commitmentService.listProgressUpdates(database.db, twfEditor, { commitmentId: twf });
    expect(seenByTwf.at(-1)?.evidence.activity?.titleZh).toBe('天津市妇联内部研讨');
    const seenByBwf = await commitmentService.listProgressUpdates(database.db, reviewer, { commitmentId: twf });
    expect(seenByBwf.at(-1)?.noteZh).toBe('内部研讨形成方案');
    expect(seenByBwf.at(-1)?.evidence.activity).toBeNull();
    const bwf = await database.db.selectFrom('commitment').select('id').where('what_zh', '=', '承办 2023 年度联席会议').executeTakeFirstOrThrow();
    expect(await refusal(commitmentService.reportProgress(database.db, bwfEditor, bwf.id, report))).toBe('400 invalid activityId');
  });

  it("shows a measure's timeline in date order with the seed's exchange visit and published update as evidence", async () => {
    const measure = await database.db.selectFrom('measure').select('id').where('number', '=', '3.1').executeTakeFirstOrThrow();
    const timeline = await commitmentService.listProgressUpdates(database.db, reviewer, { measureId: measure.id });
    expect(timeline.map((update) => update.reportedOn)).toEqual(['2024-02-26', '2024-03-25', '2025-05-12']);
    const visit = timeline[1];
    expect(visit?.evidence.article).toMatchObject({ siteSlug: 'bwf', slug: '2024-03-25-beijing-tianjin-exchange' });
    expect(visit?.evidence.activity?.titleZh).toBe('京津妇联开展交流学习活动');
  });
});

describe('reading every commitment for an export', () => {
  it('reads them all in the list’s order, a few at a time, past ties of due dates and into the ongoing ones', async () => {
    const listed = await commitmentService.listCommitments(database.db, bwfEditor, { limit: 500, offset: 0 });
    const dueDays = listed.items.map((item) => item.dueOn);
    // The demo and the tests above leave both: two commitments due the same day, and some ongoing (no due day).
    expect(new Set(dueDays.filter((day) => day !== null)).size).toBeLessThan(dueDays.filter((day) => day !== null).length);
    expect(dueDays).toContain(null);
    const batches: number[][] = [];
    for await (const batch of commitmentService.readAllCommitments(database.db, bwfEditor, {}, undefined, 2)) batches.push(batch.map((item) => item.id));
    expect(batches.flat()).toEqual(listed.items.map((item) => item.id));
    expect(batches.every((batch) => batch.length <= 2)).toBe(true);
    // And under a filter, the same as the list's.
    const bwf = await commitmentService.listCommitments(database.db, bwfEditor, { organizationId: organization('bwf'), limit: 500, offset: 0 });
    const all: number[] = [];
    for await (const batch of commitmentService.readAllCommitments(database.db, bwfEditor, { organizationId: organization('bwf') }, undefined, 3)) all.push(...batch.map((item) => item.id));
    expect(all).toEqual(bwf.items.map((item) => item.id));
  });
});
