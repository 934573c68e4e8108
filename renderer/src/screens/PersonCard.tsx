/** A person's card: identity, names, addresses (or "Protected"), relations, duties, groups, history. */
import { Button, Group, SimpleGrid, Tooltip } from '@mantine/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Empty, ErrorState, Field, Link, Loading, PageTitle, Section } from '../components/common';
import { IconEdit, IconEye } from '../components/icons';
import { RevealDialog, type Revealed } from '../components/RevealDialog';
import { useAuth } from '../lib/authContext';
import { ProtectedTag, RoleTags, StatusTag } from '../components/Tags';
import { useScreenAction } from '../lib/actions';
import { useQuery, type QueryState } from '../lib/api';
import { useCoreEvents } from '../lib/events';
import { shownPersons, type CareCard } from '../lib/care';
import type { PersonCard } from '../lib/domain';
import { ageOn, countryName, formatDate, formatPercent, fullName, languageName, schoolYearLabel } from '../lib/format';
import { useT, type TKey } from '../lib/i18n';
import { identityNumberLabel } from '../lib/labels';
import { MOD } from '../lib/platform';
import { navigate } from '../lib/router';
import { useSession } from '../lib/session';
import { flash, useStore } from '../lib/store';
import { CareSections } from './care/CareSections';
import { CardSectionBar, CardSummary, PrintButton, PrintLine } from './card/CardSummary';
import { HistorySection } from './card/HistorySection';
import { NextMonthFeeSection } from './fees/ChildFee';
import { DocumentsSection } from './documents/DocumentsSection';
/** Kept here for the forms that import it from the card. */
export { fieldLabel } from './card/HistorySection';

export function PersonCardScreen({ id }: { id: string }) {
  const q = useQuery('person.get', { id });
  const session = useSession();
  // The care part is asked for at the same time as the card, not after it.
  const care = useQuery('care.card', session.can('register.read') ? { personId: id } : null);
  const reloadCard = q.reload;
  const reloadCare = care.reload;
  // Next month's fee (fee administrators) is asked again whenever the card's records change.
  const [feeRevision, setFeeRevision] = useState(0);
  const onCareChanged = useCallback(() => {
    reloadCard();
    reloadCare();
    setFeeRevision((n) => n + 1);
  }, [reloadCard, reloadCare]);
  // Joined mode: another workstation's save (or a conflict put back to the server's version) reached the
  // cache: the open card shows it without being opened again.
  // The card also shows other persons (guardians with their contacts, children, household members): their
  // changes refresh it too.
  const shown = useMemo(() => shownPersons(id, care.data), [id, care.data]);
  useCoreEvents((e) => {
    if (e.type === 'sync' && e.changed?.some((x) => x === '*' || shown.has(x))) onCareChanged();
  });
  const auth = useAuth();
  const canEdit = session.can('register.write');
  const canReveal = session.can('protected.reveal') && q.data?.shielded === true;
  const edit = useCallback(() => navigate({ name: 'personEdit', id }), [id]);
  useScreenAction(useMemo(() => (canEdit && q.data ? { id: 'edit' as const, label: 'person.edit' as const, run: edit } : null), [canEdit, q.data, edit]));

  // Revealed protected details live here, in this component's state, and nowhere else. They are
  // dropped when the card closes, when another person opens, and when Kansli locks.
  const [revealed, setRevealed] = useState<Revealed | null>(null);
  const [revealOpen, setRevealOpen] = useState(false);
  useEffect(() => {
    setRevealed(null);
    setRevealOpen(false);
  }, [id]);
  useEffect(
    () =>
      auth.status.subscribe(() => {
        if (auth.status.get()?.state !== 'signed_in') {
          setRevealed(null);
          setRevealOpen(false);
        }
      }),
    [auth.status],
  );
  const openReveal = useCallback(() => setRevealOpen(true), []);
  useScreenAction(useMemo(() => (canReveal && !revealed ? { id: 'reveal' as const, label: 'reveal.button' as const, run: openReveal } : null), [canReveal, revealed, openReveal]));

  if (q.error) return <ErrorState error={q.error} onRetry={q.reload} />;
  if (!q.data) return <Loading />;
  return (
    <>
      <PersonCardView
        p={q.data}
        canEdit={canEdit}
        onEdit={edit}
        today={session.today}
        canReveal={canReveal}
        onReveal={openReveal}
        revealed={revealed}
        onHide={() => setRevealed(null)}
        care={care}
        onCareChanged={onCareChanged}
        onCardChanged={reloadCard}
        feeRevision={feeRevision}
      />
      {canReveal && (
        <RevealDialog
          opened={revealOpen}
          personId={id}
          name={fullName(q.data)}
          onClose={() => setRevealOpen(false)}
          onRevealed={(r) => {
            setRevealed(r);
            setRevealOpen(false);
            window.setTimeout(() => document.getElementById('sec-addresses-title')?.focus(), 0);
          }}
        />
      )}
    </>
  );
}

interface ViewProps {
  p: PersonCard;
  canEdit: boolean;
  onEdit: () => void;
  today: string;
  canReveal: boolean;
  onReveal: () => void;
  revealed: Revealed | null;
  onHide: () => void;
  care: QueryState<CareCard>;
  onCareChanged: () => void;
  /** The person's own records changed (a document): the card is read again for its history. */
  onCardChanged: () => void;
  feeRevision: number;
}

function PersonCardView({ p, canEdit, onEdit, today, canReveal, onReveal, revealed, onHide, care, onCareChanged, onCardChanged, feeRevision }: ViewProps) {
  const { t, lang } = useT();
  const session = useSession();
  const { country } = session;
  const message = useStore(flash);
  useEffect(() => () => flash.set(null), []);
  const age = ageOn(p.birthDate, today);
  const d = (iso: string | null) => (iso ? <span className="k-num">{formatDate(iso, lang)}</span> : null);
  const period = (from: string, to: string | null) => (
    <span className="k-num">
      {formatDate(from, lang)} – {to ? formatDate(to, lang) : ''}
    </span>
  );
  const shown = p.shielded && revealed ? revealed : p;
  const currentAddresses = shown.addresses.filter((a) => !a.validTo || a.validTo >= today);
  const currentContacts = shown.contacts.filter((c) => !c.validTo || c.validTo >= today);
  const hiddenShielded = p.shielded && !revealed;
  const revealedMark = p.shielded && revealed && (
    <span className="k-tag k-tag-warn" data-testid="revealed-mark">
      <IconEye size={13} />
      {t('reveal.revealed')}
    </span>
  );

  return (
    <div className="k-page" data-testid="person-card">
      <PrintLine />
      <PageTitle
        extra={
          <>
            <Group gap={6}>
              {p.protection !== 'none' && <ProtectedTag />}
              <StatusTag status={p.status} />
              <RoleTags roles={p.roles} />
            </Group>
            <Group gap="sm" ml="auto" className="k-no-print">
              {canEdit && (
                <Tooltip label={`E / ${MOD}+E`} withArrow>
                  <Button leftSection={<IconEdit size={16} />} onClick={onEdit} aria-keyshortcuts="E Control+E" data-testid="edit-person">
                    {t('person.edit')}
                  </Button>
                </Tooltip>
              )}
              {canReveal && !revealed && (
                <Tooltip label="R" withArrow>
                  <Button variant="default" leftSection={<IconEye size={16} />} onClick={onReveal} aria-keyshortcuts="R" data-testid="reveal-button">
                    {t('reveal.button')}
                  </Button>
                </Tooltip>
              )}
              {revealed && (
                <Button variant="default" onClick={onHide} data-testid="reveal-hide">
                  {t('reveal.hide')}
                </Button>
              )}
              <PrintButton />
            </Group>
          </>
        }
      >
        {fullName(p)}
      </PageTitle>
      {message && (
        <div role="status" className="k-section" style={{ borderColor: '#2b8a3e', background: '#ebfbee', marginBottom: 12, padding: '8px 14px' }} data-testid="flash">
          {t(message)}
        </div>
      )}
      {revealed && (
        <p className="k-reveal-note" role="status" data-testid="reveal-note">
          {t('reveal.note')}
        </p>
      )}
      <CardSummary p={p} care={care.data} today={today} hiddenShielded={hiddenShielded} />
      <CardSectionBar revision={`${p.id}|${p.version}|${care.data ? 'care' : care.error ? 'error' : 'loading'}`} />

      <SimpleGrid cols={1} spacing="md" mt="md">
        <CareSections
          person={p}
          care={care}
          onChanged={onCareChanged}
          fallbackGuardians={<Relatives list={p.guardians} empty="person.noGuardians" />}
          fallbackChildren={<Relatives list={p.children} empty="person.noChildren" />}
          // fee.explain is asked only by those who may read fees: for everyone else the section is not there.
          afterPlacements={session.can('fee.read') ? <NextMonthFeeSection personId={p.id} personName={fullName(p)} care={care.data} revision={feeRevision} /> : null}
        />
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md" mt="md">
        <Section title={t('person.section.identity')} id="sec-identity">
          <dl className="k-dl">
            <Field label={identityNumberLabel(p.identity, { country, lang }, t)}>{p.identity ? <span className="k-mono" data-testid="identity-display">{p.identity.display}</span> : t('identity.none')}</Field>
            {!p.identity && p.reserveNumber && (
              <Field label={t('field.reserveNumber')}>
                <span className="k-mono" data-testid="reserve-number-display">{p.reserveNumber}</span>
              </Field>
            )}
            <Field label={t('field.identityKind')}>{p.identity ? t(`idKind.${p.identity.kind}`) : null}</Field>
            <Field label={t('field.birthDate')}>
              {p.birthDate && (
                <>
                  {d(p.birthDate)}
                  {age !== null && <span> ({t('person.age', { count: age })})</span>}
                </>
              )}
            </Field>
            <Field label={t('field.sex')}>{p.sex ? t(`sex.${p.sex}`) : null}</Field>
            <Field label={t('field.status')}>{t(`status.${p.status}`)}</Field>
            <Field label={t('field.protection')}>
              {p.protection === 'none' ? t('protection.none') : <strong style={{ color: '#7d1212' }}>{t(`protection.${p.protection}`)}</strong>}
            </Field>
          </dl>
        </Section>

        <Section title={t('person.section.names')} id="sec-names">
          <dl className="k-dl">
            <Field label={t('field.givenName')}>
              <GivenNames given={p.givenName} preferred={p.preferredName} />
            </Field>
            <Field label={t('field.middleName')}>{p.middleName}</Field>
            <Field label={t('field.familyName')}>{p.familyName}</Field>
            <Field label={t('field.preferredName')}>{p.preferredName}</Field>
            <Field label={t('field.nationality')}>{p.nationality ? `${countryName(p.nationality, lang)} (${p.nationality})` : null}</Field>
            <Field label={t('field.motherTongue')}>{p.motherTongue ? `${languageName(p.motherTongue, lang)} (${p.motherTongue})` : null}</Field>
            {(p.maalform || p.identity?.country === 'NO') && <Field label={t('field.maalform')}>{p.maalform ? t(`maalform.${p.maalform}`) : null}</Field>}
          </dl>
        </Section>

        {hiddenShielded ? (
          <div style={{ gridColumn: '1 / -1' }}>
            <Section title={t('card.section.addressContact')} id="sec-addresses" testId="addresses-section">
              <Empty>{t('card.addressHidden')}</Empty>
            </Section>
          </div>
        ) : (
          <>
            <Section title={t('person.section.addresses')} id="sec-addresses" testId="addresses-section" actions={revealedMark} className={revealedMark ? 'k-section-revealed' : undefined}>
              <RevealedOmitted show={!!revealedMark} />
              {currentAddresses.length === 0 ? (
                <Empty>{t('person.noAddresses')}</Empty>
              ) : (
                <table className="k-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('field.addressKind')}</th>
                      <th scope="col">{t('field.address')}</th>
                      <th scope="col">{t('field.validFrom')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {currentAddresses.map((a) => (
                      <tr key={a.id}>
                        <td>{t(`addressKind.${a.kind}`)}</td>
                        <td>
                          {a.careOf && (
                            <>
                              {t('address.careOf')} {a.careOf}
                              <br />
                            </>
                          )}
                          {a.street}
                          <br />
                          {a.postalCode} {a.city}
                          {a.country !== 'SE' && a.country !== 'NO' ? `, ${countryName(a.country, lang)}` : ''}
                        </td>
                        <td>{d(a.validFrom)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Section>

            <Section title={t('person.section.contacts')} id="sec-contacts" testId="contacts-section" actions={revealedMark} className={revealedMark ? 'k-section-revealed' : undefined}>
              <RevealedOmitted show={!!revealedMark} />
              {currentContacts.length === 0 ? (
                <Empty>{t('person.noContacts')}</Empty>
              ) : (
                <dl className="k-dl">
                  {currentContacts.map((c) => (
                    <Field key={c.id} label={t(`contactKind.${c.kind}`)}>
                      <span className="k-num">{c.value}</span>
                    </Field>
                  ))}
                </dl>
              )}
            </Section>
          </>
        )}
      </SimpleGrid>

      <SimpleGrid cols={1} spacing="md" mt="md">
        <Section title={t('person.section.memberships')} id="sec-memberships">
          {p.memberships.length === 0 ? (
            <Empty>{t('person.noMemberships')}</Empty>
          ) : (
            <table className="k-table">
              <thead>
                <tr>
                  <th scope="col">{t('field.unit')}</th>
                  <th scope="col">{t('field.group')}</th>
                  <th scope="col">{t('field.schoolYear')}</th>
                  <th scope="col">{t('field.period')}</th>
                </tr>
              </thead>
              <tbody>
                {p.memberships.map((m) => (
                  <tr key={m.id}>
                    <td>
                      <Link to={{ name: 'unit', id: m.unitId }}>{m.unitName}</Link>
                    </td>
                    <td>
                      <Link to={{ name: 'group', id: m.groupId }}>{m.groupName}</Link> <span className="k-empty" style={{ fontStyle: 'normal' }}>({t(`groupKind.${m.groupKind}`)})</span>
                    </td>
                    <td className="k-num">{schoolYearLabel(m.schoolYear)}</td>
                    <td>{period(m.validFrom, m.validTo)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Section>

        {(p.duties.length > 0 || p.roles.includes('staff')) && (
          <Section title={t('person.section.duties')} id="sec-duties">
            {p.duties.length === 0 ? (
              <Empty>{t('person.noDuties')}</Empty>
            ) : (
              <table className="k-table">
                <thead>
                  <tr>
                    <th scope="col">{t('field.unit')}</th>
                    <th scope="col">{t('field.dutyRole')}</th>
                    <th scope="col">{t('field.percent')}</th>
                    <th scope="col">{t('field.period')}</th>
                  </tr>
                </thead>
                <tbody>
                  {p.duties.map((du) => (
                    <tr key={du.id}>
                      <td>
                        <Link to={{ name: 'unit', id: du.unitId }}>{du.unitName}</Link>
                      </td>
                      <td>{t(`dutyRole.${du.role}`)}</td>
                      <td className="k-num">{formatPercent(du.percent, lang)}</td>
                      <td>{period(du.validFrom, du.validTo)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Section>
        )}

        {/* Documents held about the person (issue 13); a sync that changes the card asks again (the same revision as the fee). */}
        <DocumentsSection person={p} revision={feeRevision} onChanged={onCardChanged} />

        <Section title={t('person.section.nameHistory')} id="sec-namehistory">
          {p.nameHistory.length === 0 ? (
            <Empty>{t('person.noNameHistory')}</Empty>
          ) : (
            <table className="k-table">
              <thead>
                <tr>
                  <th scope="col">{t('field.name')}</th>
                  <th scope="col">{t('field.preferredName')}</th>
                  <th scope="col">{t('field.period')}</th>
                </tr>
              </thead>
              <tbody>
                {p.nameHistory.map((n, i) => (
                  <tr key={`${n.validFrom}-${i}`}>
                    <td>{fullName(n)}</td>
                    <td>{n.preferredName}</td>
                    <td>{period(n.validFrom, n.validTo)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Section>

        <HistorySection p={p} />
      </SimpleGrid>
    </div>
  );
}

/** Printed instead of revealed protected details: what was revealed on screen stays off paper. */
function RevealedOmitted({ show }: { show: boolean }) {
  const { t } = useT();
  if (!show) return null;
  return <p className="k-print-only k-empty">{t('card.print.revealedOmitted')}</p>;
}

/** Given names with the preferred one (tilltalsnamn) underlined, the way registers mark it. */
function GivenNames({ given, preferred }: { given: string; preferred: string | null }) {
  const { t } = useT();
  if (!preferred) return <>{given}</>;
  const parts = given.split(/(\s+|-)/);
  let marked = false;
  return (
    <>
      {parts.map((part, i) => {
        if (!marked && part === preferred) {
          marked = true;
          return (
            <span key={i} className="k-preferred" title={t('field.preferredName')}>
              {part}
            </span>
          );
        }
        return <span key={i}>{part}</span>;
      })}
      {marked && <span className="k-search-label"> ({t('person.preferredMarked', { name: preferred })})</span>}
    </>
  );
}

function Relatives({ list, empty }: { list: PersonCard['guardians']; empty: TKey }) {
  const { t, lang } = useT();
  if (list.length === 0) return <Empty>{t(empty)}</Empty>;
  return (
    <table className="k-table">
      <thead>
        <tr>
          <th scope="col">{t('field.name')}</th>
          <th scope="col">{t('field.relation')}</th>
          <th scope="col">{t('field.validFrom')}</th>
        </tr>
      </thead>
      <tbody>
        {list.map((r) => (
          <tr key={`${r.personId}-${r.kind}-${r.validFrom}`}>
            <td>
              <Link to={{ name: 'person', id: r.personId }}>{r.name}</Link> {r.protected && <ProtectedTag />}
            </td>
            <td>{t(`guardianship.${r.kind}`)}</td>
            <td className="k-num">
              {formatDate(r.validFrom, lang)}
              {r.validTo ? ` – ${formatDate(r.validTo, lang)}` : ''}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
