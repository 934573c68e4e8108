/**
 * The FOI domain's handlers (issue 13; docs/foi.md "Requests"): the request register. Every method needs
 * its permission for the whole municipality (FOI work is not a unit's). Records go through the one write
 * path in their own aggregate (`foi:<id>`), projected only to users with foi.read.
 *
 * The audit names the persons a request concerns and its requester when in the register, the request, its
 * kind and its status moves; never the requester's typed name or contact, what was asked for, or a reason
 * (free text that may describe the persons).
 */
import type { DomainHandlers } from '../api/types';
import { PersonScope, requireMunicipalityWide } from '../access/scope';
import type { Actor, CoreContext } from '../context';
import { DomainError, ruleViolation } from '../../shared/api/errors';
import { insertRecord, softDeleteRecord, updateRecord, writer } from '../write/records';
import { diffViews } from '../audit/recorder';
import { FOI_MOVES, type FoiPersonRole } from '../../shared/domain/foi';
import { gather, ItemReader, itemsPage, requireGatherable } from './gather';
import { buildExtract, extractableItems } from './extract';
import { buildDecisionLetter, requireDecided } from './decision';
import { documentBytes } from '../documents/handlers';
import { renderPreviewPage } from '../documents/render';
import type { DocumentMime } from '../../shared/domain/documents';
import { createHash } from 'node:crypto';
import { derivedId } from '../write/ids';
import { foiGrounds, groundsVersion, requireReviewable, Reviewer, reviewGaps, setFoiGrounds, type ItemForReview } from './review';
import {
  checkCustody,
  checkPersons,
  checkRequest,
  foiConfig,
  foiRulesVersion,
  isReopening,
  mayMove,
  officers,
  RequestViews,
  type RequestRow as FoiRequestRow,
  requestPersons,
  requestRow,
  requireOpen,
  setFoiConfig,
  subjectsOf,
} from './requests';

export function createFoiHandlers(ctx: CoreContext): DomainHandlers<'foi'> {
  const scope = new PersonScope(ctx);
  const w = (actor: Actor, mutationId: string | null) => writer(ctx, actor, mutationId);
  const rulesView = () => {
    const c = foiConfig(ctx);
    return { rules: c.rules, calendar: c.calendar, defaults: c.defaults, version: foiRulesVersion(c) };
  };
  const groundsView = () => {
    const g = foiGrounds(ctx);
    return { ...g, version: groundsVersion(g) };
  };
  const itemRow = (id: string): ItemForReview => {
    const r = ctx.sqlite.prepare('SELECT id, version, request_id, person_id, category, entity, record_id, content_hash, proposal, gone_at FROM foi_item WHERE id = ?').get(id) as ItemForReview | undefined;
    if (!r) throw new DomainError('not_found', 'No such gathered item', 'id');
    return r;
  };
  const checkVersion = (current: number, given: number) => {
    if (current !== given) throw new DomainError('conflict', `The request was changed by someone else (version ${current}, yours ${given}); reload to see the change`, 'version');
  };

  return {
    'foi.requests': (i, { actor, audit }) => {
      requireMunicipalityWide(actor, 'foi.read', 'FOI requests');
      const views = new RequestViews(ctx, scope, actor);
      const r = views.list(i.filter, i.mine, i.offset, i.limit);
      audit.persons(r.persons).detail('filter', i.filter).detail('requests', r.items.length);
      return { items: r.items, total: r.total, counts: r.counts, today: views.todayIso };
    },

    'foi.request': (i, { actor, audit }) => {
      requireMunicipalityWide(actor, 'foi.read', 'An FOI request');
      const r = requestRow(ctx, i.id);
      audit.persons(requestPersons(ctx, r)).detail('request', r.id);
      return new RequestViews(ctx, scope, actor).view(r);
    },

    'foi.requestCreate': (i, { actor, audit, mutationId }) => {
      requireMunicipalityWide(actor, 'foi.write', 'Registering an FOI request');
      // The list as given, each error at its own place; then the data subject asking joins it as its subject.
      checkPersons(ctx, i.persons);
      const persons = [...i.persons];
      if (i.requesterKind === 'subject' && i.requesterPersonId && !persons.some((p) => p.personId === i.requesterPersonId)) {
        if (!ctx.sqlite.prepare('SELECT 1 FROM person WHERE id = ? AND deleted_at IS NULL').get(i.requesterPersonId)) throw new DomainError('not_found', 'No such person', 'requesterPersonId');
        persons.unshift({ personId: i.requesterPersonId, role: 'subject' });
      }
      const subjects = persons.filter((p) => p.role === 'subject').map((p) => p.personId);
      if (i.kind === 'gdpr_access' && subjects.length === 0) {
        throw ruleViolation('foi_subject_required', 'foi_subject_required: a subject-access request names its subject among the persons concerned', 'persons');
      }
      const cols = checkRequest(ctx, { ...i }, subjects);
      const wr = w(actor, mutationId);
      const r = insertRecord(wr, 'foi_request', { ...cols, status: 'registered' });
      for (const p of persons) insertRecord(wr, 'foi_request_person', { request_id: r.id, person_id: p.personId, role: p.role });
      audit
        .persons([...new Set([...(i.requesterPersonId ? [i.requesterPersonId] : []), ...persons.map((p) => p.personId)])])
        .detail('request', r.id)
        .detail('kind', i.kind)
        .detail('requesterKind', i.requesterKind);
      return r;
    },

    'foi.requestUpdate': (i, { actor, audit, mutationId }) => {
      requireMunicipalityWide(actor, 'foi.write', 'Changing an FOI request');
      const cur = requestRow(ctx, i.id);
      checkVersion(cur.version, i.version);
      const cols = checkRequest(ctx, { ...i, kind: cur.kind }, subjectsOf(ctx, cur.id));
      if (cur.decided_on && i.receivedOn > cur.decided_on) {
        throw ruleViolation('foi_decided_on', `foi_decided_on: the request was decided on ${cur.decided_on}, before the day received given`, 'receivedOn');
      }
      const res = updateRecord(w(actor, mutationId), 'foi_request', cur.id, cols, { expectVersion: i.version });
      audit.persons(requestPersons(ctx, { id: cur.id, requester_person_id: (cols.requester_person_id as string | null) ?? cur.requester_person_id })).detail('request', cur.id).detail('changed', res.changed);
      return { id: res.id, version: res.version };
    },

    'foi.requestMove': (i, { actor, audit, mutationId }) => {
      requireMunicipalityWide(actor, 'foi.read', 'Moving an FOI request');
      const cur = requestRow(ctx, i.id);
      checkVersion(cur.version, i.version);
      const from = cur.status;
      if (!FOI_MOVES[from].includes(i.to)) throw ruleViolation('foi_move', `foi_move: a request that is ${from} cannot be moved to ${i.to}`, 'to', { from, to: i.to });
      if (!mayMove(actor, from, i.to)) {
        throw new DomainError(
          'forbidden',
          i.to === 'decided' ? 'Deciding an FOI request needs foi.decide for the whole municipality' : 'Moving an FOI request needs foi.write for the whole municipality (a decision-maker may only decide or send it back to review)',
        );
      }
      if (isReopening(from, i.to) && !i.reason) {
        throw ruleViolation('foi_reason_required', 'foi_reason_required: reopening a request needs a reason', 'reason');
      }
      if ((i.to === 'review' || i.to === 'decision' || i.to === 'decided') && (cur.requester_kind === 'subject' || cur.requester_kind === 'guardian') && !cur.identity_verified) {
        throw ruleViolation('foi_identity_unverified', 'foi_identity_unverified: verify the requester\'s identity before the review: the records are released only to the person entitled', 'to');
      }
      if (i.to === 'decision') {
        const gaps = reviewGaps(ctx, cur.id);
        if (gaps.unreviewed || gaps.stale) {
          throw ruleViolation('foi_review_incomplete', `foi_review_incomplete: ${gaps.unreviewed} item(s) not reviewed, ${gaps.stale} changed since their review`, 'to', gaps);
        }
      }
      const today = ctx.clock.today();
      const patch: Record<string, unknown> = { status: i.to, status_reason: i.reason ?? null };
      if (i.to === 'decided') {
        const on = i.decidedOn ?? today;
        if (on < cur.received_on || on > today) {
          throw ruleViolation('foi_decided_on', `foi_decided_on: the decision's day must be from the day received (${cur.received_on}) to today (${today})`, 'decidedOn');
        }
        Object.assign(patch, { decided_on: on, decided_by: actor.id });
      } else if (i.decidedOn) {
        throw new DomainError('validation', 'A decision day is given only when deciding', 'decidedOn');
      }
      if (i.to === 'closed' || i.to === 'withdrawn') patch.closed_on = today;
      if (isReopening(from, i.to)) Object.assign(patch, { decided_on: null, decided_by: null, closed_on: null });
      const res = updateRecord(w(actor, mutationId), 'foi_request', cur.id, patch, { expectVersion: i.version });
      audit.persons(requestPersons(ctx, cur)).detail('request', cur.id).detail('status', [from, i.to]);
      return { id: res.id, version: res.version };
    },

    'foi.requestExtend': (i, { actor, audit, mutationId }) => {
      requireMunicipalityWide(actor, 'foi.write', 'Extending an FOI request');
      const cur = requestRow(ctx, i.id);
      checkVersion(cur.version, i.version);
      if (cur.kind !== 'gdpr_access') throw ruleViolation('foi_extension_kind', 'foi_extension_kind: only a subject-access request (GDPR art. 12(3)) can be extended', 'id');
      if (cur.extension_notice_on || cur.decided_on || cur.status === 'closed' || cur.status === 'withdrawn') {
        throw ruleViolation('foi_extension_done', 'foi_extension_done: the request is already extended or answered', 'id');
      }
      const c = foiConfig(ctx);
      if (c.rules.gdpr_access.extensionMonths === 0) throw ruleViolation('foi_extension_unavailable', 'foi_extension_unavailable: the deadline rules allow no extension', 'id');
      const views = new RequestViews(ctx, scope, actor);
      const d = views.deadlines(cur);
      if (i.noticeOn < cur.received_on || i.noticeOn > ctx.clock.today()) {
        throw ruleViolation('foi_extension_late', `foi_extension_late: the notice's day must be from the day received (${cur.received_on}) to today`, 'noticeOn');
      }
      if (!d.extensionNoticeBy || i.noticeOn > d.extensionNoticeBy) {
        throw ruleViolation('foi_extension_late', `foi_extension_late: the extension had to be notified by ${d.extensionNoticeBy ?? 'the end of the first month'}`, 'noticeOn', { by: d.extensionNoticeBy ?? '' });
      }
      const res = updateRecord(w(actor, mutationId), 'foi_request', cur.id, { extension_notice_on: i.noticeOn, extension_reason: i.reason, extension_months: c.rules.gdpr_access.extensionMonths }, { expectVersion: i.version });
      audit.persons(requestPersons(ctx, cur)).detail('request', cur.id).detail('extensionNoticeOn', i.noticeOn);
      return { id: res.id, version: res.version };
    },

    'foi.requestPersonAdd': (i, { actor, audit, mutationId }) => {
      requireMunicipalityWide(actor, 'foi.write', 'A person concerned by an FOI request');
      const cur = requestRow(ctx, i.requestId, 'requestId');
      requireOpen(cur);
      const present = ctx.sqlite.prepare('SELECT 1 FROM foi_request_person WHERE request_id = ? AND person_id = ? AND deleted_at IS NULL').get(cur.id, i.personId);
      if (present) throw ruleViolation('foi_person_twice', 'foi_person_twice: the person is already concerned by the request', 'personId');
      checkPersons(ctx, [{ personId: i.personId, role: i.role }], () => 'personId');
      if (i.role === 'subject' && cur.requester_kind === 'guardian' && cur.requester_person_id) checkCustody(ctx, cur.requester_person_id, [i.personId], cur.received_on);
      const r = insertRecord(w(actor, mutationId), 'foi_request_person', { request_id: cur.id, person_id: i.personId, role: i.role });
      audit.persons([i.personId]).detail('request', cur.id).detail('role', i.role);
      return r;
    },

    'foi.requestGroupAdd': (i, { actor, audit, mutationId }) => {
      requireMunicipalityWide(actor, 'foi.write', 'A class on an FOI request');
      const cur = requestRow(ctx, i.requestId, 'requestId');
      requireOpen(cur);
      if (cur.kind === 'gdpr_access') {
        throw ruleViolation('foi_group_kind', 'foi_group_kind: a subject-access request concerns its subject; a class is added to a request for public documents', 'groupId');
      }
      const group = ctx.sqlite.prepare('SELECT id FROM school_group WHERE id = ? AND deleted_at IS NULL').get(i.groupId);
      if (!group) throw new DomainError('not_found', 'No such class or group', 'groupId');
      const on = i.on ?? cur.received_on;
      const members = ctx.sqlite
        .prepare(
          `SELECT DISTINCT p.id, p.protection <> 'none' AS withheld FROM group_membership m JOIN person p ON p.id = m.person_id
           WHERE m.group_id = ? AND m.deleted_at IS NULL AND p.deleted_at IS NULL AND m.valid_from <= ? AND (m.valid_to IS NULL OR m.valid_to >= ?)
           ORDER BY p.sort_key, p.id`,
        )
        .all(i.groupId, on, on) as { id: string; withheld: number }[];
      if (members.length === 0) throw ruleViolation('foi_group_empty', `foi_group_empty: the class has no members on ${on}`, 'on');
      const present = new Set(ctx.sqlite.prepare('SELECT person_id FROM foi_request_person WHERE request_id = ? AND deleted_at IS NULL').pluck().all(cur.id) as string[]);
      const wr = w(actor, mutationId);
      let added = 0;
      let protectedCount = 0;
      for (const m of members) {
        if (m.withheld) protectedCount++;
        if (present.has(m.id)) continue;
        // Ids from the action and the person: a cache that holds fewer of the class's members than the
        // server (a protected pupil's membership) must not pair another person with an id (ids.ts derivedId).
        insertRecord(wr, 'foi_request_person', { ...(mutationId ? { id: derivedId('foi_request_person', mutationId, m.id) } : {}), request_id: cur.id, person_id: m.id, role: 'listed' });
        added++;
      }
      audit.persons(members.map((m) => m.id)).detail('request', cur.id).detail('group', i.groupId).detail('on', on).detail('added', added);
      return { added, already: members.length - added, protected: protectedCount };
    },

    'foi.requestPersonRemove': (i, { actor, audit, mutationId }) => {
      requireMunicipalityWide(actor, 'foi.write', 'A person concerned by an FOI request');
      const link = ctx.sqlite.prepare('SELECT id, request_id, person_id, role, version FROM foi_request_person WHERE id = ? AND deleted_at IS NULL').get(i.id) as
        | { id: string; request_id: string; person_id: string; role: string; version: number }
        | undefined;
      if (!link) throw new DomainError('not_found', 'No such person on the request', 'id');
      const cur = requestRow(ctx, link.request_id);
      requireOpen(cur);
      if (cur.kind === 'gdpr_access' && link.role === 'subject' && subjectsOf(ctx, cur.id).length === 1) {
        throw ruleViolation('foi_subject_required', 'foi_subject_required: a subject-access request keeps its subject among the persons concerned', 'id');
      }
      const r = softDeleteRecord(w(actor, mutationId), 'foi_request_person', link.id, { expectVersion: i.version });
      audit.persons([link.person_id]).detail('request', cur.id).detail('removed', true);
      return r;
    },

    'foi.gather': (i, { actor, audit, mutationId }) => {
      requireMunicipalityWide(actor, 'foi.write', 'Gathering for an FOI request');
      const cur = requestRow(ctx, i.requestId, 'requestId');
      requireGatherable(cur);
      const links = ctx.sqlite.prepare('SELECT person_id, role FROM foi_request_person WHERE request_id = ? AND deleted_at IS NULL').all(cur.id) as { person_id: string; role: FoiPersonRole }[];
      const wr = w(actor, mutationId);
      const r = gather(wr, cur, links);
      if (cur.status === 'registered') updateRecord(wr, 'foi_request', cur.id, { status: 'gathering', status_reason: null });
      audit.persons(r.persons).detail('request', cur.id).detail('added', r.added).detail('changed', r.changed).detail('gone', r.gone);
      return { added: r.added, changed: r.changed, gone: r.gone, total: r.total };
    },

    'foi.items': (i, { actor, audit }) => {
      requireMunicipalityWide(actor, 'foi.read', 'Gathered items');
      requestRow(ctx, i.requestId, 'requestId');
      const reader = new ItemReader(ctx, scope, actor);
      const page = itemsPage(ctx, i.requestId, { category: i.category, unreviewed: i.unreviewed, unnamed: (id) => reader.personRef(id).name === null }, i.offset, i.limit);
      const reviewer = new Reviewer(ctx, scope, actor);
      const items = page.rows.map((row) => reader.view(row, reviewer.guarded(row)));
      audit.persons([...new Set(items.map((x) => x.person.id))]).detail('request', i.requestId).detail('items', items.length);
      return { items, total: page.total, counts: page.counts };
    },

    'foi.review': (i, { actor, audit, mutationId }) => {
      requireMunicipalityWide(actor, 'foi.write', 'Reviewing an FOI request');
      const item = itemRow(i.id);
      if (item.version !== i.version) throw new DomainError('conflict', `The item was changed by someone else (version ${item.version}, yours ${i.version}); reload to see the change`, 'version');
      const req = requestRow(ctx, item.request_id);
      requireReviewable(req);
      const reviewer = new Reviewer(ctx, scope, actor);
      const { reveal } = reviewer.check(item, i);
      if (reveal) {
        audit.action = 'reveal';
        audit.reason = reveal;
      }
      const r = reviewer.write(w(actor, mutationId), item, i);
      audit.persons([item.person_id]).detail('request', req.id).detail('item', item.id).detail('outcome', i.outcome).detail('ground', i.ground);
      return r;
    },

    'foi.reviewAccept': (i, { actor, audit, mutationId }) => {
      requireMunicipalityWide(actor, 'foi.write', 'Reviewing an FOI request');
      const req = requestRow(ctx, i.requestId, 'requestId');
      requireReviewable(req);
      const reviewer = new Reviewer(ctx, scope, actor);
      const wr = w(actor, mutationId);
      const skipped: { id: string; why: 'ground' | 'reveal' | 'merinnsyn' | 'conflict' | 'gone' | 'reviewed' }[] = [];
      const persons = new Set<string>();
      let accepted = 0;
      for (const ref of i.items) {
        const item = itemRow(ref.id);
        if (item.request_id !== req.id) throw new DomainError('validation', 'The item belongs to another request', 'items');
        if (item.version !== ref.version) {
          skipped.push({ id: item.id, why: 'conflict' });
          continue;
        }
        if (item.gone_at !== null) {
          skipped.push({ id: item.id, why: 'gone' });
          continue;
        }
        if (ctx.sqlite.prepare('SELECT outcome FROM foi_item WHERE id = ?').pluck().get(item.id) !== null) {
          skipped.push({ id: item.id, why: 'reviewed' });
          continue;
        }
        const input = reviewer.fromProposal(item);
        if (typeof input === 'string') {
          skipped.push({ id: item.id, why: input });
          continue;
        }
        reviewer.write(wr, item, input);
        persons.add(item.person_id);
        accepted++;
      }
      audit.persons([...persons]).detail('request', req.id).detail('accepted', accepted).detail('skipped', skipped.length);
      return { accepted, skipped };
    },

    'foi.extract': async (i, { actor, audit, services }) => {
      requireMunicipalityWide(actor, 'foi.read', 'An FOI extract');
      const req = requestRow(ctx, i.requestId, 'requestId');
      const items = extractableItems(ctx, scope, actor, req);
      const out = await buildExtract(ctx, req, items, actor);
      audit.persons(out.persons).detail('request', req.id).detail('pages', out.pages).detail('masked', out.masked).detail('withheld', out.withheld);
      const file = await services.files.writeExport(actor.id, `${req.kind === 'gdpr_access' ? 'registerutdrag' : 'utdrag'}-${req.received_on}.pdf`, 'application/pdf', out.bytes);
      return { file, pages: out.pages, masked: out.masked, withheld: out.withheld };
    },

    'foi.documentPage': async (i, { actor, audit }) => {
      requireMunicipalityWide(actor, 'foi.read', 'A gathered document');
      const item = itemRow(i.itemId);
      if (item.entity !== 'person_document') throw ruleViolation('foi_not_document', 'foi_not_document: the item is not a document', 'itemId');
      const doc = ctx.sqlite.prepare('SELECT person_id, mime, content_sha256 FROM person_document WHERE id = ?').get(item.record_id) as
        | { person_id: string; mime: DocumentMime; content_sha256: string }
        | undefined;
      if (!doc) throw new DomainError('not_found', 'The document is no longer held', 'itemId');
      const p = ctx.sqlite.prepare('SELECT protection, shielded FROM person WHERE id = ?').get(doc.person_id) as { protection: string; shielded: number } | undefined;
      if (p && (p.protection !== 'none' || p.shielded === 1)) {
        // A protected person's document is seen as documents are elsewhere: with protected.reveal and a reason.
        if (!scope.allows(actor, 'protected.reveal', doc.person_id)) {
          throw new DomainError('forbidden', 'The person has a protected identity (or shares a protected person\'s home): their documents are seen only with protected.reveal', 'itemId');
        }
        if (!i.reason) throw new DomainError('validation', 'Seeing a protected person\'s document needs a reason (it is logged)', 'reason', [{ field: 'reason', code: 'required', message: 'A reason is required' }]);
        audit.action = 'reveal';
        audit.reason = i.reason;
      }
      const bytes = documentBytes(ctx, doc.content_sha256);
      if (!bytes) throw new DomainError('unavailable', 'This workstation does not hold the document\'s content', 'itemId');
      let shown;
      try {
        shown = await renderPreviewPage(bytes, doc.mime, i.page);
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        throw ruleViolation('foi_region_page', `foi_region_page: the document has ${e.message} page(s)`, 'page', { pages: Number(e.message) });
      }
      audit.persons([doc.person_id]).detail('request', item.request_id).detail('item', item.id).detail('page', i.page);
      return { page: i.page, pages: shown.pages, width: shown.width, height: shown.height, image: `data:image/jpeg;base64,${shown.jpg.toString('base64')}` };
    },

    'foi.decisionLetter': async (i, { actor, audit, services }) => {
      requireMunicipalityWide(actor, 'foi.read', 'A decision letter');
      const req = requestRow(ctx, i.requestId, 'requestId');
      requireDecided(req);
      const extract = await buildExtract(ctx, req, extractableItems(ctx, scope, actor, req), actor);
      const requester = new RequestViews(ctx, scope, actor).view(req).requesterName;
      const letter = await buildDecisionLetter(ctx, req, requester, extract, actor.name);
      audit.persons(extract.persons).detail('request', req.id).detail('pages', letter.pages);
      const file = await services.files.writeExport(actor.id, `beslut-${req.decided_on ?? req.received_on}.pdf`, 'application/pdf', letter.bytes);
      return { file, pages: letter.pages };
    },

    'foi.disclose': async (i, call) => {
      const { actor, audit } = call;
      requireMunicipalityWide(actor, 'foi.write', 'Recording a disclosure');
      const req = requestRow(ctx, i.requestId, 'requestId');
      requireDecided(req);
      checkVersion(req.version, i.version);
      const extract = await buildExtract(ctx, req, extractableItems(ctx, scope, actor, req), actor);
      const today = ctx.clock.today();
      const on = i.disclosedOn ?? today;
      if (on < req.decided_on! || on > today) throw ruleViolation('foi_decided_on', `foi_decided_on: the disclosure's day must be from the decision (${req.decided_on}) to today`, 'disclosedOn');
      const r = await call.tx(() => {
        // Checked again inside the transaction: the request may have moved while the extract was made.
        const now = requestRow(ctx, req.id, 'requestId');
        checkVersion(now.version, i.version);
        const row = insertRecord(w(actor, call.mutationId), 'foi_disclosure', {
          request_id: req.id,
          disclosed_on: on,
          channel: i.channel,
          recipient_kind: req.requester_kind,
          persons: JSON.stringify(extract.persons),
          extract_sha256: createHash('sha256').update(extract.bytes).digest('hex'),
          pages: extract.pages,
          masked: extract.masked,
          withheld: extract.withheld,
          decided_on: req.decided_on,
          decided_by: req.decided_by,
        });
        audit.persons(extract.persons).detail('request', req.id).detail('disclosure', row.id).detail('pages', extract.pages);
        return row;
      });
      return r;
    },

    'foi.disclosures': (i, { actor, audit }) => {
      requireMunicipalityWide(actor, 'foi.read', 'The disclosure log');
      const byRequest = 'requestId' in i;
      if (byRequest) requestRow(ctx, i.requestId, 'requestId');
      const rows = ctx.sqlite
        .prepare(
          `SELECT d.id, d.request_id, r.kind, d.disclosed_on, d.channel, d.recipient_kind, json_array_length(d.persons) AS persons, d.extract_sha256, d.pages, d.masked,
             d.withheld, d.decided_on, db.display_name AS decided_by_name, cb.display_name AS created_by_name
           FROM foi_disclosure d JOIN foi_request r ON r.id = d.request_id LEFT JOIN user_account db ON db.id = d.decided_by LEFT JOIN user_account cb ON cb.id = d.created_by
           WHERE ${byRequest ? 'd.request_id = ?' : 'EXISTS (SELECT 1 FROM json_each(d.persons) p WHERE p.value = ?)'}
           ORDER BY d.disclosed_on DESC, d.created_at DESC, d.id`,
        )
        .all(byRequest ? i.requestId : i.personId) as {
        id: string;
        request_id: string;
        kind: FoiRequestRow['kind'];
        disclosed_on: string;
        channel: FoiRequestRow['channel'];
        recipient_kind: FoiRequestRow['requester_kind'];
        persons: number;
        extract_sha256: string;
        pages: number;
        masked: number;
        withheld: number;
        decided_on: string;
        decided_by_name: string | null;
        created_by_name: string | null;
      }[];
      if (!byRequest) audit.persons([i.personId]);
      audit.detail(byRequest ? 'request' : 'person', byRequest ? i.requestId : 'given').detail('disclosures', rows.length);
      return {
        items: rows.map((d) => ({
          id: d.id,
          requestId: d.request_id,
          kind: d.kind,
          disclosedOn: d.disclosed_on,
          channel: d.channel,
          recipientKind: d.recipient_kind,
          persons: d.persons,
          extractSha256: d.extract_sha256,
          pages: d.pages,
          masked: d.masked,
          withheld: d.withheld,
          decidedOn: d.decided_on,
          decidedByName: d.decided_by_name,
          createdByName: d.created_by_name,
        })),
      };
    },

    'foi.grounds': (_i, { actor }) => {
      requireMunicipalityWide(actor, 'foi.read', 'The legal grounds');
      return groundsView();
    },

    'foi.groundsUpdate': (i, { actor, audit }) => {
      requireMunicipalityWide(actor, 'foi.write', 'Changing the legal grounds');
      const before = groundsView();
      if (i.version !== before.version) throw new DomainError('conflict', 'The grounds were changed by someone else since they were read: read them again and make the change there', 'version');
      setFoiGrounds(ctx, i.grounds);
      const after = groundsView();
      audit.detail('changes', diffViews({ grounds: before.grounds }, { grounds: after.grounds }));
      return after;
    },

    'foi.officers': (_i, { actor }) => {
      requireMunicipalityWide(actor, 'foi.read', 'FOI officers');
      return { items: officers(ctx) };
    },

    'foi.rules': (_i, { actor }) => {
      requireMunicipalityWide(actor, 'foi.read', 'The FOI deadline rules');
      return rulesView();
    },

    'foi.rulesUpdate': (i, { actor, audit }) => {
      requireMunicipalityWide(actor, 'foi.write', 'Changing the FOI deadline rules');
      const before = rulesView();
      if (i.version !== before.version) throw new DomainError('conflict', 'The deadline rules were changed by someone else since they were read: read them again and make the change there', 'version');
      setFoiConfig(ctx, i.rules, i.calendar);
      const after = rulesView();
      audit.detail('changes', diffViews({ rules: before.rules, calendar: before.calendar }, { rules: after.rules, calendar: after.calendar }));
      return after;
    },
  };
}
