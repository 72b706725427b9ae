// What the node would refuse in an initiative, checked in the browser before sending, so
// that the registrant sees every error at once without a round trip. The node stays the
// judge (node/domain/initiative_validation.cpp, core/field_rules.cpp): these are the same
// rules with the same French messages, naming the fields as the form labels them.

export function IsValidSiret(siret) {
  if (!/^[0-9]{14}$/.test(siret)) return false;
  const digits = [...siret].map(Number);
  // La Poste's establishments share one SIREN and sum to a multiple of 5 instead of Luhn.
  if (siret.startsWith('356000000') && digits.reduce((a, b) => a + b, 0) % 5 === 0) return true;
  const sum = digits.reduce((total, d, i) => {
    if (i % 2 === 1) return total + d;
    const twice = d * 2;
    return total + (twice > 9 ? twice - 9 : twice);
  }, 0);
  return sum % 10 === 0;
}

export function IsValidEmail(email) {
  if (email.length > 254) return false;
  const at = email.lastIndexOf('@');
  if (at <= 0 || at > 64) return false;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false;
  if (!/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/.test(local)) return false;
  const labels = domain.split('.');
  return labels.length >= 2 && labels.every((l) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l));
}

export function IsValidUrl(url) {
  if (url.length > 500 || !/^https?:\/\/[^/?#\s]+/.test(url)) return false;
  return !/[\x00-\x20\x7f"<>\\`]/.test(url);
}

export function IsValidPhone(phone) {
  if (phone.length > 30 || !/^\+?[0-9 .\-()]*$/.test(phone)) return false;
  const digits = phone.replace(/[^0-9]/g, '').length;
  return digits >= 6 && digits <= 15;
}

const Required = (label) => `Le champ « ${label} » est obligatoire.`;
const Length = (text) => [...text].length;

// The errors of `values` (the form's reading: InitiativeForm.Read(), with `commune` the
// commune object picked, if any, and `communeTyped` what was typed) as [{field, message}], in
// the form's order.
export function CheckInitiative(values, { commune, communeTyped }) {
  const errors = [];
  const add = (field, message) => errors.push({ field, message });
  const name = values.name ?? '';
  if (!name) add('name', Required('Nom'));
  else if (Length(name) < 2) add('name', 'Le champ « Nom » doit compter au moins 2 caractères.');
  if (!values.family) add('family', Required('Famille de l\'ESS'));
  if (!values.legal_form) add('legal_form', Required('Forme juridique'));
  const activities = values.activities ?? [];
  if (!activities.length) add('activities', 'Le champ « Activités » est obligatoire : cochez au moins une activité.');
  else if (activities.length > 10) add('activities', 'Activités : cochez de 1 à 10 activités.');
  if (values.siret && !IsValidSiret(values.siret)) {
    add('siret', 'Le champ « SIRET » n\'est pas un numéro valide (14 chiffres, clé de contrôle).');
  }
  if (!communeTyped) {
    add('commune', Required('Commune'));
  } else if (!commune) {
    add('commune', `Commune : « ${communeTyped} » n'est pas une commune connue ; tapez le début de son nom puis choisissez-la dans la liste proposée.`);
  }
  if (values.postcode) {
    if (!/^[0-9]{5}$/.test(values.postcode)) {
      add('postcode', 'Le champ « Code postal » doit compter 5 chiffres.');
    } else if (commune?.name && commune.postcodes?.length && !commune.postcodes.includes(values.postcode)) {
      add('postcode', `Le code postal ${values.postcode} n'est pas celui de ${commune.name}.`);
    }
  }
  const number = (key, label) => {
    const v = values[key];
    if (v !== undefined && !Number.isFinite(v)) add(key, `Le champ « ${label} » doit être un nombre.`);
  };
  number('latitude', 'Latitude');
  number('longitude', 'Longitude');
  if (values.latitude !== undefined && values.longitude === undefined) add('longitude', Required('Longitude'));
  if (values.longitude !== undefined && values.latitude === undefined) add('latitude', Required('Latitude'));
  if (values.email && !IsValidEmail(values.email)) {
    add('email', 'Le champ « Courriel » n\'est pas une adresse valide (nom@exemple.fr).');
  }
  if (values.phone && !IsValidPhone(values.phone)) add('phone', 'Le champ « Téléphone » n\'est pas un numéro valide.');
  if (values.website && !IsValidUrl(values.website)) {
    add('website', 'Le champ « Site web » n\'est pas une adresse valide (http:// ou https://).');
  }
  (values.offers ?? []).forEach((offer, i) => {
    if (!offer.title) add(`offers[${i}].title`, Required(`Intitulé (offre ${i + 1})`));
  });
  const p = values.private ?? {};
  if (p.contact_email && !IsValidEmail(p.contact_email)) {
    add('private.contact_email', 'Le champ « Courriel du contact » n\'est pas une adresse valide (nom@exemple.fr).');
  }
  if (p.contact_phone && !IsValidPhone(p.contact_phone)) {
    add('private.contact_phone', 'Le champ « Téléphone du contact » n\'est pas un numéro valide.');
  }
  return errors;
}

// The adherence of the registration page: the box ticked and the signatory's name.
export function CheckAdherence({ accepted, adheredBy }) {
  const errors = [];
  if (!accepted) {
    errors.push({ field: 'charter.version', message: 'Cochez la case d\'adhésion à la charte : l\'adhésion explicite est obligatoire.' });
  }
  const label = 'Nom de la personne qui engage l\'initiative';
  if (!adheredBy) errors.push({ field: 'charter.adhered_by', message: Required(label) });
  else if (Length(adheredBy) < 2 || Length(adheredBy) > 200) {
    errors.push({ field: 'charter.adhered_by', message: `Le champ « ${label} » doit compter de 2 à 200 caractères.` });
  }
  return errors;
}
