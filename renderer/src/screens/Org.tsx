/**
 * Organisation browser: municipality → administrations → school units as an ARIA tree (roving
 * tabindex; arrows, Home/End, Enter), with the selected record's card beside it.
 */
import { Button, Group, NativeSelect, Text, Tooltip } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { Empty, ErrorState, Field, Link, Loading, PageTitle, Section } from '../components/common';
import { IconChevron, IconEdit, IconOrg, IconPlus, IconUnit } from '../components/icons';
import { NeutralTag } from '../components/Tags';
import { useScreenAction } from '../lib/actions';
import { useQuery } from '../lib/api';
import type { OrgTree, SchoolForm, UnitCard } from '../lib/domain';
import { formatDate, formatPercent, schoolYearLabel, schoolYearOf } from '../lib/format';
import { useT } from '../lib/i18n';
import { MOD } from '../lib/platform';
import { navigate, type Route } from '../lib/router';
import { useSession } from '../lib/session';
import { createStore, useStore } from '../lib/store';
import { displayOrgNumber } from '../lib/unitForm';
import { DataTable, useExportLog } from '../kit';
import type { TFn } from '../lib/i18n';

const groupsOf = (a: OrgTree['administrations'][number]) => a.units.reduce((s, u) => s + u.groupCount, 0);
const formsOf = (forms: readonly SchoolForm[], t: TFn) => forms.map((f) => t(`schoolForm.${f}.short`)).join(', ');

/** Which tree node the detail pane shows (a group card selects its unit once loaded). */
export const orgSelection = createStore<string | null>(null);
/** Bumped after a unit is saved so the tree reloads. */
export const orgTreeVersion = createStore(0);

/** org.tree, refetched whenever a unit was saved. */
export function useOrgTree() {
  const version = useStore(orgTreeVersion);
  const q = useQuery('org.tree', {});
  const { reload } = q;
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    reload();
  }, [version, reload]);
  return q;
}

/**
 * The tree stands before the record in the page, but the page's heading (where focus lands on opening a
 * record) comes after it: Tab from the heading goes to the tree first, then on into the record.
 */
function tabToTree(e: KeyboardEvent<HTMLDivElement>) {
  if (e.key !== 'Tab' || e.shiftKey || e.altKey || e.ctrlKey || e.metaKey) return;
  if (!(e.target instanceof HTMLElement) || e.target.tagName !== 'H1') return;
  const item = document.querySelector<HTMLElement>('[data-testid="org-tree"] [role="treeitem"][tabindex="0"]');
  if (!item) return;
  e.preventDefault();
  item.focus();
}

export function OrgLayout({ selectedId, children }: { selectedId: string | null; children: ReactNode }) {
  const { t } = useT();
  const tree = useOrgTree();
  const groupSelection = useStore(orgSelection);
  const selected = selectedId ?? groupSelection;
  return (
    <div className="k-org-layout" data-testid="org-screen">
      <div className="k-section k-org-tree-panel">
        <h2 className="k-section-title" id="org-tree-title">
          {t('org.tree')}
        </h2>
        {tree.error ? <ErrorState error={tree.error} onRetry={tree.reload} /> : !tree.data ? <Loading /> : <OrgTreeView tree={tree.data} selectedId={selected} />}
      </div>
      <div style={{ minWidth: 0 }} onKeyDown={tabToTree}>
        {children}
      </div>
    </div>
  );
}

interface Node {
  id: string;
  label: string;
  code: string | null;
  level: number;
  parent: string | null;
  children: Node[];
  route: Route;
  kind: 'municipality' | 'administration' | 'school_unit';
}

function buildNodes(tree: OrgTree): Node {
  const root: Node = {
    id: tree.municipality.id,
    label: tree.municipality.name,
    code: tree.municipality.code,
    level: 1,
    parent: null,
    children: [],
    route: { name: 'org' },
    kind: 'municipality',
  };
  root.children = tree.administrations.map((a) => {
    const admin: Node = { id: a.id, label: a.name, code: null, level: 2, parent: root.id, children: [], route: { name: 'unit', id: a.id }, kind: 'administration' };
    admin.children = a.units.map((u) => ({ id: u.id, label: u.name, code: u.code, level: 3, parent: a.id, children: [], route: { name: 'unit', id: u.id }, kind: 'school_unit' as const }));
    return admin;
  });
  return root;
}

function OrgTreeView({ tree, selectedId }: { tree: OrgTree; selectedId: string | null }) {
  const { t } = useT();
  const root = useMemo(() => buildNodes(tree), [tree]);
  const byId = useMemo(() => {
    const m = new Map<string, Node>();
    const walk = (n: Node) => {
      m.set(n.id, n);
      n.children.forEach(walk);
    };
    walk(root);
    return m;
  }, [root]);
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set([root.id, ...root.children.map((c) => c.id)]));
  const effectiveSelected = selectedId ?? root.id;
  const [focusId, setFocusId] = useState<string>(effectiveSelected);
  const itemRefs = useRef(new Map<string, HTMLLIElement>());

  // Follow the selection (e.g. opened from search) and make sure it is visible.
  useEffect(() => {
    const n = byId.get(effectiveSelected);
    if (!n) return;
    setFocusId(n.id);
    setExpanded((cur) => {
      const next = new Set(cur);
      let p = n.parent;
      while (p) {
        next.add(p);
        p = byId.get(p)?.parent ?? null;
      }
      return next;
    });
  }, [effectiveSelected, byId]);

  const visible = useMemo(() => {
    const out: Node[] = [];
    const walk = (n: Node) => {
      out.push(n);
      if (expanded.has(n.id)) n.children.forEach(walk);
    };
    walk(root);
    return out;
  }, [root, expanded]);

  const focus = (id: string) => {
    setFocusId(id);
    itemRefs.current.get(id)?.focus();
  };
  const toggle = (id: string, open: boolean) =>
    setExpanded((cur) => {
      const next = new Set(cur);
      if (open) next.add(id);
      else next.delete(id);
      return next;
    });

  const onKeyDown = (e: KeyboardEvent<HTMLLIElement>, n: Node) => {
    if (e.target !== e.currentTarget || e.altKey || e.ctrlKey || e.metaKey) return;
    const i = visible.findIndex((x) => x.id === n.id);
    const hasKids = n.children.length > 0;
    const isOpen = expanded.has(n.id);
    let handled = true;
    switch (e.key) {
      case 'ArrowDown':
        if (visible[i + 1]) focus(visible[i + 1]!.id);
        break;
      case 'ArrowUp':
        if (i > 0) focus(visible[i - 1]!.id);
        break;
      case 'ArrowRight':
        if (hasKids && !isOpen) toggle(n.id, true);
        else if (hasKids) focus(n.children[0]!.id);
        break;
      case 'ArrowLeft':
        if (hasKids && isOpen) toggle(n.id, false);
        else if (n.parent) focus(n.parent);
        break;
      case 'Home':
        focus(visible[0]!.id);
        break;
      case 'End':
        focus(visible[visible.length - 1]!.id);
        break;
      case 'Enter':
      case ' ':
        navigate(n.route);
        break;
      case '*':
        setExpanded(new Set(byId.keys()));
        break;
      default:
        handled = false;
    }
    if (handled) e.preventDefault();
  };

  const render = (n: Node, posinset: number, setsize: number): ReactNode => {
    const hasKids = n.children.length > 0;
    const isOpen = expanded.has(n.id);
    const labelId = `tree-${n.id}-label`;
    return (
      <li
        key={n.id}
        ref={(el) => {
          if (el) itemRefs.current.set(n.id, el);
          else itemRefs.current.delete(n.id);
        }}
        role="treeitem"
        className="k-treeitem"
        aria-level={n.level}
        aria-posinset={posinset}
        aria-setsize={setsize}
        aria-expanded={hasKids ? isOpen : undefined}
        aria-selected={n.id === effectiveSelected}
        aria-labelledby={labelId}
        tabIndex={n.id === focusId ? 0 : -1}
        onKeyDown={(e) => onKeyDown(e, n)}
        onFocus={(e) => {
          if (e.target === e.currentTarget) setFocusId(n.id);
        }}
        data-testid={`tree-${n.kind}`}
      >
        <div
          className="k-treerow"
          onClick={() => {
            setFocusId(n.id);
            navigate(n.route);
          }}
        >
          <span
            className="k-tree-toggle"
            onClick={(e) => {
              if (!hasKids) return;
              e.stopPropagation();
              toggle(n.id, !isOpen);
            }}
          >
            {hasKids && <IconChevron size={14} open={isOpen} />}
          </span>
          {n.kind === 'school_unit' ? <IconUnit size={16} /> : <IconOrg size={16} />}
          <span id={labelId}>{n.label}</span>
          {n.code && n.kind === 'school_unit' && <span className="k-tree-code k-mono">{n.code}</span>}
        </div>
        {hasKids && isOpen && (
          <ul role="group">{n.children.map((c, j) => render(c, j + 1, n.children.length))}</ul>
        )}
      </li>
    );
  };

  return (
    <>
      <ul className="k-tree" role="tree" aria-labelledby="org-tree-title" data-testid="org-tree">
        {render(root, 1, 1)}
      </ul>
      <Text size="xs" c="dimmed" mt="sm">
        {t('org.treeHint')}
      </Text>
    </>
  );
}

// ---------------------------------------------------------------------------------------------

export function OrgOverview() {
  const { t } = useT();
  const session = useSession();
  const tree = useOrgTree();
  if (tree.error) return <ErrorState error={tree.error} onRetry={tree.reload} />;
  if (!tree.data) return <Loading />;
  const m = tree.data.municipality;
  return (
    <div data-testid="org-overview">
      <PageTitle>{m.name}</PageTitle>
      <Section title={t('org.municipality')} id="sec-muni">
        <dl className="k-dl">
          <Field label={t('field.municipalityCode')}>
            <span className="k-mono">{m.code}</span>
          </Field>
          <Field label={t('field.country')}>{t(`country.${m.country}`)}</Field>
        </dl>
      </Section>
      <div style={{ height: 12 }} />
      <Section
        title={t('org.administrations')}
        id="sec-admins"
        actions={
          session.can('org.write') && tree.data.administrations.length > 0 ? (
            <Button size="xs" variant="default" leftSection={<IconPlus size={14} />} onClick={() => navigate({ name: 'unitNew' })}>
              {t('unit.new')}
            </Button>
          ) : undefined
        }
      >
        {tree.data.administrations.length === 0 ? (
          <Empty>{t('org.noAdministrations')}</Empty>
        ) : (
          <DataTable<OrgTree['administrations'][number]>
            id="org-administrations"
            caption={t('org.table.administrations')}
            columns={[
              { id: 'name', header: t('field.name'), cell: (a) => <Link to={{ name: 'unit', id: a.id }}>{a.name}</Link>, text: (a) => a.name },
              { id: 'units', header: t('org.unitCount'), cell: (a) => a.units.length, text: (a) => a.units.length, kind: 'number' },
              { id: 'groups', header: t('org.groupCount'), cell: (a) => groupsOf(a), text: (a) => groupsOf(a), kind: 'number' },
            ]}
            rows={tree.data.administrations}
            rowKey={(a) => a.id}
            onOpen={(a) => navigate({ name: 'unit', id: a.id })}
            testId="org-administrations"
            dense
          />
        )}
      </Section>
    </div>
  );
}

export function UnitCardScreen({ id }: { id: string }) {
  const q = useQuery('unit.get', { id });
  const session = useSession();
  const canEdit = session.can('org.write') && q.data?.kind === 'school_unit';
  const edit = useCallback(() => navigate({ name: 'unitEdit', id }), [id]);
  useScreenAction(useMemo(() => (canEdit ? { id: 'edit' as const, label: 'unit.edit' as const, run: edit } : null), [canEdit, edit]));
  const newUnit = useCallback(() => navigate({ name: 'unitNew', parentId: id }), [id]);
  const canCreateHere = session.can('org.write') && q.data?.kind === 'administration';
  useScreenAction(useMemo(() => (canCreateHere ? { id: 'newUnit' as const, label: 'unit.newHere' as const, run: newUnit } : null), [canCreateHere, newUnit]));

  if (q.error) return <ErrorState error={q.error} onRetry={q.reload} />;
  if (!q.data) return <Loading />;
  if (q.data.kind === 'administration') return <AdministrationView u={q.data} canCreate={canCreateHere} onCreate={newUnit} />;
  return <UnitView u={q.data} canEdit={canEdit} onEdit={edit} />;
}

function AdministrationView({ u, canCreate, onCreate }: { u: UnitCard; canCreate: boolean; onCreate: () => void }) {
  const { t } = useT();
  const tree = useOrgTree();
  const units = tree.data?.administrations.find((a) => a.id === u.id)?.units ?? [];
  return (
    <div data-testid="administration-card">
      <PageTitle extra={<NeutralTag>{t('unitKind.administration')}</NeutralTag>}>{u.name}</PageTitle>
      <Section
        title={t('org.units')}
        id="sec-units"
        actions={
          canCreate ? (
            <Button size="xs" leftSection={<IconPlus size={14} />} onClick={onCreate} data-testid="new-unit">
              {t('unit.newHere')}
            </Button>
          ) : undefined
        }
      >
        {units.length === 0 ? (
          <Empty>{t('org.noUnits')}</Empty>
        ) : (
          <DataTable<(typeof units)[number]>
            id="org-units"
            caption={t('org.table.units')}
            columns={[
              { id: 'name', header: t('field.name'), cell: (x) => <Link to={{ name: 'unit', id: x.id }}>{x.name}</Link>, text: (x) => x.name },
              { id: 'code', header: t('field.code'), cell: (x) => <span className="k-mono">{x.code}</span>, text: (x) => x.code, kind: 'code' },
              { id: 'forms', header: t('field.schoolForms'), cell: (x) => formsOf(x.schoolForms, t), text: (x) => formsOf(x.schoolForms, t) },
              { id: 'groups', header: t('org.groupCount'), cell: (x) => x.groupCount, text: (x) => x.groupCount, kind: 'number' },
            ]}
            rows={units}
            rowKey={(x) => x.id}
            onOpen={(x) => navigate({ name: 'unit', id: x.id })}
            testId="org-units"
            dense
          />
        )}
      </Section>
    </div>
  );
}

function UnitView({ u, canEdit, onEdit }: { u: UnitCard; canEdit: boolean; onEdit: () => void }) {
  const { t, lang } = useT();
  const session = useSession();
  const years = useMemo(() => [...new Set(u.groups.map((g) => g.schoolYear))].sort((a, b) => b - a), [u.groups]);
  const currentYear = schoolYearOf(session.today);
  const [year, setYear] = useState<number | null>(null);
  const shownYear = year ?? (years.includes(currentYear) ? currentYear : (years[0] ?? currentYear));
  const groups = u.groups.filter((g) => g.schoolYear === shownYear).sort((a, b) => (a.grade ?? 99) - (b.grade ?? 99) || a.name.localeCompare(b.name, lang));
  const today = session.today;
  const staff = u.staff.filter((s) => !s.validTo || s.validTo >= today);
  const exportStaff = useExportLog<UnitCard['staff'][number]>(
    'unit-staff',
    useCallback((x: UnitCard['staff'][number]) => [x.personId], []),
  );

  return (
    <div data-testid="unit-card">
      <PageTitle extra={<Group gap={6}>{u.schoolForms.map((f) => <NeutralTag key={f}>{t(`schoolForm.${f}`)}</NeutralTag>)}</Group>}>{u.name}</PageTitle>
      {canEdit && (
        <Group mb="md">
          <Tooltip label={`E / ${MOD}+E`} withArrow>
            <Button leftSection={<IconEdit size={16} />} onClick={onEdit} aria-keyshortcuts="E Control+E" data-testid="edit-unit">
              {t('unit.edit')}
            </Button>
          </Tooltip>
        </Group>
      )}
      <Section title={t('unit.section.facts')} id="sec-facts">
        <dl className="k-dl">
          <Field label={t('field.administration')}>{u.parentId && u.parentName ? <Link to={{ name: 'unit', id: u.parentId }}>{u.parentName}</Link> : null}</Field>
          {(session.country === 'SE' || u.schoolUnitCode) && (
            <Field label={t('field.schoolUnitCode')}>{u.schoolUnitCode && <span className="k-mono">{u.schoolUnitCode}</span>}</Field>
          )}
          {(session.country === 'NO' || u.gsiCode) && <Field label={t('field.gsiCode')}>{u.gsiCode && <span className="k-mono">{u.gsiCode}</span>}</Field>}
          <Field label={t('field.orgNumber')}>{u.orgNumber && <span className="k-mono">{displayOrgNumber(u.orgNumber, session.country)}</span>}</Field>
          <Field label={t('field.schoolForms')}>{u.schoolForms.map((f) => t(`schoolForm.${f}`)).join(', ')}</Field>
          <Field label={t('field.visitingAddress')}>{u.visitingAddress}</Field>
        </dl>
      </Section>
      <div style={{ height: 12 }} />
      <Section
        title={t('unit.section.groups')}
        id="sec-groups"
        actions={
          years.length > 1 ? (
            <NativeSelect
              label={t('field.schoolYear')}
              size="xs"
              value={String(shownYear)}
              onChange={(e) => setYear(Number(e.currentTarget.value))}
              data={years.map((y) => ({ value: String(y), label: schoolYearLabel(y) }))}
              styles={{ root: { display: 'flex', alignItems: 'center', gap: 8 }, label: { whiteSpace: 'nowrap' } }}
            />
          ) : years.length === 1 ? (
            <Text size="sm" c="dimmed">
              {t('field.schoolYear')} {schoolYearLabel(shownYear)}
            </Text>
          ) : undefined
        }
      >
        {groups.length === 0 ? (
          <Empty>{t('unit.noGroups')}</Empty>
        ) : (
          <DataTable<UnitCard['groups'][number]>
            id="unit-groups"
            caption={t('org.table.groups')}
            columns={[
              { id: 'name', header: t('field.group'), cell: (g) => <Link to={{ name: 'group', id: g.id }}>{g.name}</Link>, text: (g) => g.name },
              { id: 'kind', header: t('field.groupKind'), cell: (g) => t(`groupKind.${g.kind}`), text: (g) => t(`groupKind.${g.kind}`) },
              { id: 'form', header: t('field.schoolForm'), cell: (g) => t(`schoolForm.${g.schoolForm}`), text: (g) => t(`schoolForm.${g.schoolForm}`) },
              { id: 'grade', header: t('field.grade'), cell: (g) => (g.grade === 0 ? 'F' : (g.grade ?? '')), text: (g) => g.grade, kind: 'number' },
              { id: 'members', header: t('field.memberCount'), cell: (g) => g.memberCount, text: (g) => g.memberCount, kind: 'number' },
            ]}
            rows={groups}
            rowKey={(g) => g.id}
            onOpen={(g) => navigate({ name: 'group', id: g.id })}
            testId="unit-groups"
            dense
          />
        )}
      </Section>
      <div style={{ height: 12 }} />
      <Section title={t('unit.section.staff')} id="sec-staff">
        {staff.length === 0 ? (
          <Empty>{t('unit.noStaff')}</Empty>
        ) : (
          <DataTable<UnitCard['staff'][number]>
            id="unit-staff"
            caption={t('org.table.staff')}
            columns={[
              { id: 'name', header: t('field.name'), cell: (x) => <Link to={{ name: 'person', id: x.personId }}>{x.name}</Link>, text: (x) => x.name },
              { id: 'role', header: t('field.dutyRole'), cell: (x) => t(`dutyRole.${x.role}`), text: (x) => t(`dutyRole.${x.role}`) },
              { id: 'percent', header: t('field.percent'), cell: (x) => formatPercent(x.percent, lang), text: (x) => x.percent, kind: 'number' },
              {
                id: 'period',
                header: t('field.period'),
                cell: (x) => (
                  <span className="k-num k-nowrap">
                    {formatDate(x.validFrom, lang)} – {x.validTo ? formatDate(x.validTo, lang) : ''}
                  </span>
                ),
                text: (x) => x.validFrom,
                kind: 'date',
              },
            ]}
            rows={staff}
            rowKey={(x) => x.dutyId}
            onOpen={(x) => navigate({ name: 'person', id: x.personId })}
            onExport={exportStaff}
            testId="unit-staff"
            dense
          />
        )}
      </Section>
    </div>
  );
}

