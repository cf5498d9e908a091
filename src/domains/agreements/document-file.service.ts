/**
 * The files of agreements and circulars: the PDF of each language version as signed or issued. Those
 * who may change the document add and remove them; staff read them; a public document's files are on
 * its transparency page. The bytes go to the media store under their content's key; a file is a PDF by
 * its first bytes, whatever its name says.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, Executor } from '../../db/database.ts';
import { assertCanRead, type Actor } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import { notFound } from '../../platform/errors.ts';
import type { Locale } from '../../platform/i18n.ts';
import { cleanFileName } from '../media/media.service.ts';
import type { MediaStore } from '../media/media.store.ts';
import { loadNetwork, mayEditDocument } from './agreement.access.ts';
import { AgreementRuleError } from './agreement.rules.ts';
import { loadDocument, ownersOf } from './agreement.service.ts';
import { assertPublicDocumentOfSite } from './agreement-transparency.service.ts';
import * as documentFileRepository from './document-file.repository.ts';

/** The largest file a document takes. */
export const documentFileLimits = { maxBytes: 20 * 1024 * 1024 };

/** A file of a document, as its pages list it. */
export interface DocumentFile {
  id: number;
  documentId: number;
  locale: Locale;
  name: string;
  bytes: number;
  createdAt: Date;
}

/** A file's bytes, with the name to offer them under. */
export interface DocumentFileDownload {
  name: string;
  body: Buffer;
}

const fileMessages = {
  empty_file: { status: 400, zh: '文件是空的。', en: 'The file is empty.' },
  too_large: { status: 413, zh: '文件超过 20 MiB。', en: 'The file is larger than 20 MiB.' },
  not_a_pdf: { status: 400, zh: '只能上传 PDF 文件。', en: 'Only PDF files can be added.' },
} as const;

/** The refusals of an upload, by their stable code. */
export type DocumentFileProblem = keyof typeof fileMessages;

/** The refusal of an upload, with its status and a message for the file field in both languages. */
export function refuseFile(problem: DocumentFileProblem): AgreementRuleError {
  const { status, zh, en } = fileMessages[problem];
  return new AgreementRuleError(status, problem, { zh, en }, 'file');
}

function fileOf(row: Awaited<ReturnType<typeof documentFileRepository.listDocumentFiles>>[number]): DocumentFile {
  return { id: row.id, documentId: row.document_id, locale: row.locale, name: row.name, bytes: row.bytes, createdAt: row.created_at };
}


/** Every PDF starts so (ISO 32000: "%PDF-" then the version); the name and the declared type are not asked. */
function isPdf(bytes: Buffer): boolean {
  return bytes.subarray(0, 5).toString('latin1') === '%PDF-';
}

/** Refuses, as "not found", a document that is not there for a member of the network. */
async function assertReadableDocument(db: Executor, actor: Actor, documentId: number): Promise<void> {
  await assertCanRead(db, actor);
  if (!(await loadDocument(db, await loadNetwork(db, actor), documentId))) throw notFound();
}

/** Lists a document's files for staff. */
export async function listDocumentFiles(db: Executor, actor: Actor, documentId: number): Promise<DocumentFile[]> {
  await assertReadableDocument(db, actor, documentId);
  return (await documentFileRepository.listDocumentFiles(db, documentId)).map(fileOf);
}

/** The document, refused as "not found" unless the actor may change it (its issuer's or a party's staff). */
async function editableDocument(db: Executor, actor: Actor, documentId: number) {
  await assertCanRead(db, actor);
  const network = await loadNetwork(db, actor);
  const document = await loadDocument(db, network, documentId);
  if (!document || !mayEditDocument(network, ownersOf(document))) throw notFound();
  return document;
}

/** Refuses, as "not found", an actor who may not add or remove the document's files. */
export async function assertMayChangeFiles(db: Executor, actor: Actor, documentId: number): Promise<void> {
  await editableDocument(db, actor, documentId);
}

/** Adds a PDF to a language version of a document: stored first, then its row and an audit event. */
export async function addDocumentFile(
  db: Kysely<Database>,
  store: MediaStore,
  actor: Actor,
  documentId: number,
  upload: { locale: Locale; bytes: Buffer; originalName: string },
): Promise<DocumentFile> {
  await editableDocument(db, actor, documentId);
  if (upload.bytes.length === 0) throw refuseFile('empty_file');
  if (upload.bytes.length > documentFileLimits.maxBytes) throw refuseFile('too_large');
  if (!isPdf(upload.bytes)) throw refuseFile('not_a_pdf');
  const key = `${createHash('sha256').update(upload.bytes).digest('hex')}-1.pdf`;
  // The file first: a row never names a file that is not there; a failed commit leaves a file no row
  // names, harmless under its content's key.
  await store.put(key, upload.bytes);
  return db.transaction().execute(async (tx) => {
    const row = await documentFileRepository.insertDocumentFile(tx, {
      document_id: documentId,
      locale: upload.locale,
      name: cleanFileName(upload.originalName).trim() || 'document.pdf',
      key,
      bytes: upload.bytes.length,
      uploaded_by: actor.userId,
    });
    const file = fileOf(row);
    await recordAudit(tx, actor, { action: 'create', entityType: 'document_file', entityId: row.id, after: { ...file, sha256: key.slice(0, 64) } });
    return file;
  });
}

/** Removes a file from a document, audited; its bytes go too unless another document holds the same file. */
export async function removeDocumentFile(db: Kysely<Database>, store: MediaStore, actor: Actor, documentId: number, fileId: number): Promise<void> {
  await editableDocument(db, actor, documentId);
  const key = await db.transaction().execute(async (tx) => {
    const row = await documentFileRepository.findDocumentFile(tx, documentId, fileId);
    if (!row) throw notFound();
    await documentFileRepository.deleteDocumentFile(tx, fileId);
    await recordAudit(tx, actor, { action: 'delete', entityType: 'document_file', entityId: fileId, before: fileOf(row) });
    return (await documentFileRepository.isKeyInUse(tx, row.key)) ? undefined : row.key;
  });
  if (key) await store.delete(key);
}

async function download(db: Executor, store: MediaStore, documentId: number, fileId: number): Promise<DocumentFileDownload> {
  const row = await documentFileRepository.findDocumentFile(db, documentId, fileId);
  if (!row) throw notFound();
  const body = await store.get(row.key);
  if (!body) throw notFound();
  return { name: row.name, body };
}

/** A file of a document, for staff. */
export async function readDocumentFile(db: Executor, store: MediaStore, actor: Actor, documentId: number, fileId: number): Promise<DocumentFileDownload> {
  await assertReadableDocument(db, actor, documentId);
  return download(db, store, documentId, fileId);
}

/** A file of a document a site shows publicly, for its readers. */
export async function readPublicDocumentFile(db: Executor, store: MediaStore, siteId: number, documentId: number, fileId: number): Promise<DocumentFileDownload> {
  await assertPublicDocumentOfSite(db, siteId, documentId);
  return download(db, store, documentId, fileId);
}

/** The files of a document a site shows publicly. */
export async function listPublicDocumentFiles(db: Executor, siteId: number, documentId: number): Promise<DocumentFile[]> {
  await assertPublicDocumentOfSite(db, siteId, documentId);
  return (await documentFileRepository.listDocumentFiles(db, documentId)).map(fileOf);
}
