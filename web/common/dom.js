// Building the page without innerHTML: every text goes in as a text node, so data from the
// API (names, descriptions, reasons...) can never become markup.

// h('a', {href, class: 'x', onclick: fn, dataset: {id}}, 'text', child, [more])
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  return Fill(el, attrs, children);
}

const kSvg = 'http://www.w3.org/2000/svg';
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(kSvg, tag);
  return Fill(el, attrs, children);
}

function Fill(el, attrs, children) {
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key === 'text') {
      el.textContent = value;
    } else if (key === 'checked' || key === 'selected' || key === 'value' || key === 'disabled') {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  Append(el, children);
  return el;
}

export function Append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function Clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function Replace(el, ...children) {
  Clear(el);
  return Append(el, children);
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

// Tells tests the page has rendered its data ('true'), or waits for a sign-in ('login').
export function MarkReady(state = 'true') {
  document.body.dataset.ready = state;
}

// Announces a message politely to screen readers (and shows it) in `region`.
export function Announce(region, text, kind = 'info') {
  region.className = `notice ${kind}`;
  region.textContent = text;
}

let idCounter = 0;
export function NewId(prefix = 'id') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}
