// The initiative form of the registration and edit pages: every field of the record
// (docs/node-api.yaml InitiativeInput), labelled and grouped, read back as the API's JSON.
// Check() finds in the browser what the node would refuse (initiative-checks.js, the node's
// rules and messages); the page shows those errors, or the node's "errors", all at once
// (common/forms.js). The postcode follows the commune picked; legal forms come in the
// family's usual order, Alsace-Moselle's local-law forms last outside 57, 67 and 68; the
// "position précise" is a pin on a map (common/pin_map.js) with its coordinates in fields,
// else the record goes to the commune's point.
import { AddMessages, T } from '/common/i18n.js';
import { $, $$, h, Replace } from '/common/dom.js';
import { ByLabel, CommuneByCode, SearchCommunes } from '/common/referential.js';
import { PinMap, Round5 } from '/common/pin_map.js';
import { CheckInitiative } from '/initiative-checks.js';

AddMessages({
  'form.identity': { fr: 'L\'initiative', en: 'The initiative' },
  'form.location': { fr: 'Où la trouver', en: 'Where to find it' },
  'form.contacts': { fr: 'Contacts publics', en: 'Public contacts' },
  'form.contacts.hint': { fr: 'Affichés sur la carte.', en: 'Shown on the map.' },
  'form.private': { fr: 'Contact privé (jamais publié)', en: 'Private contact (never published)' },
  'form.private.hint': {
    fr: 'Pour les échanges avec le réseau régional et les rappels de mise à jour ; ces données restent sur le nœud régional.',
    en: 'For exchanges with the regional network and update reminders; these stay on the regional node.',
  },
  'form.offers': { fr: 'Offres de produits et services (facultatif)', en: 'Products and services offered (optional)' },
  'form.offers.hint': { fr: 'Ce que vous proposez, à quelles conditions, avec quelles garanties.', en: 'What you offer, on what terms, with what guarantees.' },
  'form.offer': { fr: 'Offre {n}', en: 'Offer {n}' },
  'form.offer.add': { fr: 'Ajouter une offre', en: 'Add an offer' },
  'form.offer.remove': { fr: 'Retirer l\'offre {n}', en: 'Remove offer {n}' },
  'form.choose': { fr: 'Choisir…', en: 'Choose…' },
  'form.family.first': { fr: 'Choisir d\'abord la famille', en: 'Choose the family first' },
  'form.activities.hint': { fr: 'De 1 à 10 activités.', en: '1 to 10 activities.' },
  'form.description.hint': { fr: 'Ce que fait l\'initiative, pour qui ; 5 000 caractères au plus.', en: 'What the initiative does, for whom; 5,000 characters at most.' },
  'form.siret.hint': { fr: '14 chiffres, si l\'initiative en a un.', en: '14 digits, if the initiative has one.' },
  'form.employer.unknown': { fr: 'Non précisé', en: 'Not stated' },
  'form.commune.hint': { fr: 'Tapez le début du nom de la commune (ou son code postal) puis choisissez-la dans la liste.', en: 'Type the start of the municipality\'s name (or its postcode), then pick it from the list.' },
  'form.coordinates.more': { fr: 'Position précise (facultatif)', en: 'Precise position (optional)' },
  'form.coordinates.hint': {
    fr: 'Cliquez sur la carte pour placer le repère de l\'initiative, puis glissez-le (ou sélectionnez-le et utilisez les flèches du clavier) ; ses coordonnées s\'inscrivent ci-dessous. Sans repère, l\'initiative est placée au point de référence de sa commune.',
    en: 'Click on the map to place the initiative\'s pin, then drag it (or select it and use the arrow keys); its coordinates appear below. Without a pin, the initiative is placed at its municipality\'s reference point.',
  },
  'form.coordinates.commune': {
    fr: 'Sans repère, l\'initiative sera placée au point de référence de {name}.',
    en: 'Without a pin, the initiative will be placed at the reference point of {name}.',
  },
  'form.coordinates.approximate': {
    fr: 'Sans repère, l\'initiative sera placée au point de {name} : une position approximative (la commune n\'a pas de point exact dans le référentiel). Placez le repère pour une position précise.',
    en: 'Without a pin, the initiative will be placed at the point of {name}: an approximate position (the municipality has no exact point in the referential). Place the pin for a precise position.',
  },
  'form.coordinates.placed': { fr: 'Position précise : le repère placé.', en: 'Precise position: the pin placed.' },
  'form.postcode.several': { fr: 'Codes postaux de {name} : {postcodes}.', en: 'Postcodes of {name}: {postcodes}.' },
  'form.legal_form.local': { fr: 'Droit local (Alsace-Moselle)', en: 'Local law (Alsace-Moselle)' },
  'form.contact_name': { fr: 'Nom du contact', en: 'Contact\'s name' },
  'form.contact_email': { fr: 'Courriel du contact', en: 'Contact\'s email' },
  'form.contact_phone': { fr: 'Téléphone du contact', en: 'Contact\'s phone' },
  'form.website.hint': { fr: 'Commence par https://', en: 'Starts with https://' },
  'form.commune.options': { fr: 'Communes proposées', en: 'Suggested municipalities' },
  'form.commune.count': { fr: '{count} commune(s) proposée(s) ; flèches haut et bas pour choisir.', en: '{count} municipality(ies) suggested; up and down arrows to choose.' },
  'form.commune.none': { fr: 'Aucune commune de la région ne commence ainsi.', en: 'No municipality of the region starts like this.' },
});

function Field(name, labelKey, control, { hint, required } = {}) {
  const id = control.id || `f-${name.replace(/[^a-z0-9_]/gi, '-')}`;
  control.id = id;
  if (!control.name) control.name = name;
  control.dataset.field = name;
  if (required) {
    control.required = true;
    control.setAttribute('aria-required', 'true');
  }
  const hintId = hint ? `${id}-hint` : null;
  if (hintId) control.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'field' },
    h('label', { for: id }, T(labelKey), required ? h('span', { class: 'hint', text: ` ${T('form.required')}` }) : null),
    control,
    hint ? h('span', { id: hintId, class: 'hint', text: T(hint) }) : null);
}

const input = (type = 'text', attrs = {}) => h('input', { type, ...attrs });

// Legal forms of Alsace-Moselle's local law, offered last outside its three departments.
const kLocalLawDepartments = new Set(['57', '67', '68']);
const IsLocalLaw = (form) => /droit_local/.test(form.code);

// Builds the form's fields into `container` for the node's `region`. The referential needs
// no communes: the commune field asks the node for its region's communes as one types.
export class InitiativeForm {
  // options: {tileUrl, tileAttribution} of the pin's map.
  constructor(container, referential, region, { tileUrl, tileAttribution } = {}) {
    this.referential = referential;
    this.region = region;
    this.picked = null;  // the commune picked (from the node's list), with its point
    this.communeByLabel = new Map();  // every commune the node suggested, by its label
    this.searches = 0;
    this.offerCount = 0;

    const families = [...referential.families.values()].sort(ByLabel);
    this.family = h('select', {}, h('option', { value: '', text: T('form.choose') }),
      families.map((f) => h('option', { value: f.code, text: f.label })));
    this.legalForm = h('select', {});
    this.family.addEventListener('change', () => this.FillLegalForms());
    this.activities = h('fieldset', { 'data-field': 'activities', 'aria-describedby': 'activities-hint' },
      h('legend', {}, T('field.activities'), h('span', { class: 'hint', text: ` ${T('form.required')}` })),
      h('p', { id: 'activities-hint', class: 'hint', text: T('form.activities.hint') }),
      h('div', { class: 'choices' }, [...referential.activities.values()].sort(ByLabel).map((a) => h('div', { class: 'checkbox' },
        h('input', { type: 'checkbox', id: `activity-${a.code}`, name: 'activities', value: a.code }),
        h('label', { for: `activity-${a.code}`, text: a.label })))));
    // A combobox (ARIA 1.2): the node suggests its region's communes as one types.
    this.commune = input('text', {
      autocomplete: 'off', role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false',
      'aria-controls': 'commune-options',
    });
    this.communeList = h('ul', { id: 'commune-options', role: 'listbox', class: 'suggestions', 'aria-label': T('form.commune.options'), hidden: true });
    this.communeStatus = h('p', { role: 'status', class: 'visually-hidden', id: 'commune-status' });
    this.suggested = [];
    this.active = -1;
    this.commune.addEventListener('change', () => this.CommuneChosen());
    this.commune.addEventListener('input', () => this.SuggestCommunes());
    this.commune.addEventListener('keydown', (e) => this.CommuneKey(e));
    this.commune.addEventListener('blur', () => setTimeout(() => this.CloseSuggestions(), 150));
    this.postcode = input('text', { inputmode: 'numeric', maxlength: '5', autocomplete: 'postal-code', list: 'postcode-options' });
    this.postcodeList = h('datalist', { id: 'postcode-options' });
    this.postcodeHint = h('span', { class: 'hint', id: 'postcode-hint' });
    this.positionNote = h('p', { class: 'hint', id: 'position-note', role: 'status' });
    this.latitude = input('text', { inputmode: 'decimal' });
    this.longitude = input('text', { inputmode: 'decimal' });
    this.pinBox = h('div', { class: 'pin-box' });
    this.offers = h('div', { class: 'offer-list' });
    const communeField = Field('commune', 'field.commune', this.commune, { required: true, hint: 'form.commune.hint' });
    communeField.classList.add('with-suggestions');
    communeField.append(this.communeList, this.communeStatus);

    Replace(container,
      h('fieldset', {},
        h('legend', { text: T('form.identity') }),
        Field('name', 'field.name', input('text', { maxlength: '200', autocomplete: 'organization' }), { required: true }),
        h('div', { class: 'grid-2' },
          Field('family', 'field.family', this.family, { required: true }),
          Field('legal_form', 'field.legal_form', this.legalForm, { required: true })),
        this.activities,
        Field('description', 'field.description', h('textarea', { maxlength: '5000' }), { hint: 'form.description.hint' }),
        h('div', { class: 'grid-2' },
          Field('siret', 'field.siret', input('text', { inputmode: 'numeric', maxlength: '17' }), { hint: 'form.siret.hint' }),
          Field('employer', 'field.employer', h('select', {},
            h('option', { value: '', text: T('form.employer.unknown') }),
            h('option', { value: 'true', text: T('yes') }), h('option', { value: 'false', text: T('no') }))))),
      h('fieldset', {},
        h('legend', { text: T('form.location') }),
        Field('address', 'field.address', input('text', { maxlength: '300', autocomplete: 'street-address' })),
        h('div', { class: 'grid-2' },
          communeField,
          (() => {
            const field = Field('postcode', 'field.postcode', this.postcode);
            this.postcode.setAttribute('aria-describedby', 'postcode-hint');
            field.append(this.postcodeHint, this.postcodeList);
            return field;
          })()),
        h('fieldset', { class: 'position', id: 'position' },
          h('legend', { text: T('form.coordinates.more') }),
          h('p', { class: 'hint', id: 'position-hint', text: T('form.coordinates.hint') }),
          this.positionNote,
          this.pinBox,
          h('div', { class: 'grid-2' },
            Field('latitude', 'field.latitude', this.latitude),
            Field('longitude', 'field.longitude', this.longitude)))),
      h('fieldset', {},
        h('legend', { text: T('form.contacts') }),
        h('p', { class: 'hint', text: T('form.contacts.hint') }),
        h('div', { class: 'grid-2' },
          Field('email', 'field.email', input('email', { maxlength: '254', autocomplete: 'email' })),
          Field('phone', 'field.phone', input('tel', { maxlength: '30', autocomplete: 'tel' }))),
        Field('website', 'field.website', input('url', { maxlength: '500', autocomplete: 'url' }), { hint: 'form.website.hint' })),
      h('fieldset', { 'data-field': 'offers' },
        h('legend', { text: T('form.offers') }),
        h('p', { class: 'hint', text: T('form.offers.hint') }),
        this.offers,
        h('button', { type: 'button', class: 'secondary', text: T('form.offer.add'), onclick: () => this.AddOffer({}, true) })),
      h('fieldset', {},
        h('legend', { text: T('form.private') }),
        h('p', { class: 'hint', text: T('form.private.hint') }),
        Field('private.contact_name', 'form.contact_name', input('text', { maxlength: '200', autocomplete: 'name' })),
        h('div', { class: 'grid-2' },
          Field('private.contact_email', 'form.contact_email', input('email', { maxlength: '254', autocomplete: 'email' })),
          Field('private.contact_phone', 'form.contact_phone', input('tel', { maxlength: '30', autocomplete: 'tel' })))));
    this.container = container;
    this.FillLegalForms();
    this.pinMap = new PinMap(this.pinBox, {
      region, tileUrl, tileAttribution,
      onChange: (at) => this.PinMoved(at),
    });
    const typed = () => this.CoordinatesTyped();
    this.latitude.addEventListener('change', typed);
    this.longitude.addEventListener('change', typed);
  }

  // The pin moved (or was removed): its coordinates in the fields.
  PinMoved(at) {
    this.latitude.value = at ? at.latitude.toFixed(5) : '';
    this.longitude.value = at ? at.longitude.toFixed(5) : '';
    this.ShowPositionNote();
  }

  // Coordinates typed in the fields move the pin there.
  CoordinatesTyped() {
    const lat = Number(this.latitude.value.replace(',', '.'));
    const lon = Number(this.longitude.value.replace(',', '.'));
    if (this.latitude.value.trim() && this.longitude.value.trim() && Number.isFinite(lat) && Number.isFinite(lon)) {
      this.pinMap.ready.then(() => { this.pinMap.MoveTo([lat, lon]); this.pinMap.map.setView([lat, lon], Math.max(this.pinMap.map.getZoom(), 13)); });
    } else if (!this.latitude.value.trim() && !this.longitude.value.trim()) {
      this.pinMap.ready.then(() => this.pinMap.Remove());
    }
    this.ShowPositionNote();
  }

  // Where the record goes: the pin, else the commune's point (approximate or not).
  ShowPositionNote() {
    const placed = this.latitude.value.trim() && this.longitude.value.trim();
    const c = this.picked;
    if (placed) this.positionNote.textContent = T('form.coordinates.placed');
    else if (c?.latitude !== undefined && c?.name) {
      this.positionNote.textContent = T(c.approximate ? 'form.coordinates.approximate' : 'form.coordinates.commune', { name: c.name });
    } else {
      this.positionNote.textContent = '';
    }
    this.positionNote.classList.toggle('warning', Boolean(!placed && c?.approximate));
  }

  // Every error the node would find, as [{field, message}].
  Check() {
    const typed = this.commune.value.trim();
    const found = typed ? this.CommuneOf(typed) : null;
    const known = found && (found.name || /^[0-9][0-9AB][0-9]{3}$/.test(found.code)) ? found : null;
    return CheckInitiative(this.Read(), { commune: known, communeTyped: typed });
  }

  CommuneLabel(c) {
    return `${c.name} (${c.code})`;
  }

  // The family's forms in the referential's order (its usual forms first); Alsace-Moselle's
  // local-law forms last, in a group of their own, unless the commune is in 57, 67 or 68.
  FillLegalForms() {
    const keep = this.legalForm.value;
    const forms = [...this.referential.legalForms.values()].filter((f) => f.family === this.family.value);
    const localLawHere = kLocalLawDepartments.has(this.picked?.department);
    const common = forms.filter((f) => localLawHere || !IsLocalLaw(f));
    const local = localLawHere ? [] : forms.filter(IsLocalLaw);
    const option = (f) => h('option', { value: f.code, text: f.label });
    Replace(this.legalForm, h('option', { value: '', text: T(forms.length ? 'form.choose' : 'form.family.first') }),
      common.map(option),
      local.length ? h('optgroup', { label: T('form.legal_form.local') }, local.map(option)) : null);
    if (forms.some((f) => f.code === keep)) this.legalForm.value = keep;
  }

  // A commune picked: its postcode (its list when it has several), its point on the map,
  // the legal forms of its department.
  CommuneChosen() {
    const commune = this.CommuneOf(this.commune.value);
    const known = commune?.name ? commune : null;
    if (known?.code === this.picked?.code) return;
    this.picked = known;
    const postcodes = known?.postcodes ?? [];
    Replace(this.postcodeList, postcodes.map((p) => h('option', { value: p })));
    if (postcodes.length === 1) {
      this.postcode.value = postcodes[0];
    } else if (postcodes.length > 1 && !postcodes.includes(this.postcode.value.trim())) {
      this.postcode.value = '';
    }
    this.postcodeHint.textContent = postcodes.length > 1
      ? T('form.postcode.several', { name: known.name, postcodes: postcodes.join(', ') }) : '';
    this.FillLegalForms();
    this.pinMap.ShowCommune(known);
    this.ShowPositionNote();
    this.container.dispatchEvent(new CustomEvent('identitychange'));
  }

  // Suggestions for what is being typed, from the node (a short pause first; an answer that
  // comes after a newer question is dropped).
  SuggestCommunes() {
    clearTimeout(this.suggestTimer);
    const text = this.commune.value.trim();
    const search = ++this.searches;
    if (!text || this.communeByLabel.has(text) || /\([0-9][0-9AB][0-9]{3}\)$/.test(text)) {
      this.CloseSuggestions();
      return;
    }
    this.suggestTimer = setTimeout(async () => {
      const found = await SearchCommunes(text, { limit: 12 }).catch(() => []);
      if (search !== this.searches) return;
      for (const c of found) this.communeByLabel.set(this.CommuneLabel(c), c);
      this.ShowSuggestions(found);
    }, 150);
  }

  ShowSuggestions(found) {
    this.suggested = found;
    this.active = -1;
    this.commune.removeAttribute('aria-activedescendant');
    Replace(this.communeList, found.map((c, i) => h('li', {
      role: 'option', id: `commune-option-${i}`, 'aria-selected': 'false', dataset: { code: c.code },
      text: c.postcodes?.length ? `${this.CommuneLabel(c)} · ${c.postcodes.slice(0, 3).join(', ')}` : this.CommuneLabel(c),
      onmousedown: (e) => { e.preventDefault(); this.PickCommune(i); },
    })));
    this.communeList.hidden = !found.length;
    this.commune.setAttribute('aria-expanded', String(found.length > 0));
    this.communeStatus.textContent = found.length ? T('form.commune.count', { count: found.length }) : T('form.commune.none');
  }

  CloseSuggestions() {
    this.communeList.hidden = true;
    this.commune.setAttribute('aria-expanded', 'false');
    this.commune.removeAttribute('aria-activedescendant');
    this.active = -1;
  }

  PickCommune(index) {
    const c = this.suggested[index];
    if (!c) return;
    this.commune.value = this.CommuneLabel(c);
    this.CloseSuggestions();
    this.CommuneChosen();
  }

  // Up and down move through the suggestions, Enter picks one, Escape closes them.
  CommuneKey(e) {
    const open = !this.communeList.hidden;
    if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && open) {
      e.preventDefault();
      const n = this.suggested.length;
      this.active = e.key === 'ArrowDown' ? (this.active + 1) % n : (this.active - 1 + n) % n;
      [...this.communeList.children].forEach((li, i) => li.setAttribute('aria-selected', String(i === this.active)));
      this.commune.setAttribute('aria-activedescendant', `commune-option-${this.active}`);
    } else if (e.key === 'Enter' && open && this.active >= 0) {
      e.preventDefault();
      this.PickCommune(this.active);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      this.CloseSuggestions();
    }
  }

  // The commune for what was typed: "Name (code)", a bare INSEE code, or a name that only one
  // of the suggested communes bears.
  CommuneOf(text) {
    const value = text.trim();
    if (this.communeByLabel.has(value)) return this.communeByLabel.get(value);
    const code = /\(?([0-9][0-9AB][0-9]{3})\)?$/.exec(value)?.[1];
    if (code) return [...this.communeByLabel.values()].find((c) => c.code === code) ?? { code };
    const named = [...this.communeByLabel.values()]
      .filter((c) => c.name.localeCompare(value, 'fr', { sensitivity: 'base' }) === 0);
    return named.length === 1 ? named[0] : null;
  }

  AddOffer(offer = {}, focus = false) {
    const n = ++this.offerCount;
    const index = this.offers.children.length;
    const group = h('fieldset', { class: 'offer' },
      h('legend', { text: T('form.offer', { n: index + 1 }) }),
      ['title', 'description', 'conditions', 'lead_time', 'guarantees'].map((key) => {
        const long = key === 'description' || key === 'conditions' || key === 'guarantees';
        const control = long ? h('textarea', { maxlength: '2000' }) : input('text', { maxlength: '200' });
        control.id = `offer-${n}-${key}`;
        control.value = offer[key] ?? '';
        control.dataset.key = key;
        return Field(`offers[${index}].${key}`, `offer.${key}`, control, { required: key === 'title' });
      }),
      h('button', { type: 'button', class: 'secondary', text: T('form.offer.remove', { n: index + 1 }),
        onclick: () => { group.remove(); this.RenumberOffers(); } }));
    this.offers.append(group);
    if (focus) group.querySelector('input').focus();
  }

  // Offer fields are named by position, as the API names them in its errors.
  RenumberOffers() {
    [...this.offers.children].forEach((group, index) => {
      group.querySelector('legend').textContent = T('form.offer', { n: index + 1 });
      group.querySelector(':scope > button').textContent = T('form.offer.remove', { n: index + 1 });
      for (const control of group.querySelectorAll('[data-key]')) {
        control.dataset.field = `offers[${index}].${control.dataset.key}`;
        control.name = control.dataset.field;
      }
    });
  }

  Value(name) {
    const control = this.container.querySelector(`[data-field="${CSS.escape(name)}"]`);
    return control ? control.value.trim() : '';
  }

  // The JSON the API takes; empty fields are left out.
  Read() {
    const out = {};
    const put = (key, value) => { if (value !== '' && value !== undefined && value !== null) out[key] = value; };
    for (const key of ['name', 'family', 'legal_form', 'description', 'address', 'postcode', 'email', 'phone', 'website']) {
      put(key, this.Value(key));
    }
    put('siret', this.Value('siret').replace(/\s+/g, ''));
    out.activities = $$('input[name="activities"]:checked', this.container).map((i) => i.value);
    const typed = this.commune.value.trim();
    if (typed) out.commune = this.CommuneOf(typed)?.code ?? typed;
    const number = (v) => (v === '' ? '' : Number(v.replace(',', '.')));
    put('latitude', number(this.Value('latitude')));
    put('longitude', number(this.Value('longitude')));
    const employer = this.Value('employer');
    if (employer) out.employer = employer === 'true';
    out.offers = [...this.offers.children].map((group) => {
      const offer = {};
      for (const control of group.querySelectorAll('[data-key]')) {
        if (control.value.trim()) offer[control.dataset.key] = control.value.trim();
      }
      return offer;
    });
    const priv = {};
    for (const key of ['contact_name', 'contact_email', 'contact_phone']) {
      const v = this.Value(`private.${key}`);
      if (v) priv[key] = v;
    }
    if (Object.keys(priv).length) out.private = priv;
    return out;
  }

  // Fills the fields from an initiative (the owner's full view).
  Fill(item) {
    const set = (name, value) => {
      const control = this.container.querySelector(`[data-field="${CSS.escape(name)}"]`);
      if (control && value !== undefined && value !== null) control.value = String(value);
    };
    for (const key of ['name', 'description', 'address', 'postcode', 'email', 'phone', 'website', 'siret']) set(key, item[key]);
    set('family', item.family);
    this.FillLegalForms();
    set('legal_form', item.legal_form);
    for (const box of $$('input[name="activities"]', this.container)) box.checked = (item.activities ?? []).includes(box.value);
    if (item.commune && item.commune_name) {
      const commune = { code: item.commune, name: item.commune_name };
      this.communeByLabel.set(this.CommuneLabel(commune), commune);
      this.commune.value = this.CommuneLabel(commune);
      // Its postcodes and point, for the postcode list and the map.
      CommuneByCode(item.commune).then((full) => {
        if (!full || this.CommuneOf(this.commune.value)?.code !== full.code) return;
        this.communeByLabel.set(this.CommuneLabel(full), full);
        const postcode = this.postcode.value;
        this.picked = null;
        this.CommuneChosen();
        if (full.postcodes?.includes(postcode)) this.postcode.value = postcode;
      });
    } else {
      this.commune.value = item.commune ?? '';
    }
    // A pin where the record was placed; none when it sits at its commune's point.
    const placed = (item.location_precision ?? 'placed') === 'placed';
    if (placed && Number.isFinite(item.latitude) && Number.isFinite(item.longitude)) {
      set('latitude', Round5(item.latitude).toFixed(5));
      set('longitude', Round5(item.longitude).toFixed(5));
      this.CoordinatesTyped();
    }
    set('employer', item.employer === undefined || item.employer === null ? '' : String(item.employer));
    Replace(this.offers);
    for (const offer of item.offers ?? []) this.AddOffer(offer);
    for (const key of ['contact_name', 'contact_email', 'contact_phone']) set(`private.${key}`, item.private?.[key]);
  }
}
