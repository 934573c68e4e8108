/**
 * Mantine's Modal, assembled so its header is a <div>: Mantine renders a <header>, which axe counts
 * as a second banner landmark next to the app header. The close button gets a translated name.
 * `testId` marks the dialog box (role="dialog"), so tests can wait for it to be visible.
 * Esc closes only the topmost dialog (./dialogStack.ts), never the one under it.
 */
import { Modal } from '@mantine/core';
import type { ReactNode } from 'react';
import { useT } from '../lib/i18n';
import { useDialogEscape } from './dialogStack';

export function Dialog(props: { opened: boolean; onClose: () => void; title: string; children: ReactNode; size?: string; centered?: boolean; testId?: string }) {
  const { t } = useT();
  useDialogEscape(props.opened, props.onClose);
  return (
    <Modal.Root opened={props.opened} onClose={props.onClose} size={props.size} centered={props.centered} closeOnEscape={false}>
      <Modal.Overlay />
      {/* The test id sits on the visible dialog box (the root itself has no size of its own). */}
      <Modal.Content data-testid={props.testId}>
        <Modal.Header component="div">
          <Modal.Title fw={650} fz="lg">
            {props.title}
          </Modal.Title>
          <Modal.CloseButton aria-label={t('common.close')} />
        </Modal.Header>
        <Modal.Body>{props.children}</Modal.Body>
      </Modal.Content>
    </Modal.Root>
  );
}
