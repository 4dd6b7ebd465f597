import type { types, ViewStateValue } from '@slack/bolt';
import type { FormSpec } from '../../src/conversation/chat-surface.port.js';

/** A form as a modal for `views.open`: its intro, one multi-line input (block and action id: the field id), its meta. */
export function renderFormModal(form: FormSpec): types.ModalView {
  const { field } = form;
  return {
    type: 'modal',
    callback_id: form.id,
    private_metadata: JSON.stringify(form.meta),
    title: { type: 'plain_text', text: form.title },
    submit: { type: 'plain_text', text: form.submitLabel },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      { type: 'context', elements: [{ type: 'plain_text', text: form.intro }] },
      {
        type: 'input',
        block_id: field.id,
        label: { type: 'plain_text', text: field.label },
        element: {
          type: 'plain_text_input',
          action_id: field.id,
          multiline: true,
          max_length: field.maxLength,
          placeholder: { type: 'plain_text', text: field.placeholder },
        },
      },
    ],
  };
}

/** The submitted values by block id (each input block's first value). */
export function readFormFields(values: Record<string, Record<string, ViewStateValue>>): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [blockId, actions] of Object.entries(values)) {
    const value = Object.values(actions)[0]?.value;
    if (typeof value === 'string') fields[blockId] = value;
  }
  return fields;
}

/** The form's meta as written by {@link renderFormModal}; null when it is not an object of strings. */
export function readFormMeta(raw: string | undefined): Record<string, string> | null {
  try {
    const meta = JSON.parse(raw ?? '') as unknown;
    if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return null;
    const entries = Object.entries(meta).filter((e): e is [string, string] => typeof e[1] === 'string');
    return Object.fromEntries(entries);
  } catch {
    return null;
  }
}
