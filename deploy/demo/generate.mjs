// Generates plausible initiatives of the social and solidarity economy (ESS) for one or more
// regions, deterministically from a seed: French names and descriptions by family and
// activity, real communes of the region (INSEE codes, postcodes and GeoNames coordinates from
// the common referential, weighted by their INSEE population when the npm data is
// installed), offers that fit the activity, valid SIRETs for some, private contacts.
// The same arguments always print the same initiatives, on every machine.
// Used by the demo's seeding (deploy/demo/seed.mjs) and by benchmarks and load tests.
//
//   node deploy/demo/generate.mjs --region 93 --count 50
//   node deploy/demo/generate.mjs --region 93,76,52 --count 1000 --seed 7 > initiatives.jsonl
//   node deploy/demo/generate.mjs --region 52 --count 5000 --format csv > import-52.csv
//
// Options:
//   --region CODE[,CODE...]  INSEE region codes (required)
//   --count N                initiatives per region (required, 0..1000000)
//   --seed S                 integer seed (default 42); same seed, same initiatives
//   --referential FILE       the common referential (default: $ESS_BUILD_DIR/referential.json,
//                            else build/referential.json; deploy/build.sh writes it)
//   --format jsonl|csv       jsonl (default): one submission body per line (docs/node-api.yaml,
//                            `InitiativeInput` plus `charter` when --charter is given);
//                            csv: a file for the node's CSV import (POST /api/admin/import)
//                            whose headers are the import's field names (mapping field -> field),
//                            activities separated by "|", without offers (the import has none)
//   --charter VERSION        jsonl: add `charter: {version, adhered_by}` so each line can be
//                            POSTed as is to /api/initiatives of a node whose current charter
//                            has that version
// Output on stdout; errors on stderr (exit 2 for bad arguments, 1 for a missing file).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');

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

// Offers ("BDIS PRO": what is offered, conditions, lead time, ethical guarantees).
const kOffer = {
  panier: { title: 'Paniers de légumes bio', description: 'Légumes de saison cultivés par les producteurs partenaires.', conditions: 'Engagement à la saison, paiement possible en plusieurs fois', lead_time: 'Hebdomadaire', guarantees: 'Agriculture biologique, producteurs à moins de 50 km' },
  epicerie: { title: 'Épicerie à prix solidaires', description: 'Produits frais et secs, hygiène, à 10 à 30 % du prix habituel.', conditions: 'Sur orientation d\'un travailleur social, pour six mois renouvelables', lead_time: 'Ouvert trois jours par semaine', guarantees: 'Circuits courts, produits locaux pour moitié au moins' },
  salle: { title: 'Location de salle et d\'ateliers', description: 'Une salle de 80 places et des ateliers équipés.', conditions: 'Tarif solidaire pour les associations', lead_time: 'Réservation une semaine avant', guarantees: 'Accessible aux personnes à mobilité réduite' },
  reparation: { title: 'Réparation d\'appareils et de meubles', description: 'Électroménager, vélos, petits meubles.', conditions: 'Sur rendez-vous, devis gratuit', lead_time: '10 jours', guarantees: 'Pièces de réemploi garanties 6 mois' },
  collecte: { title: 'Collecte d\'objets pour le réemploi', description: 'Enlèvement à domicile ou dépôt en boutique.', conditions: 'Gratuit pour les particuliers', lead_time: 'Sous 15 jours', guarantees: 'Traçabilité des objets, zéro mise en décharge évitable' },
  numerique: { title: 'Formation aux outils numériques libres', description: 'Ateliers pour associations et demandeurs d\'emploi.', conditions: 'Groupes de 8 personnes', lead_time: 'Un mois', guarantees: 'Logiciels libres uniquement' },
  developpement: { title: 'Développement de sites et d\'applications', description: 'Sites accessibles et sobres pour les structures de l\'ESS.', conditions: 'Devis sur demande', lead_time: 'Deux à trois mois', guarantees: 'Code sous licence libre, hébergement en France' },
  electricite: { title: 'Électricité renouvelable locale', description: 'Production solaire citoyenne vendue à un fournisseur coopératif.', conditions: 'Contrat annuel', lead_time: 'Immédiat', guarantees: 'Production 100 % locale et citoyenne' },
  parts: { title: 'Parts sociales citoyennes', description: 'Devenez coopérateur du projet à partir d\'une part.', conditions: 'Part sociale de 50 €, un membre une voix', lead_time: 'Immédiat', guarantees: 'Rémunération plafonnée, excédents réinvestis' },
  accompagnement: { title: 'Accompagnement à la création d\'activité', description: 'Un statut d\'entrepreneur salarié, la comptabilité et un collectif.', conditions: 'Réunion d\'information mensuelle', lead_time: 'Un mois', guarantees: 'Gouvernance partagée, sociétariat ouvert' },
  logement: { title: 'Logements en habitat participatif', description: 'Logements du T2 au T5, espaces communs partagés.', conditions: 'Adhésion à la charte des habitants', lead_time: 'Selon disponibilités', guarantees: 'Non-spéculation : parts sociales non revalorisées' },
  complementaire: { title: 'Complémentaire santé solidaire', description: 'Une couverture santé sans questionnaire médical.', conditions: 'Cotisation selon les revenus', lead_time: 'Adhésion sous 48 heures', guarantees: 'Sans sélection médicale, gestion par les adhérents' },
  garage: { title: 'Réparation automobile à prix solidaire', description: 'Entretien et réparation pour les personnes en insertion.', conditions: 'Sur orientation d\'un partenaire emploi', lead_time: 'Une semaine', guarantees: 'Pièces de réemploi, tarifs affichés' },
  velos: { title: 'Location de vélos et vélos électriques', description: 'À la journée, au mois ou pour aller travailler.', conditions: 'Caution solidaire modulée', lead_time: 'Immédiat', guarantees: 'Entretien par des salariés en insertion' },
  pret: { title: 'Microcrédit et garantie solidaire', description: 'Des prêts d\'honneur pour créer son activité.', conditions: 'Dossier et rencontre avec un comité bénévole', lead_time: 'Six semaines', guarantees: 'Épargne citoyenne investie localement' },
  monnaie: { title: 'Comptoir d\'échange de monnaie locale', description: 'Changez vos euros en monnaie locale complémentaire.', conditions: 'Adhésion annuelle à prix libre', lead_time: 'Immédiat', guarantees: 'Fonds de garantie placés en finance solidaire' },
  commerce: { title: 'Produits du commerce équitable', description: 'Café, thé, chocolat et artisanat de coopératives partenaires.', conditions: 'Vente en boutique et aux entreprises', lead_time: 'Une semaine pour les commandes', guarantees: 'Labels du commerce équitable, prix minimum garanti aux producteurs' },
  garde: { title: 'Accueil de jeunes enfants', description: 'Crèche parentale de 16 places.', conditions: 'Participation des parents à la vie de la crèche', lead_time: 'Inscription au printemps pour la rentrée', guarantees: 'Projet pédagogique écrit avec les parents' },
  domicile: { title: 'Aide à domicile', description: 'Aide aux gestes du quotidien pour les personnes âgées.', conditions: 'Prise en charge possible par le département', lead_time: 'Sous une semaine', guarantees: 'Salariées formées, en CDI' },
  sejour: { title: 'Séjours de tourisme solidaire', description: 'Des séjours chez l\'habitant et des visites de fermes.', conditions: 'Groupes de 12 personnes au plus', lead_time: 'Deux mois', guarantees: 'Une part du prix reversée aux projets locaux' },
  insertion: { title: 'Prestations d\'entretien d\'espaces verts', description: 'Par une équipe en parcours d\'insertion.', conditions: 'Contrat annuel ou ponctuel', lead_time: 'Deux semaines', guarantees: 'Gestion différenciée, sans pesticides' },
  spectacle: { title: 'Ateliers et spectacles', description: 'Ateliers de pratique artistique et spectacles en itinérance.', conditions: 'Tarifs modulés selon le public', lead_time: 'Trois mois', guarantees: 'Droits culturels, artistes rémunérés' },
  materiel: { title: 'Prêt de matériel agricole', description: 'Tracteurs et outils partagés entre adhérents.', conditions: 'Adhésion à la coopérative', lead_time: 'Planning hebdomadaire', guarantees: 'Entretien mutualisé' },
};

// Templates: a family, a legal form, activities, names, what such an initiative does, offers.
const kKinds = [
  { family: 'association', form: 'association_loi_1901', activities: ['alimentation', 'insertion'],
    names: ['Épicerie solidaire {de} {commune}', 'Le Panier partagé', 'Épicerie sociale {nom}'],
    what: 'une épicerie solidaire qui propose des produits frais et locaux à prix adaptés aux revenus de chacun',
    offers: ['epicerie'] },
  { family: 'association', form: 'association_loi_1901', activities: ['reemploi'],
    names: ['Ressourcerie {nom}', 'Repair café {de} {commune}', 'La Recyclerie {de} {commune}'],
    what: 'une ressourcerie qui collecte, répare et revend à petit prix meubles, vêtements et appareils',
    offers: ['collecte', 'reparation'] },
  { family: 'association', form: 'association_loi_1901', activities: ['agriculture', 'alimentation'],
    names: ['AMAP {de} {commune}', 'AMAP Les Paniers {adj}', 'Jardins partagés {de} {commune}'],
    what: 'une association pour le maintien d\'une agriculture paysanne qui relie des familles à des producteurs bio du territoire',
    offers: ['panier'] },
  { family: 'cooperative', form: 'scic', activities: ['energie'],
    names: ['{Nom} Énergie citoyenne', 'SCIC Soleil {de} {commune}', 'Centrales villageoises {de} {commune}'],
    what: 'une coopérative citoyenne qui installe et exploite des centrales solaires sur les toits du territoire',
    offers: ['electricite', 'parts'] },
  { family: 'cooperative', form: 'scop', activities: ['emploi', 'numerique'],
    names: ['SCOP {Nom} Numérique', 'Coopérative {Nom}', '{Nom} & Associés, SCOP'],
    what: 'une société coopérative et participative dont les salariés sont associés majoritaires',
    offers: ['developpement', 'numerique'] },
  { family: 'cooperative', form: 'cae', activities: ['emploi'],
    names: ['CAE {Nom}', 'Coopérative d\'activité {de} {commune}'],
    what: 'une coopérative d\'activité et d\'emploi qui accompagne des entrepreneurs salariés',
    offers: ['accompagnement'] },
  { family: 'cooperative', form: 'cooperative_usagers', activities: ['habitat'],
    names: ['Coopérative d\'habitants {nom}', 'Habitat participatif Les {Lieux}'],
    what: 'une coopérative d\'habitants qui construit et gère un habitat partagé, sobre et abordable',
    offers: ['logement'] },
  { family: 'cooperative', form: 'cooperative_agricole', activities: ['agriculture'],
    names: ['CUMA {de} {commune}', 'CUMA {Nom}'],
    what: 'une coopérative d\'utilisation de matériel agricole qui mutualise machines et savoir-faire entre paysans',
    offers: ['materiel'] },
  { family: 'cooperative', form: 'scic', activities: ['commerce_equitable', 'alimentation'],
    names: ['Boutique équitable {nom}', 'SCIC Équi\'{Nom}'],
    what: 'une coopérative qui vend des produits du commerce équitable, d\'ici et d\'ailleurs',
    offers: ['commerce'] },
  { family: 'mutuelle', form: 'mutuelle_sante', activities: ['sante'],
    names: ['Mutuelle {de} {commune}', 'Mutuelle solidaire {nom}'],
    what: 'une mutuelle de santé à but non lucratif gérée par ses adhérents',
    offers: ['complementaire'] },
  { family: 'fondation', form: 'fonds_dotation', activities: ['finance_solidaire', 'culture'],
    names: ['Fonds {nom} pour l\'ESS', 'Fondation {Nom}'],
    what: 'un fonds de dotation qui soutient des projets culturels et solidaires du territoire',
    offers: [] },
  { family: 'association', form: 'association_loi_1901', activities: ['finance_solidaire'],
    names: ['Monnaie locale {de} {commune}', 'Club CIGALES {de} {commune}', 'Caisse solidaire {nom}'],
    what: 'une association de finance solidaire qui oriente l\'épargne citoyenne vers l\'économie locale',
    offers: ['monnaie', 'pret'] },
  { family: 'entreprise_esus', form: 'societe_esus', activities: ['mobilite'],
    names: ['Garage solidaire {de} {commune}', '{Nom} Mobilités', 'Vélo-école {nom}'],
    what: 'une entreprise solidaire d\'utilité sociale qui répare et prête des véhicules pour l\'accès à l\'emploi',
    offers: ['garage', 'velos'] },
  { family: 'association', form: 'association_loi_1901', activities: ['insertion', 'emploi'],
    names: ['Chantier d\'insertion {nom}', 'Jardins de Cocagne {de} {commune}'],
    what: 'un atelier et chantier d\'insertion qui salarie des personnes éloignées de l\'emploi le temps de construire leur projet',
    offers: ['insertion', 'panier'] },
  { family: 'association', form: 'association_loi_1901', activities: ['lieux_partages', 'culture'],
    names: ['Tiers-lieu La {Lieu}', 'La {Lieu} {adjf}', 'Café associatif {nom}'],
    what: 'un tiers-lieu associatif qui ouvre ses locaux, ateliers et outils aux habitants et aux associations',
    offers: ['salle', 'spectacle'] },
  { family: 'association', form: 'association_loi_1901', activities: ['services_personne', 'education'],
    names: ['Crèche parentale {nom}', 'Crèche Les P\'tits Loups {de} {commune}'],
    what: 'une crèche parentale où les familles participent à l\'accueil et aux décisions',
    offers: ['garde'] },
  { family: 'cooperative', form: 'scic', activities: ['services_personne', 'sante'],
    names: ['SCIC Aide et domicile {de} {commune}', '{Nom} Services'],
    what: 'une coopérative d\'aide à domicile qui associe salariées, usagers et collectivités',
    offers: ['domicile'] },
  { family: 'association', form: 'association_loi_1901', activities: ['tourisme', 'agriculture'],
    names: ['Accueil paysan {de} {commune}', 'Les Chemins {adj}'],
    what: 'une association de tourisme solidaire qui fait découvrir le territoire par ceux qui y vivent',
    offers: ['sejour'] },
  { family: 'collectif_informel', form: 'collectif', activities: ['education', 'sport'],
    names: ['Collectif {nom}', 'Les Ami·es {de} {commune}'],
    what: 'un collectif d\'habitants qui anime des ateliers d\'éducation populaire et des sorties sportives',
    offers: [] },
];
const kNoms = ['Les Colibris', 'La Ruche', 'Le Grenier', 'La Source', 'Le Lien', 'Trait d\'union',
  'Le Chêne', 'La Passerelle', 'Les Communs', 'La Fabrique', 'L\'Arbre à palabres', 'Le Fil', 'Solid\'Aire',
  'La Boussole', 'Le Relais', 'L\'Escale', 'La Courte Échelle', 'Les Alouettes'];
// A few words of each region's own landscape and languages, so names sound local.
const kRegionNoms = {
  93: ['L\'Olivier', 'La Calanque', 'Le Mistral', 'La Bastide', 'Lou Païs', 'La Restanque'],
  76: ['L\'Oustal', 'La Garrigue', 'Lo Camin', 'Le Causse', 'La Bòria', 'L\'Estanquet'],
  52: ['La Boire', 'Le Bocage', 'La Loire vivante', 'Le Marais', 'L\'Estuaire', 'La Gâtine'],
  53: ['Ti Ar Vro', 'L\'Aber', 'La Lande', 'Kenavo'],
  11: ['Le Canal', 'La Guinguette', 'Le Faubourg'],
  84: ['Le Volcan', 'La Traboule', 'L\'Alpage'],
};
const kLieux = ['Fabrique', 'Filature', 'Forge', 'Cartonnerie', 'Grange', 'Halle', 'Friche', 'Menuiserie',
  'Conserverie', 'Tannerie'];
const kAdj = ['solidaires', 'partagés', 'du coin', 'de saison', 'en commun', 'vivants'];
const kAdjF = ['solidaire', 'partagée', 'du coin', 'en commun', 'vivante', 'des possibles'];
const kDetails = [
  'Elle est ouverte à toutes et à tous, avec une attention particulière aux personnes en situation de précarité.',
  'Les décisions sont prises collectivement lors d\'assemblées ouvertes aux membres.',
  'Des bénévoles et des salariés y travaillent ensemble, et de nouveaux membres sont les bienvenus.',
  'Elle travaille avec les acteurs du quartier : centres sociaux, écoles et commerces de proximité.',
  'Ses excédents sont réinvestis dans le projet et dans l\'emploi local.',
  'Elle est née de l\'initiative d\'habitants et de paysans réunis en collectif.',
  'Elle fait partie des réseaux régionaux de l\'économie solidaire et participe à leurs rencontres.',
  'Ses comptes et ses décisions sont publiés chaque année devant ses membres.',
];
const kFirstNames = ['Camille', 'Dominique', 'Claude', 'Sacha', 'Alix', 'Lou', 'Yanis', 'Inès', 'Malik', 'Léa',
  'Mathis', 'Nadia', 'Hugo', 'Aïcha', 'Jeanne', 'Karim', 'Maëlle', 'Thomas', 'Fatou', 'Gaël'];
const kLastNames = ['Martin', 'Bernard', 'Dubois', 'Moreau', 'Garcia', 'Benali', 'Nguyen', 'Roux', 'Fournier',
  'Lambert', 'Le Gall', 'Fabre', 'Mercier', 'Diallo', 'Rousseau', 'Blanc', 'Guérin', 'Perrin'];
const kStreets = ['rue de la République', 'avenue Jean Jaurès', 'rue des Écoles', 'boulevard Victor Hugo',
  'place du Marché', 'rue Louise Michel', 'avenue de la Gare', 'chemin des Vignes', 'rue Jules Ferry',
  'allée des Tilleuls', 'rue Olympe de Gouges', 'quai de la Loire', 'route de la Mer'];

const slug = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
  .replace(/[^a-z0-9]+/g, '-').slice(0, 40).replace(/^-+|-+$/g, '');
// "de" before a commune's name, with French elision and contraction: d'Antibes, du Mans,
// des Sables-d'Olonne, de La Rochelle.
const deCommune = (commune) => {
  if (commune.startsWith('Le ')) return `du ${commune.slice(3)}`;
  if (commune.startsWith('Les ')) return `des ${commune.slice(4)}`;
  return (/^[aeiouyhéèêàâîôû]/i.test(commune) ? 'd\'' : 'de ') + commune;
};

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

// French numbering: 01 Île-de-France, 02 north-west, 03 north-east, 04 south-east, 05 south-west.
function AreaDigit(department) {
  const d = Number.parseInt(department, 10);
  if ([75, 77, 78, 91, 92, 93, 94, 95].includes(d)) return '1';
  if ([4, 5, 6, 7, 11, 13, 26, 30, 34, 38, 42, 43, 48, 66, 69, 73, 74, 83, 84].includes(d) ||
      department === '2A' || department === '2B') return '4';
  if ([8, 10, 21, 25, 39, 51, 52, 54, 55, 57, 58, 59, 60, 62, 67, 68, 70, 71, 80, 88, 89, 90, 2].includes(d)) return '3';
  if ([9, 12, 15, 16, 17, 19, 23, 24, 31, 32, 33, 40, 46, 47, 63, 64, 65, 79, 81, 82, 86, 87, 3].includes(d)) return '5';
  return '2';
}

function Phone(random, department) {
  const pairs = () => Array.from({ length: 4 }, () => String(random.int(100)).padStart(2, '0')).join(' ');
  const overseas = { 971: '590', 972: '596', 973: '594', 974: '262', 976: '269' }[department];
  if (overseas) return `0${overseas} ${pairs().slice(3)}`;
  return random.chance(0.3) ? `0${random.pick(['6', '7'])} ${pairs()}` : `0${AreaDigit(department)} ${pairs()}`;
}

// Population by INSEE code, from the npm data the referential is built from (optional: without
// it every commune weighs the same).
function Populations() {
  const require = createRequire(join(root, 'web', 'package.json'));
  try {
    const communes = require('@etalab/decoupage-administratif/data/communes.json');
    return new Map(communes.map((c) => [c.code, c.population ?? 0]));
  } catch {
    return new Map();
  }
}

let populations;

// Communes of the region with coordinates and cumulative weights (population^0.7: cities
// hold more initiatives, but not in proportion; the countryside has many).
function WeightedCommunes(referential, region) {
  populations ??= Populations();
  const communes = referential.communes.filter((c) => c.region === region && c.latitude !== undefined);
  if (!communes.length) throw new Error(`aucune commune avec des coordonnées dans la région ${region}`);
  let total = 0;
  const cumulative = communes.map((c) => (total += Math.pow(Math.max(populations.get(c.code) ?? 0, 1000), 0.7)));
  return { communes, cumulative, total };
}

function PickCommune(random, { communes, cumulative, total }) {
  const x = random.next() * total;
  let lo = 0, hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid] > x) hi = mid; else lo = mid + 1;
  }
  return communes[lo];
}

// `count` initiatives of `region` (an InitiativeInput each, with `private` contacts).
export function GenerateInitiatives({ referential, region, count, seed = 42 }) {
  if (!referential.regions.some((r) => r.code === region)) {
    throw new Error(`région inconnue du référentiel : ${region}`);
  }
  const random = Random(seed * 1000003 + Number(region));
  const weighted = WeightedCommunes(referential, region);
  const noms = [...kNoms, ...(kRegionNoms[region] ?? [])];
  const out = [];
  const used = new Set();
  for (let i = 0; i < count; ++i) {
    const kind = random.pick(kKinds);
    const commune = PickCommune(random, weighted);
    const nom = random.pick(noms);
    let name = random.pick(kind.names)
      .replace('{de} {commune}', deCommune(commune.name))
      .replace('{commune}', commune.name)
      .replace('{nom}', nom).replace('{Nom}', nom.replace(/^(Les |La |Le |L'|Lo |Lou )/, ''))
      .replace('{Lieu}', random.pick(kLieux)).replace('{Lieux}', random.pick(kLieux) + 's')
      .replace('{adjf}', random.pick(kAdjF))
      .replace('{adj}', random.pick(kAdj));
    if (used.has(name)) name += ` (${commune.name})`;
    if (used.has(name)) name += ` ${i + 1}`;
    used.add(name);
    const s = slug(name) || `initiative-${i + 1}`;
    const first = random.pick(kFirstNames), last = random.pick(kLastNames);
    const offers = kind.offers.filter(() => random.chance(0.45)).map((key) => ({ ...kOffer[key] }));
    const initiative = {
      name,
      family: kind.family,
      legal_form: kind.form,
      activities: kind.activities,
      description: `${name} est ${kind.what}. ${TwoDetails(random)}`,
      address: `${1 + random.int(120)} ${random.pick(kStreets)}`,
      postcode: random.pick(commune.postcodes) ?? undefined,
      commune: commune.code,
      department: commune.department,
      region,
      latitude: +(commune.latitude + (random.next() - 0.5) * 0.02).toFixed(5),
      longitude: +(commune.longitude + (random.next() - 0.5) * 0.02).toFixed(5),
      email: `contact@${s}.example`,
      website: random.chance(0.7) ? `https://${s}.example` : undefined,
      phone: random.chance(0.6) ? Phone(random, commune.department) : undefined,
      siret: kind.family !== 'collectif_informel' && random.chance(0.6) ? Siret(random) : undefined,
      employer: kind.family !== 'collectif_informel' && random.chance(0.55),
      offers,
      private: {
        contact_name: `${first} ${last}`,
        contact_email: `${slug(first)}.${slug(last)}@courriel.example`,
        contact_phone: random.chance(0.5) ? `0${random.pick(['6', '7'])} ${String(random.int(100)).padStart(2, '0')} ${String(random.int(100)).padStart(2, '0')} ${String(random.int(100)).padStart(2, '0')} ${String(random.int(100)).padStart(2, '0')}` : undefined,
      },
    };
    out.push(initiative);
  }
  return out;
}

// The node's CSV import fields (docs/node-api.yaml, /api/admin/import), in this order.
export const kCsvFields = ['name', 'family', 'legal_form', 'activities', 'description', 'address', 'postcode',
  'commune', 'latitude', 'longitude', 'email', 'phone', 'website', 'siret', 'employer',
  'contact_name', 'contact_email', 'contact_phone'];

function CsvCell(value) {
  if (value === undefined || value === null) return '';
  const text = Array.isArray(value) ? value.join('|') : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function CsvRow(initiative) {
  const flat = { ...initiative, ...initiative.private };
  return kCsvFields.map((f) => CsvCell(flat[f])).join(',');
}

export function DefaultReferentialPath() {
  const build = process.env.ESS_BUILD_DIR || join(root, 'build');
  return join(build, 'referential.json');
}

export function LoadReferential(path) {
  if (!existsSync(path)) {
    throw Object.assign(new Error(`référentiel introuvable : ${path} (lancer deploy/build.sh, ou --referential FICHIER)`),
      { exitCode: 1 });
  }
  return JSON.parse(readFileSync(path, 'utf8'));
}

function ParseArgs(argv) {
  const known = new Set(['region', 'count', 'seed', 'referential', 'format', 'charter', 'help']);
  const args = {};
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`argument inattendu : ${a}`);
    const [key, inline] = a.slice(2).split(/=(.*)/s, 2);
    if (!known.has(key)) throw new Error(`option inconnue : --${key}`);
    if (key === 'help') { args.help = true; continue; }
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`--${key} attend une valeur`);
    args[key] = value;
  }
  return args;
}

const kHelp = `Usage : node deploy/demo/generate.mjs --region CODE[,CODE...] --count N [--seed S]
         [--referential FICHIER] [--format jsonl|csv] [--charter VERSION]
Génère N initiatives plausibles par région, toujours les mêmes pour une même graine.
Voir l'en-tête du script pour le détail des options et des formats.`;

function Main(argv) {
  const args = ParseArgs(argv);
  if (args.help) { console.log(kHelp); return; }
  if (!args.region || args.count === undefined) throw new Error('--region et --count sont requis');
  const regions = args.region.split(',').map((r) => r.trim()).filter(Boolean);
  if (!regions.length || regions.some((r) => !/^[0-9]{2,3}$/.test(r))) {
    throw new Error(`--region : codes INSEE de région attendus, séparés par des virgules (ex. 93,76,52), pas « ${args.region} »`);
  }
  if (!/^[0-9]+$/.test(args.count) || Number(args.count) > 1_000_000) {
    throw new Error(`--count : un entier de 0 à 1000000, pas « ${args.count} »`);
  }
  const seed = args.seed ?? '42';
  if (!/^-?[0-9]+$/.test(seed) || !Number.isSafeInteger(Number(seed))) throw new Error(`--seed : un entier, pas « ${seed} »`);
  const format = args.format ?? 'jsonl';
  if (format !== 'jsonl' && format !== 'csv') throw new Error(`--format : jsonl ou csv, pas « ${format} »`);
  if (args.charter !== undefined && (!/^[1-9][0-9]*$/.test(args.charter) || format !== 'jsonl')) {
    throw new Error('--charter : un numéro de version (entier positif), avec --format jsonl');
  }
  const referential = LoadReferential(args.referential ?? DefaultReferentialPath());
  const lines = [];
  const flush = () => { if (lines.length) { process.stdout.write(lines.join('\n') + '\n'); lines.length = 0; } };
  if (format === 'csv') lines.push(kCsvFields.join(','));
  for (const region of regions) {
    for (const initiative of GenerateInitiatives({ referential, region, count: Number(args.count), seed: Number(seed) })) {
      if (format === 'csv') {
        lines.push(CsvRow(initiative));
      } else {
        if (args.charter) initiative.charter = { version: Number(args.charter), adhered_by: initiative.private.contact_name };
        lines.push(JSON.stringify(initiative));
      }
      if (lines.length >= 1000) flush();
    }
  }
  flush();
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    Main(process.argv.slice(2));
  } catch (e) {
    console.error(`generate.mjs : ${e.message}\n(node deploy/demo/generate.mjs --help)`);
    process.exit(e.exitCode ?? 2);
  }
}
