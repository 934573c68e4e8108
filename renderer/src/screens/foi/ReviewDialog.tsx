/**
 * The review's dialogs: one item reviewed (its fields read-only; the outcome as disclose / mask / withhold;
 * the ground from the table in force; for a mask, single fields each with an optional ground of its own; a
 * reasoning; Norway's merinnsyn assessment where the ground may be waived; the reason for disclosing a
 * protected person's whereabouts, which is logged), the same item only to read outside gathering and review,
 * and "take the proposals" asked first (the focus on Cancel). Ctrl+S saves, Esc cancels, the focus goes back
 * to the row (or the button).
 */
import { Alert, Button, Checkbox, Group, NativeSelect, Radio, Stack, Text, Textarea } from '@mantine/core';
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { MethodOutput } from '../../../../shared/api/contract';
import { REVEAL_REASON_MIN } from '../../../../shared/domain/access';
import { FOI_LIMITS, FOI_MERINNSYN, FOI_OUTCOMES, type FoiGround, type FoiMerinnsyn, type FoiOutcome } from '../../../../shared/domain/foi';
import { Dialog } from '../../components/Dialog';
import { ProtectedTag } from '../../components/Tags';
import { FormDialog, useForm } from '../../kit';
import { useApi } from '../../lib/api';
import { currencyOf, formatDateTime } from '../../lib/format';
import { useT } from '../../lib/i18n';
import { useSession } from '../../lib/session';
import { mapFoiError, personText } from './logic';
import { Outcome } from './common';
import { modPressed } from '../../lib/platform';
import { draftsOf, type RegionDraft } from './regions';
import { RegionEditor, RegionsList, RegionsSection, type RegionErrors } from './Regions';
import {
  acceptAll,
  fieldGroundName,
  fieldLabel,
  fieldValueText,
  groundOptions,
  groundsInForce,
  mapReviewError,
  needsMerinnsyn,
  needsReveal,
  regionGroundName,
  regionName,
  reviewValuesOf,
  toReviewInput,
  validateReview,
  type Item,
  type ReviewValues,
} from './review';

interface ItemDialogProps {
  item: Item;
  grounds: readonly FoiGround[];
  /** The request is gathering or in review and the officer may review: the form; else the item to read. */
  editable: boolean;
  onClose: () => void;
  onSaved: () => void;
  /** Someone changed the item meanwhile: the list is read again. */
  onStale: () => void;
}

export function ItemDialog(props: ItemDialogProps) {
  return props.editable && !props.item.gone ? <ReviewDialog {...props} /> : <ReadDialog {...props} />;
}

/** Who the item is about, its proposal and review, what changed, and its fields with their values (read-only, in a grid). */
function ItemFacts({ item, grounds }: { item: Item; grounds: readonly FoiGround[] }) {
  const { t, lang } = useT();
  const session = useSession();
  const ctx = { t, lang, currency: currencyOf(session.country) };
  return (
    <Stack gap="sm">
      <dl className="k-facts">
        <div>
          <dt>{t('foi.reviewDialog.person')}</dt>
          <dd data-testid="foi-review-person">
            <span className={item.person.name === null ? 'k-foi-withheld' : undefined}>{personText(item.person, t)}</span>
            {item.person.protected && (
              <>
                {' '}
                <ProtectedTag />
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>{t('foi.reviewDialog.proposal')}</dt>
          <dd>
            <Outcome outcome={item.proposal.outcome} ground={item.proposal.ground} grounds={grounds} testId="foi-review-proposal" />
          </dd>
        </div>
        {item.review && (
          <div>
            <dt>{t('foi.reviewDialog.review')}</dt>
            <dd>
              <Outcome outcome={item.review.outcome} ground={item.review.ground} grounds={grounds} />
              {item.review.reviewedByName && (
                <span className="k-sub" style={{ display: 'block', fontWeight: 400 }}>
                  {t('foi.reviewDialog.reviewedBy', { name: item.review.reviewedByName, at: formatDateTime(item.review.reviewedAt, lang) })}
                </span>
              )}
            </dd>
          </div>
        )}
      </dl>
      {item.gone && (
        <Alert color="gray" variant="light" data-testid="foi-review-gone">
          {t('foi.reviewDialog.gone')}
        </Alert>
      )}
      {!item.gone && item.changed && (
        <Alert color="orange" variant="light" data-testid="foi-review-changed" styles={{ message: { color: '#3d2400' } }}>
          {t('foi.reviewDialog.changed')}
        </Alert>
      )}
      {!item.gone && item.review?.stale && (
        <Alert color="orange" variant="light" data-testid="foi-review-stale" styles={{ message: { color: '#3d2400' } }}>
          {t('foi.reviewDialog.stale')}
        </Alert>
      )}
      <div className="k-foi-fields" data-testid="foi-review-fields">
        <Text fw={600} size="sm" mb={6} id="foi-review-fields-title">
          {t('foi.reviewDialog.fields')}
        </Text>
        <dl className="k-facts" aria-labelledby="foi-review-fields-title">
          {item.fields.map((f) => {
            const text = fieldValueText(item, f, ctx);
            return (
              <div key={f.name} data-field={f.name} data-withheld={f.withheld ? 'true' : undefined}>
                <dt>{fieldLabel(item.entity, f.name, t)}</dt>
                <dd className={f.withheld ? 'k-foi-withheld' : undefined}>{text || <span aria-label={t('common.notStated')}>—</span>}</dd>
              </div>
            );
          })}
        </dl>
      </div>
    </Stack>
  );
}

function ReadDialog({ item, grounds, onClose }: ItemDialogProps) {
  const { t } = useT();
  const session = useSession();
  const inForce = useMemo(() => groundsInForce(grounds, session.country, session.today), [grounds, session.country, session.today]);
  // The review's regions (a document masked by regions), to read, and to see over the pages.
  const regions = useMemo(() => draftsOf(item.review?.outcome === 'mask' ? item.review.regions : []), [item.review]);
  const [showing, setShowing] = useState(false);
  const showRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog opened onClose={onClose} title={t('foi.reviewDialog.readTitle', { category: t(`foi.category.${item.category}`) })} size="42rem" testId="foi-item-dialog">
      <Stack gap="sm">
        {!item.gone && <Text size="sm">{t('foi.reviewDialog.readOnly')}</Text>}
        <ItemFacts item={item} grounds={grounds} />
        {regions.length > 0 && <RegionsList regions={regions} itemGround={item.review?.ground ?? null} grounds={grounds} onShow={item.gone ? null : () => setShowing(true)} showRef={showRef} />}
        {showing && <RegionEditor item={item} grounds={grounds} inForce={inForce} itemGround={item.review?.ground ?? ''} regions={regions} readOnly onClose={() => setShowing(false)} fallbackFocus={showRef} />}
        <Group>
          <Button onClick={onClose} data-autofocus data-testid="foi-item-close">
            {t('common.close')}
          </Button>
        </Group>
      </Stack>
    </Dialog>
  );
}

function ReviewDialog({ item, grounds, onClose, onSaved, onStale }: ItemDialogProps) {
  const { t, lang } = useT();
  const api = useApi();
  const session = useSession();
  const country = session.country;
  const inForce = useMemo(() => groundsInForce(grounds, country, session.today), [grounds, country, session.today]);
  const f = useForm<ReviewValues>(reviewValuesOf(item), {
    validate: (v) => validateReview(item, v, country, grounds),
    mapError: (e, v) => mapReviewError(e, item, v.outcome === 'mask' ? v.regions.length : 0),
  });
  const v = f.v;
  // A ground the item names that is no longer in force stays chosen (the core then names it), never silently dropped.
  const groundData = (chosen: string, empty: string) => groundOptions(inForce, grounds, chosen, empty, lang);
  const masking = v.outcome === 'mask';
  const isDocument = item.category === 'document';
  const anyRegion = masking && isDocument && v.regions.length > 0;
  const anyField = (masking && Object.values(v.fields).some((x) => x.on)) || anyRegion;
  // The region editor, over this dialog; the regions it hands back are the form's (saved with the review).
  const [editing, setEditing] = useState(false);
  const openRef = useRef<HTMLButtonElement>(null);
  const setRegions = (next: RegionDraft[]) => {
    const paths = Array.from({ length: Math.max(next.length, v.regions.length) }, (_, n) => [regionName(n), regionGroundName(n)]).flat();
    f.set('regions', next);
    // The messages on regions are by position: a region removed or redrawn leaves none behind on another.
    f.dropServerErrors('regions', ...paths);
  };
  const regionErrors = (): Record<string, RegionErrors> => {
    const out: Record<string, RegionErrors> = {};
    v.regions.forEach((r, n) => {
      const row = f.errors[regionName(n)];
      const ground = f.errors[regionGroundName(n)];
      if (row || ground) out[r.id] = { row, ground };
    });
    return out;
  };
  // Alt+R: the region editor (a document being masked).
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!e.altKey || modPressed(e) || e.shiftKey || e.code !== 'KeyR' || !masking || !isDocument) return;
    e.preventDefault();
    setEditing(true);
  };
  const merinnsyn = needsMerinnsyn(v, country, grounds);
  const reveal = needsReveal(item, v);
  const setField = (name: string, patch: Partial<ReviewValues['fields'][string]>) => {
    f.set('fields', { ...v.fields, [name]: { ...v.fields[name]!, ...patch } });
    if (patch.on === false) f.dropServerErrors(fieldGroundName(name));
  };
  const save = async () => {
    const r = await f.submit(() => api.tryCall('foi.review', toReviewInput(item, f.v, country, grounds)), {
      onError: (e) => {
        if (e.code !== 'conflict') return false;
        onStale();
        return true;
      },
    });
    if (r) onSaved();
  };
  return (
    <>
      <FormDialog
        form={f}
        title={t('foi.reviewDialog.title', { category: t(`foi.category.${item.category}`) })}
        testId="foi-review-dialog"
        onSubmit={() => void save()}
        onClose={onClose}
        submitLabel={t('foi.reviewDialog.submit')}
        submitTestId="foi-review-submit"
        returnFocusId="sec-foi-review-title"
        size="48rem"
      >
        <Stack gap="sm" onKeyDown={onKeyDown}>
          {item.guarded && (
            <div className="k-protected-block" role="note" data-testid="foi-review-guarded">
              <ProtectedTag />
              <span>{t('foi.reviewDialog.guarded')}</span>
            </div>
          )}
          <ItemFacts item={item} grounds={grounds} />

          <Radio.Group label={t('foi.reviewDialog.outcome')} value={v.outcome} onChange={(x) => f.set('outcome', x as FoiOutcome)} required {...f.field('outcome')}>
            <Group gap="lg" mt={6} align="flex-start">
              {FOI_OUTCOMES.map((o) => (
                <Radio
                  key={o}
                  value={o}
                  label={t(`foi.outcome.${o}`)}
                  description={t(`foi.outcomeHint.${o}`)}
                  data-autofocus={o === v.outcome || undefined}
                  aria-invalid={f.err('outcome') ? true : undefined}
                  data-testid={`foi-review-outcome-${o}`}
                  maw={220}
                />
              ))}
            </Group>
          </Radio.Group>

          {v.outcome !== 'disclose' && (
            <NativeSelect
              label={t('foi.reviewDialog.ground')}
              description={t(isDocument && masking ? 'foi.regions.groundHint' : anyField ? 'foi.reviewDialog.groundHintFields' : 'foi.reviewDialog.groundHint')}
              value={v.ground}
              onChange={(e) => f.set('ground', e.currentTarget.value)}
              data={groundData(v.ground, t('foi.reviewDialog.groundNone'))}
              required={!anyField}
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              {...f.field('ground')}
              data-testid="foi-review-ground"
            />
          )}

          {masking && isDocument && <RegionsSection form={f} grounds={grounds} inForce={inForce} onOpen={() => setEditing(true)} openRef={openRef} onChange={setRegions} />}

          {masking && (
            <fieldset className="k-fieldset k-foi-maskfields" data-testid="foi-review-maskfields">
              <legend>{t('foi.reviewDialog.maskFields')}</legend>
              <Text size="xs" c="dimmed" mb={6}>
                {t('foi.reviewDialog.maskFieldsHint')}
              </Text>
              <div className="k-foi-maskfield-list">
                {item.fields.map((fl) => {
                  const label = fieldLabel(item.entity, fl.name, t);
                  const own = v.fields[fl.name] ?? { on: false, ground: '' };
                  return (
                    <div key={fl.name} className="k-foi-maskfield" data-field={fl.name}>
                      <Checkbox
                        label={label}
                        checked={own.on}
                        onChange={(e) => setField(fl.name, { on: e.currentTarget.checked })}
                        name={`fields.${fl.name}.on`}
                        data-testid={`foi-mask-field-${fl.name}`}
                      />
                      {own.on && (
                        <NativeSelect
                          label={t('foi.reviewDialog.fieldGround', { field: label })}
                          size="xs"
                          value={own.ground}
                          onChange={(e) => setField(fl.name, { ground: e.currentTarget.value })}
                          data={groundData(own.ground, t('foi.reviewDialog.fieldGroundItem'))}
                          {...f.field(fieldGroundName(fl.name))}
                          data-testid={`foi-mask-ground-${fl.name}`}
                        />
                      )}
                    </div>
                  );
                })}
              </div>
            </fieldset>
          )}

          {merinnsyn && (
            <Radio.Group
              label={t('foi.reviewDialog.merinnsyn')}
              description={t('foi.reviewDialog.merinnsynHint')}
              value={v.merinnsyn}
              onChange={(x) => f.set('merinnsyn', x as FoiMerinnsyn)}
              required
              {...f.field('merinnsyn')}
              data-testid="foi-review-merinnsyn"
            >
              <Stack gap={6} mt={6}>
                {[...FOI_MERINNSYN].reverse().map((m) => (
                  // Each choice says the group is in error: the form's first error (here, the first choice) takes the focus.
                  <Radio key={m} value={m} label={t(`foi.merinnsyn.${m}`)} aria-invalid={f.err('merinnsyn') ? true : undefined} data-testid={`foi-review-merinnsyn-${m}`} />
                ))}
              </Stack>
            </Radio.Group>
          )}

          {reveal && (
            <Textarea
              label={t('foi.reviewDialog.revealReason')}
              description={t('foi.reviewDialog.revealReasonHint', { min: REVEAL_REASON_MIN })}
              value={v.revealReason}
              onChange={(e) => f.set('revealReason', e.currentTarget.value)}
              required
              autosize
              minRows={2}
              maxRows={5}
              maxLength={500}
              inputWrapperOrder={['label', 'input', 'description', 'error']}
              {...f.field('revealReason')}
              data-testid="foi-review-reveal-reason"
            />
          )}

          <Textarea
            label={t('foi.reviewDialog.reason')}
            description={t('foi.reviewDialog.reasonHint')}
            value={v.reason}
            onChange={(e) => f.set('reason', e.currentTarget.value)}
            autosize
            minRows={2}
            maxRows={6}
            maxLength={FOI_LIMITS.reason}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            {...f.field('reason')}
            data-testid="foi-review-reason"
          />
        </Stack>
      </FormDialog>
      {editing && (
        <RegionEditor
          item={item}
          grounds={grounds}
          inForce={inForce}
          itemGround={v.ground}
          regions={v.regions}
          errors={regionErrors()}
          onDone={(next) => {
            setRegions(next);
            setEditing(false);
          }}
          onClose={() => setEditing(false)}
          fallbackFocus={openRef}
        />
      )}
    </>
  );
}

/** "Take the proposals" for the whole list, asked first: the count of items not reviewed, what is skipped; Cancel has the focus. */
export function AcceptDialog({ requestId, count, onClose, onDone }: { requestId: string; count: number; onClose: () => void; onDone: (r: MethodOutput<'foi.reviewAccept'>) => void }) {
  const { t } = useT();
  const api = useApi();
  const f = useForm({}, { mapError: (e) => mapFoiError(e, []) });
  const submit = async () => {
    const r = await f.submit(() => acceptAll(api, requestId));
    if (r) onDone(r);
  };
  return (
    <FormDialog
      form={f}
      title={t('foi.accept.title')}
      testId="foi-accept-dialog"
      onSubmit={() => void submit()}
      onClose={onClose}
      submitLabel={t('foi.accept.submit')}
      submitTestId="foi-accept-submit"
      returnFocusId="sec-foi-review-title"
      focusCancel
      centered
    >
      <Stack gap="xs" mb="sm">
        <Text data-testid="foi-accept-count" data-count={count}>
          {t('foi.accept.text', { count })}
        </Text>
        <Text size="sm" c="dimmed">
          {t('foi.accept.textSkip')}
        </Text>
      </Stack>
    </FormDialog>
  );
}
