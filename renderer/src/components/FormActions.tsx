/**
 * The action bar every form ends with: Save, Cancel, the keyboard hint, and the unsaved-changes marker
 * (or, when nothing changed, whatever the form puts in `idle`). Together with DiscardModal it keeps the
 * person and unit forms behaving the same way.
 */
import { Button, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useT } from '../lib/i18n';
import { MOD } from '../lib/platform';

export function FormActions(props: { saving: boolean; dirty: boolean; onCancel: () => void; idle?: ReactNode }) {
  const { t } = useT();
  return (
    <div className="k-form-actions">
      <Button type="submit" loading={props.saving} aria-keyshortcuts="Control+S" data-testid="save">
        {t('common.save')}
      </Button>
      <Button variant="default" onClick={props.onCancel} aria-keyshortcuts="Escape" data-testid="cancel">
        {t('common.cancel')}
      </Button>
      <Text size="sm" c="dimmed" ml="sm">
        {t('personForm.keysHint', { mod: MOD })}
      </Text>
      {props.dirty ? (
        <Text size="sm" ml="auto" fw={600} c="#6d4d00" data-testid="unsaved">
          {t('common.unsaved')}
        </Text>
      ) : (
        props.idle
      )}
    </div>
  );
}
