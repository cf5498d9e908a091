import type { Executor } from '../../db/database.ts';
import { organizationsWhere, type Actor } from '../../platform/access.ts';
import * as organizationRepository from '../organizations/organization.repository.ts';
import type { DocumentKind } from './document.table.ts';

/** Who an organization is, for lists and links. */
export interface OrganizationRef {
  id: number;
  slug: string;
  nameZh: string;
  nameEn: string;
  /** The organization at the top of it, when it is a unit (a department of a federation): names alone can repeat. */
  top?: { nameZh: string; nameEn: string };
}

/**
 * The network as one request sees it: every organization (the network is small enough to hold whole)
 * and where the actor may edit records. Who may change what in the agreements domain is decided here.
 */
export interface Network {
  /** The organization, or a stand-in when the id is unknown. */
  ref(id: number): OrganizationRef;
  has(id: number): boolean;
  /** The organization at the top of the one given (a federation, usually). */
  topOf(id: number): number;
  /** Whether `id` is one of `roots` or a unit below one. */
  isWithin(id: number, roots: readonly number[]): boolean;
  /** Whether the actor has edit_records on the organization (a role above it counts). */
  mayEdit(id: number): boolean;
  /** Every organization, in id order, for the forms' choices. */
  organizations: { id: number; slug: string; name_zh: string; name_en: string; kind: string; parent_id: number | null }[];
}

// Read once per request, like the actor's roles (access.ts): a page asks several services about the same network.
const networks = new WeakMap<Actor, Promise<Network>>();

/** The network as the actor sees it, loaded once per actor (that is, per request). */
export function loadNetwork(db: Executor, actor: Actor): Promise<Network> {
  let network = networks.get(actor);
  if (!network) {
    network = readNetwork(db, actor);
    networks.set(actor, network);
    // A failed read is not kept: the next call tries again.
    network.catch(() => networks.delete(actor));
  }
  return network;
}

/** Loads the network and the actor's edit rights in two queries. */
async function readNetwork(db: Executor, actor: Actor): Promise<Network> {
  const [organizations, editable] = await Promise.all([organizationRepository.listOrganizationTree(db), organizationsWhere(db, actor, 'edit_records')]);
  const byId = new Map(organizations.map((organization) => [organization.id, organization]));
  const ancestors = (id: number): number[] => {
    const chain: number[] = [];
    let current = byId.get(id);
    // Bounded: a broken tree must still end.
    for (let depth = 0; current && depth < 100; depth += 1) {
      chain.push(current.id);
      current = current.parent_id === null ? undefined : byId.get(current.parent_id);
    }
    return chain;
  };
  return {
    organizations,
    has: (id) => byId.has(id),
    ref: (id) => {
      const row = byId.get(id);
      if (!row) return { id, slug: '', nameZh: `#${id}`, nameEn: `#${id}` };
      const top = byId.get(ancestors(id).at(-1) ?? id);
      return {
        id,
        slug: row.slug,
        nameZh: row.name_zh,
        nameEn: row.name_en,
        ...(top && top.id !== id ? { top: { nameZh: top.name_zh, nameEn: top.name_en } } : {}),
      };
    },
    topOf: (id) => ancestors(id).at(-1) ?? id,
    isWithin: (id, roots) => ancestors(id).some((ancestor) => roots.includes(ancestor)),
    mayEdit: (id) => editable === 'all' || editable.has(id),
  };
}

/** What decides who may change a document and its commitments. */
export interface DocumentOwners {
  kind: DocumentKind;
  issuerId: number | null;
  partyIds: readonly number[];
}

/** A document and its measures may be changed with edit_records on its issuer or on one of its parties. */
export function mayEditDocument(network: Network, document: DocumentOwners): boolean {
  return [...(document.issuerId === null ? [] : [document.issuerId]), ...document.partyIds].some((id) => network.mayEdit(id));
}

/**
 * A commitment (and its progress updates) may be changed with edit_records on its responsible
 * organization — a role on a federation reaches the units below it, so each party keeps its own
 * commitments — and, for a circular or plan, on the top organization of its issuer, which oversees
 * the whole document. A party to an agreement does not change another party's commitments.
 */
export function mayChangeCommitment(network: Network, document: DocumentOwners, responsibleOrganizationId: number): boolean {
  if (network.mayEdit(responsibleOrganizationId)) return true;
  return document.kind !== 'agreement' && document.issuerId !== null && network.mayEdit(network.topOf(document.issuerId));
}

/**
 * Who may be responsible for a commitment: for an agreement, a party or a unit below one; for a circular
 * or plan, any organization of the network, since a circular is addressed beyond its issuer (the seed's
 * circular is carried out by the Beijing and the Tianjin federations alike).
 */
export function mayBeResponsible(network: Network, document: DocumentOwners, organizationId: number): boolean {
  if (!network.has(organizationId)) return false;
  return document.kind !== 'agreement' || network.isWithin(organizationId, document.partyIds);
}
