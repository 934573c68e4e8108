/**
 * The documents domain's handlers (issue 13; docs/foi.md "Documents"): documents held about a person, under
 * the register's grants for the person. A document's content is checked when attached (content.ts), kept
 * once per hash in document_content inside the register database, and never changed; its description is a
 * record through the one write path, in the person's own document aggregate (`persondoc:<person>`).
 *
 * A protected or shielded person's documents are treated like their addresses (a letter carries where they
 * live): listed and opened only with `protected.reveal` for them, opening with a logged reason; the server's
 * feed sends them to no cache whose user may not reveal them. The audit names the person and the document,
 * never its title.
 */
import { readFileSync } from 'node:fs';
import type { DomainHandlers } from '../api/types';
import type { PersonScope } from '../access/scope';
import type { Actor, CoreContext } from '../context';
import { DomainError, ruleViolation } from '../../shared/api/errors';
import type { DocumentView } from '../../shared/api/documents';
import { insertRecord, softDeleteRecord, updateRecord, writer } from '../write/records';
import { inspectDocument } from './content';

interface Row {
  id: string;
  version: number;
  person_id: string;
  title: string;
  kind: DocumentView['kind'];
  document_date: string;
  classification: DocumentView['classification'];
  classification_ground: string | null;
  retention_class: DocumentView['retentionClass'];
  file_name: string;
  mime: DocumentView['mime'];
  size: number;
  pages: number;
  content_sha256: string;
  created_at: string;
  created_by_name: string | null;
}

const SELECT = `SELECT d.id, d.version, d.person_id, d.title, d.kind, d.document_date, d.classification, d.classification_ground, d.retention_class,
    d.file_name, d.mime, d.size, d.pages, d.content_sha256, d.created_at, u.display_name AS created_by_name
  FROM person_document d LEFT JOIN user_account u ON u.id = d.created_by`;

export const documentView = (r: Row): DocumentView => ({
  id: r.id,
  version: r.version,
  personId: r.person_id,
  title: r.title,
  kind: r.kind,
  documentDate: r.document_date,
  classification: r.classification,
  classificationGround: r.classification_ground,
  retentionClass: r.retention_class,
  fileName: r.file_name,
  mime: r.mime,
  size: r.size,
  pages: r.pages,
  createdAt: r.created_at,
  createdByName: r.created_by_name,
});

/** A person's documents that are not removed, the latest dated first. */
export function documentsOf(ctx: CoreContext, personId: string): Row[] {
  return ctx.sqlite.prepare(`${SELECT} WHERE d.person_id = ? AND d.deleted_at IS NULL ORDER BY d.document_date DESC, d.created_at DESC, d.id`).all(personId) as Row[];
}

/** A document's content, or null when this database does not hold it (a cache: docs/foi.md). */
export function documentBytes(ctx: CoreContext, sha256: string): Buffer | null {
  return (ctx.sqlite.prepare('SELECT bytes FROM document_content WHERE sha256 = ?').pluck().get(sha256) as Buffer | undefined) ?? null;
}

const withheldDocument = () =>
  new DomainError('forbidden', 'The person has a protected identity (or shares a protected person\'s home): their documents are seen and changed only with protected.reveal', 'id');

export function createDocumentsHandlers(ctx: CoreContext, scope: PersonScope): DomainHandlers<'documents'> {
  const w = (actor: Actor, mutationId: string | null) => writer(ctx, actor, mutationId);
  const person = (id: string) =>
    ctx.sqlite.prepare('SELECT id, protection, shielded FROM person WHERE id = ? AND deleted_at IS NULL').get(id) as { id: string; protection: string; shielded: number } | undefined;
  /** The person exists and is in the actor's scope for the permission; whether their documents are withheld from the actor. */
  const requirePerson = (actor: Actor, permission: 'register.read' | 'register.write', id: string, field: string) => {
    const p = person(id);
    if (!p) throw new DomainError('not_found', 'No such person', field);
    scope.require(actor, permission, id);
    const guarded = p.protection !== 'none' || p.shielded === 1;
    return { guarded, mayReveal: !guarded || scope.allows(actor, 'protected.reveal', id) };
  };
  const live = (id: string): Row => {
    const r = ctx.sqlite.prepare(`${SELECT} WHERE d.id = ? AND d.deleted_at IS NULL`).get(id) as Row | undefined;
    if (!r) throw new DomainError('not_found', 'No such document', 'id');
    return r;
  };
  const checkDescribed = (i: { documentDate: string; classification: string; classificationGround: string | null }) => {
    const today = ctx.clock.today();
    if (i.documentDate > today) throw ruleViolation('document_date', `document_date: the document is dated ${i.documentDate}, after today (${today})`, 'documentDate');
    if (i.classification === 'open' && i.classificationGround) throw new DomainError('validation', 'An open document names no secrecy ground', 'classificationGround');
  };

  return {
    'document.list': (i, { actor, audit }) => {
      const { mayReveal } = requirePerson(actor, 'register.read', i.personId, 'personId');
      const rows = mayReveal ? documentsOf(ctx, i.personId) : [];
      audit.persons([i.personId]).detail('documents', rows.length);
      return { items: rows.map(documentView), withheld: !mayReveal };
    },

    'document.add': async (i, call) => {
      const { actor, audit, mutationId } = call;
      requirePerson(actor, 'register.write', i.personId, 'personId');
      checkDescribed(i);
      const file = call.services.files.get(i.fileId, actor.id);
      if (file.purpose !== 'upload' || file.kind !== 'document') throw new DomainError('validation', 'Not an uploaded document (upload it as kind "document")', 'fileId');
      const bytes = readFileSync(call.services.files.pathOf(file));
      const seen = await inspectDocument(bytes);
      const id = await call.tx(() => {
        // Checked again inside the transaction: the person may have gone while the file was read.
        requirePerson(actor, 'register.write', i.personId, 'personId');
        ctx.sqlite
          .prepare('INSERT INTO document_content (sha256, mime, size, bytes, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING')
          .run(seen.sha256, seen.mime, bytes.length, bytes, ctx.clock.now());
        const r = insertRecord(w(actor, mutationId), 'person_document', {
          person_id: i.personId,
          title: i.title,
          kind: i.kind,
          document_date: i.documentDate,
          classification: i.classification,
          classification_ground: i.classificationGround,
          retention_class: i.retentionClass,
          file_name: file.name,
          mime: seen.mime,
          size: bytes.length,
          pages: seen.pages,
          content_sha256: seen.sha256,
        });
        audit.persons([i.personId]).detail('document', r.id).detail('kind', i.kind).detail('pages', seen.pages);
        return r;
      });
      // The content now lives in the register; the upload is no longer needed.
      call.services.files.remove(file.id);
      return id;
    },

    'document.update': (i, { actor, audit, mutationId }) => {
      const cur = live(i.id);
      // A document one may not see is not one to describe anew (attaching one is: a letter about a protected child).
      if (!requirePerson(actor, 'register.write', cur.person_id, 'id').mayReveal) throw withheldDocument();
      if (cur.version !== i.version) throw new DomainError('conflict', `The document was changed by someone else (version ${cur.version}, yours ${i.version}); reload to see the change`, 'version');
      checkDescribed(i);
      const r = updateRecord(
        w(actor, mutationId),
        'person_document',
        cur.id,
        {
          title: i.title,
          kind: i.kind,
          document_date: i.documentDate,
          classification: i.classification,
          classification_ground: i.classificationGround,
          retention_class: i.retentionClass,
        },
        { expectVersion: i.version },
      );
      audit.persons([cur.person_id]).detail('document', cur.id).detail('changed', r.changed);
      return { id: r.id, version: r.version };
    },

    'document.remove': (i, { actor, audit, mutationId }) => {
      const cur = live(i.id);
      if (!requirePerson(actor, 'register.write', cur.person_id, 'id').mayReveal) throw withheldDocument();
      const r = softDeleteRecord(w(actor, mutationId), 'person_document', cur.id, { expectVersion: i.version });
      audit.persons([cur.person_id]).detail('document', cur.id).detail('removed', true);
      return r;
    },

    'document.open': async (i, { actor, audit, services }) => {
      const cur = live(i.id);
      const { guarded, mayReveal } = requirePerson(actor, 'register.read', cur.person_id, 'id');
      if (!mayReveal) throw withheldDocument();
      if (guarded) {
        if (!i.reason) throw new DomainError('validation', 'Opening a protected person\'s document needs a reason (it is logged)', 'reason', [{ field: 'reason', code: 'required', message: 'A reason is required' }]);
        audit.action = 'reveal';
        audit.reason = i.reason;
      }
      const bytes = documentBytes(ctx, cur.content_sha256);
      if (!bytes) throw new DomainError('unavailable', 'This workstation does not hold the document\'s content', 'id');
      audit.persons([cur.person_id]).detail('document', cur.id);
      const file = await services.files.writeExport(actor.id, cur.file_name, cur.mime, bytes);
      return { file };
    },
  };
}
