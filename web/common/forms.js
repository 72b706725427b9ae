// Form errors as the API reports them ({code, message, field}): the message is shown next to
// the field it names (aria-invalid, aria-describedby, focus moved there), or in the form's
// alert area when no field matches.
import { h } from './dom.js';
import { AddMessages, T } from './i18n.js';

AddMessages({
  'form.error.summary': { fr: 'Le formulaire n\'a pas été accepté : {message}', en: 'The form was not accepted: {message}' },
  'form.required': { fr: '(obligatoire)', en: '(required)' },
});

function ControlFor(form, field) {
  const escaped = CSS.escape(field);
  const control = form.querySelector(`[data-field="${escaped}"]`) ?? form.querySelector(`[name="${escaped}"]`);
  // "activities[2]" is an item of the "activities" group.
  const item = /^(.*)\[\d+\]$/.exec(field);
  return control ?? (item ? ControlFor(form, item[1]) : null);
}

export function ClearErrors(form) {
  for (const el of form.querySelectorAll('.field-error')) el.remove();
  for (const el of form.querySelectorAll('[aria-invalid="true"]')) {
    el.removeAttribute('aria-invalid');
    const before = el.dataset.describedby;
    if (before) el.setAttribute('aria-describedby', before); else el.removeAttribute('aria-describedby');
  }
  const alert = form.querySelector('.form-alert');
  if (alert) alert.textContent = '';
}

// Shows `message` beside the control of `field`; false if the form has no such control.
export function ShowFieldError(form, field, message) {
  const control = field ? ControlFor(form, field) : null;
  if (!control) return false;
  const id = `error-${field.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
  const error = h('p', { class: 'field-error error', id, text: message });
  const isGroup = control.tagName === 'FIELDSET';
  if (isGroup) {
    const legend = control.querySelector('legend');
    if (legend) legend.after(error); else control.prepend(error);
  } else {
    control.after(error);
  }
  const target = isGroup ? control.querySelector('input, select, textarea') ?? control : control;
  const describedBy = control.getAttribute('aria-describedby');
  if (control.dataset.describedby === undefined) control.dataset.describedby = describedBy ?? '';
  control.setAttribute('aria-invalid', 'true');
  control.setAttribute('aria-describedby', [describedBy, id].filter(Boolean).join(' '));
  target.focus();
  return true;
}

// The API's error on the form: beside its field when there is one, and in the alert area.
export function ShowApiError(form, error) {
  ClearErrors(form);
  const shown = ShowFieldError(form, error.field, error.message);
  const alert = form.querySelector('.form-alert');
  if (alert) alert.textContent = shown ? T('form.error.summary', { message: error.message }) : error.message;
  if (!shown) alert?.focus();
}
