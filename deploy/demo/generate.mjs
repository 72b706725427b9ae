// Generates plausible ESS initiatives for a region, deterministically from a seed: French
// names and descriptions by family and activity, real communes of the region with their
// real coordinates (from the common referential), offers, valid SIRETs for some.
// Used by the demo's seeding and by load tests and benchmarks.
//   node deploy/demo/generate.mjs --referential build/referential.json --region 93 --count 50 [--seed 42]
// Prints one JSON object per line: the fields of an initiative submission (docs/node-api.yaml).
import { readFileSync } from 'node:fs';

// sfc32: a small, fast, well-distributed PRNG, the same output on every platform.
export function Random(seed) {
  let a = 0x9e3779b9, b = 0x243f6a88, c = 0xb7e15162, d = seed >>> 0;
  const next = () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const r = (t + d) | 0;
    c = (c + r) | 0;
    return (r >>> 0) / 4294967296;
  };
  for (let i = 0; i < 15; ++i) next();
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
  };
}

// Templates: a family, a legal form, activities, and how such initiatives are named.
const kKinds = [
  { family: 'association', form: 'association_loi_1901', activities: ['alimentation', 'insertion'],
    names: ['Épicerie solidaire {de} {commune}', 'Le Panier partagé', 'Épicerie sociale {nom}'],
    what: 'une épicerie solidaire qui propose des produits frais et locaux à prix adaptés aux revenus de chacun' },
  { family: 'association', form: 'association_loi_1901', activities: ['reemploi'],
    names: ['Ressourcerie {nom}', 'Repair café {de} {commune}', 'La Recyclerie {de} {commune}'],
    what: 'une ressourcerie qui collecte, répare et revend à petit prix meubles, vêtements et appareils' },
  { family: 'association', form: 'association_loi_1901', activities: ['agriculture', 'alimentation'],
    names: ['AMAP {de} {commune}', 'AMAP Les Paniers {adj}', 'Jardins partagés {de} {commune}'],
    what: 'une association pour le maintien d\'une agriculture paysanne qui relie des familles à des producteurs bio du territoire' },
  { family: 'cooperative', form: 'scic', activities: ['energie'],
    names: ['{Nom} Énergie citoyenne', 'SCIC Soleil {de} {commune}', 'Centrales villageoises {de} {commune}'],
    what: 'une coopérative citoyenne qui installe et exploite des centrales solaires sur les toits du territoire' },
  { family: 'cooperative', form: 'scop', activities: ['emploi', 'numerique'],
    names: ['SCOP {Nom} Numérique', 'Coopérative {Nom}', '{Nom} & Associés, SCOP'],
    what: 'une société coopérative et participative dont les salariés sont associés majoritaires' },
  { family: 'cooperative', form: 'cae', activities: ['emploi'],
    names: ['CAE {Nom}', 'Coopérative d\'activité {de} {commune}'],
    what: 'une coopérative d\'activité et d\'emploi qui accompagne des entrepreneurs salariés' },
  { family: 'cooperative', form: 'cooperative_usagers', activities: ['habitat'],
    names: ['Coopérative d\'habitants {nom}', 'Habitat participatif Les {Lieux}'],
    what: 'une coopérative d\'habitants qui construit et gère un habitat partagé, sobre et abordable' },
  { family: 'mutuelle', form: 'mutuelle_sante', activities: ['sante'],
    names: ['Mutuelle {de} {commune}', 'Mutuelle solidaire {nom}'],
    what: 'une mutuelle de santé à but non lucratif gérée par ses adhérents' },
  { family: 'fondation', form: 'fonds_dotation', activities: ['finance_solidaire', 'culture'],
    names: ['Fonds {nom} pour l\'ESS', 'Fondation {Nom}'],
    what: 'un fonds de dotation qui soutient des projets culturels et solidaires du territoire' },
  { family: 'entreprise_esus', form: 'societe_esus', activities: ['mobilite'],
    names: ['Garage solidaire {de} {commune}', '{Nom} Mobilités', 'Vélo-école {nom}'],
    what: 'une entreprise solidaire d\'utilité sociale qui répare et prête des véhicules pour l\'accès à l\'emploi' },
  { family: 'association', form: 'association_loi_1901', activities: ['lieux_partages', 'culture'],
    names: ['Tiers-lieu La {Lieu}', 'La {Lieu} {adj}', 'Café associatif {nom}'],
    what: 'un tiers-lieu associatif qui ouvre ses locaux, ateliers et outils aux habitants et aux associations' },
  { family: 'collectif_informel', form: 'collectif', activities: ['education', 'sport'],
    names: ['Collectif {nom}', 'Les Ami·es {de} {commune}'],
    what: 'un collectif d\'habitants qui anime des ateliers d\'éducation populaire et des sorties sportives' },
];
const kNoms = ['Les Colibris', 'La Ruche', 'L\'Olivier', 'Le Grenier', 'La Source', 'Le Lien', 'Trait d\'union',
  'Le Chêne', 'La Passerelle', 'Les Communs', 'La Fabrique', 'L\'Arbre à palabres', 'Le Fil', 'Solid\'Aire'];
const kLieux = ['Fabrique', 'Filature', 'Forge', 'Cartonnerie', 'Grange', 'Halle', 'Friche', 'Menuiserie'];
const kAdj = ['solidaires', 'partagés', 'du coin', 'de saison', 'en commun', 'vivants'];
const kDetails = [
  'Elle est ouverte à toutes et à tous, avec une attention particulière aux personnes en situation de précarité.',
  'Les décisions sont prises collectivement lors d\'assemblées ouvertes aux membres.',
  'Des bénévoles et des salariés y travaillent ensemble, et de nouveaux membres sont les bienvenus.',
  'Elle travaille avec les acteurs du quartier : centres sociaux, écoles et commerces de proximité.',
  'Ses excédents sont réinvestis dans le projet et dans l\'emploi local.',
];
const kOffers = [
  { title: 'Paniers de légumes bio', conditions: 'Engagement à la saison', lead_time: 'Hebdomadaire', guarantees: 'Agriculture biologique, producteurs à moins de 50 km' },
  { title: 'Location de salle et d\'ateliers', conditions: 'Tarif solidaire pour les associations', lead_time: 'Réservation une semaine avant', guarantees: 'Accessible aux personnes à mobilité réduite' },
  { title: 'Réparation d\'appareils', conditions: 'Sur rendez-vous', lead_time: '10 jours', guarantees: 'Pièces de réemploi garanties 6 mois' },
  { title: 'Formation aux outils numériques libres', conditions: 'Groupes de 8 personnes', lead_time: 'Un mois', guarantees: 'Logiciels libres uniquement' },
  { title: 'Électricité renouvelable locale', conditions: 'Contrat annuel', lead_time: 'Immédiat', guarantees: 'Production 100 % locale et citoyenne' },
];

const slug = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
  .replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
const de = (commune) => (/^[aeiouyhéèêàâîô]/i.test(commune) ? 'd\'' : 'de ') ;

// A valid SIRET: 9-digit SIREN, 5-digit NIC, Luhn over the 14 digits.
function Siret(random) {
  const digits = Array.from({ length: 13 }, () => random.int(10));
  digits[0] = 1 + random.int(9);
  for (let last = 0; last < 10; ++last) {
    const all = [...digits, last];
    const sum = all.reduce((acc, d, i) => {
      let v = (all.length - i) % 2 === 0 ? d * 2 : d;
      if (v > 9) v -= 9;
      return acc + v;
    }, 0);
    if (sum % 10 === 0) return all.join('');
  }
  throw new Error('unreachable');
}

function TwoDetails(random) {
  const first = random.int(kDetails.length);
  const second = (first + 1 + random.int(kDetails.length - 1)) % kDetails.length;
  return `${kDetails[first]} ${kDetails[second]}`;
}

export function GenerateInitiatives({ referential, region, count, seed = 42 }) {
  const random = Random(seed * 1000003 + Number(region));
  const communes = referential.communes.filter((c) => c.region === region && c.latitude !== undefined);
  if (!communes.length) throw new Error(`no commune with coordinates in region ${region}`);
  // Larger places come first in the data; weight towards them like real initiatives are.
  const out = [];
  const used = new Set();
  for (let i = 0; i < count; ++i) {
    const kind = random.pick(kKinds);
    const commune = communes[Math.floor(Math.pow(random.next(), 2) * communes.length)];
    const nom = random.pick(kNoms);
    let name = random.pick(kind.names)
      .replace('{de} {commune}', de(commune.name) + commune.name)
      .replace('{commune}', commune.name)
      .replace('{nom}', nom).replace('{Nom}', nom.replace(/^(Les |La |Le |L')/, ''))
      .replace('{Lieu}', random.pick(kLieux)).replace('{Lieux}', random.pick(kLieux) + 's')
      .replace('{adj}', random.pick(kAdj));
    if (used.has(name)) name += ` (${commune.name})`;
    if (used.has(name)) name += ` ${i}`;
    used.add(name);
    const s = slug(name);
    const initiative = {
      name,
      family: kind.family,
      legal_form: kind.form,
      activities: kind.activities,
      description: `${name} est ${kind.what}. ${TwoDetails(random)}`,
      address: `${1 + random.int(120)} ${random.pick(['rue', 'avenue', 'chemin', 'place', 'boulevard'])} ${random.pick(['de la République', 'Jean Jaurès', 'des Écoles', 'Victor Hugo', 'du Marché', 'Louise Michel', 'de la Gare'])}`,
      postcode: commune.postcodes[0] ?? '',
      commune: commune.code,
      latitude: +(commune.latitude + (random.next() - 0.5) * 0.02).toFixed(5),
      longitude: +(commune.longitude + (random.next() - 0.5) * 0.02).toFixed(5),
      email: `contact@${s}.example`,
      website: random.chance(0.7) ? `https://${s}.example` : undefined,
      phone: random.chance(0.5) ? `0${1 + random.int(5)} ${String(random.int(100)).padStart(2, '0')} ${String(random.int(100)).padStart(2, '0')} ${String(random.int(100)).padStart(2, '0')} ${String(random.int(100)).padStart(2, '0')}` : undefined,
      siret: kind.family !== 'collectif_informel' && random.chance(0.6) ? Siret(random) : undefined,
      employer: kind.family !== 'collectif_informel' && random.chance(0.5),
      offers: random.chance(0.4) ? [random.pick(kOffers)] : [],
      contact_name: `${random.pick(['Camille', 'Dominique', 'Claude', 'Sacha', 'Alix', 'Lou', 'Yanis', 'Inès', 'Malik', 'Léa'])} ${random.pick(['Martin', 'Bernard', 'Dubois', 'Moreau', 'Garcia', 'Benali', 'Nguyen', 'Roux', 'Fournier', 'Lambert'])}`,
    };
    out.push(initiative);
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) =>
    (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
  if (!args.referential || !args.region || !args.count) {
    console.error('usage: generate.mjs --referential FILE --region CODE --count N [--seed S]');
    process.exit(2);
  }
  const referential = JSON.parse(readFileSync(args.referential, 'utf8'));
  for (const initiative of GenerateInitiatives({ referential, region: args.region,
    count: Number(args.count), seed: Number(args.seed ?? 42) })) {
    console.log(JSON.stringify(initiative));
  }
}
