// Seeds a region node through its HTTP API, as people would: the admin publishes the charter
// and names the committee, initiatives are submitted with their adherence, and the
// committee's members vote them in (so every record is journalled, signed and replicated).
import { ApiClient } from './federation.mjs';
import { InvitationLink } from './outbox_links.mjs';

export const kCharterText = `Charte régionale de l'économie sociale et solidaire

1. Utilité sociale : l'initiative répond à un besoin du territoire et de ses habitants.
2. Gouvernance démocratique : une personne, une voix ; les membres participent aux décisions.
3. Lucrativité limitée : les excédents servent d'abord le projet collectif.
4. Ancrage territorial : l'initiative coopère avec les acteurs locaux.
5. Transparence : l'initiative tient sa fiche à jour et accepte l'examen du comité d'éthique.`;

export const kMembers = [
  { name: 'Camille Martin', email: 'camille@example.org', college: 'consommateurs', role: 'chair' },
  { name: 'Nadia Benali', email: 'nadia@example.org', college: 'salaries', role: 'member' },
  { name: 'Louis Garnier', email: 'louis@example.org', college: 'ong', role: 'member' },
];
export const kMemberPassword = 'mot-de-passe-comite-e2e';

// A member named by the admin follows their invitation's link (read from the node's outbox)
// and chooses `password`, as they would from the mail.
export async function AcceptInvitation(node, email, password = kMemberPassword) {
  const link = InvitationLink(node.database, email);
  if (!link) throw new Error(`no invitation queued for ${email}`);
  const token = new URL(link).hash.replace('#jeton=', '');
  await new ApiClient(node.url).Call('POST', '/api/invitation/password', { token, password });
}

// Returns {admin, members: [ApiClient logged in as each member], memberIds}.
export async function PrepareCommittee(node, adminAccount, { charter = true, members = kMembers } = {}) {
  const admin = new ApiClient(node.url);
  await admin.Login(adminAccount.email, adminAccount.password);
  if (charter) await admin.Call('POST', '/api/admin/charter', { text: kCharterText, readhesion_days: 90 });
  const clients = [];
  const memberIds = [];
  for (const m of members) {
    const created = await admin.Call('POST', '/api/admin/committee/members', m);
    memberIds.push(created.id);
    await AcceptInvitation(node, m.email);
    const client = new ApiClient(node.url);
    await client.Login(m.email, kMemberPassword);
    clients.push(client);
  }
  return { admin, members: clients, memberIds };
}

// Submits each initiative with adherence to the current charter; the first `admitCount` are
// voted in by the members. Returns the ids.
export async function SubmitAndAdmit(node, members, initiatives, { admitCount = initiatives.length } = {}) {
  const visitor = new ApiClient(node.url);
  const charter = await visitor.Call('GET', '/api/charter');
  const ids = [];
  for (const [i, initiative] of initiatives.entries()) {
    const submitted = await visitor.Call('POST', '/api/initiatives', {
      ...initiative, charter: { version: charter.version, adhered_by: initiative.private?.contact_name ?? 'Porteur du projet' },
    });
    const id = submitted.initiative.id;
    ids.push(id);
    if (i >= admitCount) continue;
    for (const member of members) {
      const outcome = await member.Call('POST', `/api/committee/initiatives/${id}/votes`,
        { vote: 'admit', reason: 'Conforme à la charte : projet collectif et ancré dans le territoire.' });
      if (outcome.decision) break;
    }
  }
  return ids;
}
