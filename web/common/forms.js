// Form errors, as the API reports them ({code, message, field}, plus "errors": every field
// error of a one-pass refusal, docs/node-api.yaml) or as a page's own checks find them: each
// message beside the control of its field (aria-invalid, aria-describedby), a summary at the
// top of the form (its .form-alert: a sentence for one error, else a list of links) to their fields, in the order of
// the page, and the focus on the first field in error (on the summary when no field matches).
import { h, Replace } from './dom.js';
import { AddMessages, T } from './i18n.js';

AddMessages({
  'form.error.summary': { fr: 'Le formulaire n\'a pas été accepté : {message}', en: 'The form was not accepted: {message}' },
  'form.errors.title': {
    fr: 'Le formulaire contient {count} erreurs : corrigez-les puis envoyez-le de nouveau.',
    en: 'The form has {count} errors: correct them, then send it again.',
  },
  'form.required': { fr: '(obligatoire)', en: '(required)' },
});

function ControlFor(form, field) {
  const escaped = CSS.escape(field);
  const control = form.querySelector(`[data-field="${escaped}"]`) ?? form.querySelector(`[name="${escaped}"]`);
  // "activities[2]" is an item of the "activities" group; "charter.version" belongs to "charter".
  const item = /^(.*)\[\d+\]$/.exec(field);
  const parent = /^(.*)\.[^.[\]]+$/.exec(field);
  return control ?? (item ? ControlFor(form, item[1]) : parent ? ControlFor(form, parent[1]) : null);
}

export function ClearErrors(form) {
  for (const el of form.querySelectorAll('.field-error')) el.remove();
  for (const el of form.querySelectorAll('[aria-invalid="true"]')) {
    el.removeAttribute('aria-invalid');
    const before = el.dataset.describedby;
    if (before) el.setAttribute('aria-describedby', before); else el.removeAttribute('aria-describedby');
    delete el.dataset.describedby;
  }
  const alert = form.querySelector('.form-alert');
  if (alert) Replace(alert);
}

let errorCount = 0;

// Shows `message` beside the control of `field`. Returns the element that takes the focus
// for that field (the control, or a group's first input), or null if the form has no such
// control. `focus`: move the focus there.
export function ShowFieldError(form, field, message, { focus = true } = {}) {
  const control = field ? ControlFor(form, field) : null;
  if (!control) return null;
  // "error-siret"; a second message for the same field gets a number of its own.
  let id = `error-${field.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
  if (document.getElementById(id)) id = `${id}-${++errorCount}`;
  const error = h('p', { class: 'field-error error', id, text: message });
  const isGroup = control.tagName === 'FIELDSET';
  if (isGroup) {
    const legend = control.querySelector('legend');
    if (legend) legend.after(error); else control.prepend(error);
  } else {
    // After the control's own hint, if it has one, so that both read in order.
    const anchor = control.closest('.checkbox') ?? control;
    anchor.after(error);
  }
  const target = isGroup ? control.querySelector('input, select, textarea') ?? control : control;
  const describedBy = control.getAttribute('aria-describedby');
  if (control.dataset.describedby === undefined) control.dataset.describedby = describedBy ?? '';
  control.setAttribute('aria-invalid', 'true');
  control.setAttribute('aria-describedby', [describedBy, id].filter(Boolean).join(' '));
  if (focus) target.focus();
  return target;
}

// Every error of `errors` ([{field, message}]) at once: beside its field and in the summary,
// in the order of the page; the focus on the first field in error.
export function ShowErrors(form, errors) {
  ClearErrors(form);
  const shown = errors.map((e) => ({ ...e, target: ShowFieldError(form, e.field, e.message, { focus: false }) }));
  shown.sort((a, b) => {
    const ta = a.target;
    const tb = b.target;
    if (!ta || !tb) return (ta ? 0 : 1) - (tb ? 0 : 1);
    if (ta === tb) return 0;
    return ta.compareDocumentPosition(tb) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
  });
  const alert = form.querySelector('.form-alert');
  const first = shown.find((e) => e.target)?.target;
  if (alert) {
    if (shown.length === 1) {
      // One error: a sentence (the alert area of some pages is a paragraph).
      alert.textContent = first ? T('form.error.summary', { message: shown[0].message }) : shown[0].message;
    } else {
      const items = shown.map((e) => {
        if (!e.target) return h('li', { text: e.message });
        if (!e.target.id) e.target.id = `control-${++errorCount}`;
        return h('li', {}, h('a', {
          href: `#${e.target.id}`, text: e.message,
          onclick: (event) => { event.preventDefault(); e.target.focus(); e.target.scrollIntoView?.({ block: 'center' }); },
        }));
      });
      Replace(alert,
        h('span', { class: 'form-alert-title', text: T('form.errors.title', { count: shown.length }) }),
        h('ul', { class: 'form-alert-list' }, items));
    }
  }
  if (first) first.focus();
  else alert?.focus();
}

// The API's refusal on the form: every field error it lists, or its one error.
export function ShowApiError(form, error) {
  const list = error?.body?.errors;
  if (Array.isArray(list) && list.length) {
    ShowErrors(form, list);
  } else {
    ShowErrors(form, [{ field: error?.field, message: error?.message ?? String(error) }]);
  }
}
