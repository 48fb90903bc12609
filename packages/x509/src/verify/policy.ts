// Certificate policy processing (RFC 5280 §6.1.2 (a),(d)-(f),(i)-(j), §6.1.3 (d)-(f), §6.1.4
// (a),(b),(h)-(j), §6.1.5 (a),(b),(g)) with user-initial-policy-set = {anyPolicy} and the three
// initial inhibit/explicit flags false. The result only matters when a certificate in the path
// requires an explicit policy (policyConstraints requireExplicitPolicy).

import type { Certificate } from '../certificate.js';
import { Oid } from '../der/oid.js';
import { namesEqual } from '../name.js';

interface PolicyNode {
  readonly validPolicy: string;
  expectedPolicies: Set<string>;
  readonly parent: PolicyNode | undefined;
  children: PolicyNode[];
}

/** Why the policies of `path` fail, or undefined. `path` runs from the leaf to the anchor. */
export interface PolicyProblem {
  readonly code: 'NO_EXPLICIT_POLICY' | 'INVALID_POLICY_EXTENSION' | 'UNSPECIFIED';
  readonly depth: number;
  readonly message: string;
}

const maxNodes = 10_000;

/**
 * Runs RFC 5280 policy processing over `path` (leaf first, anchor last).
 * @returns the problem, or undefined when the policies are acceptable.
 * @example checkPolicies(chain)?.code // 'NO_EXPLICIT_POLICY'
 */
export function checkPolicies(path: readonly Certificate[]): PolicyProblem | undefined {
  // RFC 5280 §6.1: certificates 1..n run from the one issued by the anchor down to the leaf.
  const certificates = path.slice(0, -1).reverse();
  const n = certificates.length;
  const root: PolicyNode = {
    validPolicy: Oid.AnyPolicy,
    expectedPolicies: new Set([Oid.AnyPolicy]),
    parent: undefined,
    children: [],
  };
  let level: PolicyNode[] | undefined = [root];
  let explicitPolicy = n + 1;
  let inhibitAnyPolicy = n + 1;
  let policyMapping = n + 1;
  let nodes = 1;
  const prune = () => {
    // Remove nodes (other than at the current depth) without children, bottom-up.
    let changed = true;
    while (changed) {
      changed = false;
      const visit = (node: PolicyNode, depthLeft: number) => {
        for (const child of [...node.children]) {
          visit(child, depthLeft - 1);
          if (depthLeft - 1 > 0 && child.children.length === 0) {
            node.children = node.children.filter((c) => c !== child);
            changed = true;
          }
        }
      };
      visit(root, currentDepth);
    }
  };
  let currentDepth = 0;
  for (let i = 1; i <= n; i++) {
    const certificate = certificates[i - 1]!;
    const depth = n - i; // position in the caller's path (0 = leaf)
    const selfIssued = namesEqual(certificate.subject, certificate.issuer);
    const policies = certificate.decoded.certificatePolicies;
    if (policies !== undefined && level !== undefined) {
      const next: PolicyNode[] = [];
      const addChild = (parent: PolicyNode, policy: string, expected: Iterable<string>) => {
        const child: PolicyNode = {
          validPolicy: policy,
          expectedPolicies: new Set(expected),
          parent,
          children: [],
        };
        parent.children.push(child);
        next.push(child);
        nodes++;
      };
      // §6.1.3 (d)(1)
      for (const { policyIdentifier } of policies) {
        if (policyIdentifier === Oid.AnyPolicy) continue;
        let matched = false;
        for (const node of level) {
          if (node.expectedPolicies.has(policyIdentifier)) {
            addChild(node, policyIdentifier, [policyIdentifier]);
            matched = true;
          }
        }
        if (!matched) {
          for (const node of level)
            if (node.validPolicy === Oid.AnyPolicy) addChild(node, policyIdentifier, [policyIdentifier]);
        }
      }
      // §6.1.3 (d)(2)
      if (
        policies.some((p) => p.policyIdentifier === Oid.AnyPolicy) &&
        (inhibitAnyPolicy > 0 || (i < n && selfIssued))
      ) {
        for (const node of level) {
          for (const expected of node.expectedPolicies) {
            if (!node.children.some((child) => child.validPolicy === expected))
              addChild(node, expected, [expected]);
          }
        }
      }
      if (nodes > maxNodes) return { code: 'UNSPECIFIED', depth, message: 'policy tree too large' };
      currentDepth = i;
      prune();
      level = next.filter((node) => isAttached(node, root));
      if (level.length === 0) level = undefined;
    } else {
      // §6.1.3 (e)
      level = undefined;
    }
    // §6.1.3 (f)
    if (explicitPolicy <= 0 && level === undefined) {
      return {
        code: 'NO_EXPLICIT_POLICY',
        depth,
        message: 'no acceptable certificate policy, but one is required (RFC 5280 §6.1.3(f))',
      };
    }
    if (i === n) break;
    // §6.1.4 (a)-(b): policy mappings
    const mappings = certificate.decoded.policyMappings;
    if (mappings !== undefined) {
      if (
        mappings.some(
          (m) => m.issuerDomainPolicy === Oid.AnyPolicy || m.subjectDomainPolicy === Oid.AnyPolicy,
        )
      ) {
        return {
          code: 'INVALID_POLICY_EXTENSION',
          depth,
          message: 'anyPolicy in policyMappings (RFC 5280 §6.1.4(a))',
        };
      }
      if (level !== undefined) {
        let current: PolicyNode[] = level;
        const byIssuer = new Map<string, string[]>();
        for (const m of mappings)
          byIssuer.set(m.issuerDomainPolicy, [
            ...(byIssuer.get(m.issuerDomainPolicy) ?? []),
            m.subjectDomainPolicy,
          ]);
        for (const [issuerPolicy, subjects] of byIssuer) {
          const matching: PolicyNode[] = current.filter((node) => node.validPolicy === issuerPolicy);
          if (policyMapping > 0) {
            if (matching.length > 0) for (const node of matching) node.expectedPolicies = new Set(subjects);
            else {
              const any = current.find((node) => node.validPolicy === Oid.AnyPolicy);
              if (any?.parent) {
                const node: PolicyNode = {
                  validPolicy: issuerPolicy,
                  expectedPolicies: new Set(subjects),
                  parent: any.parent,
                  children: [],
                };
                any.parent.children.push(node);
                current.push(node);
                nodes++;
              }
            }
          } else {
            for (const node of matching) {
              const parent = node.parent;
              if (parent) parent.children = parent.children.filter((child: PolicyNode) => child !== node);
            }
            current = current.filter((node) => !matching.includes(node));
            prune();
            current = current.filter((node) => isAttached(node, root));
          }
        }
        level = current.length > 0 ? current : undefined;
      }
    }
    // §6.1.4 (h)
    if (!selfIssued) {
      if (explicitPolicy > 0) explicitPolicy--;
      if (policyMapping > 0) policyMapping--;
      if (inhibitAnyPolicy > 0) inhibitAnyPolicy--;
    }
    // §6.1.4 (i)-(j)
    const constraints = certificate.decoded.policyConstraints;
    if (constraints?.requireExplicitPolicy !== undefined)
      explicitPolicy = Math.min(explicitPolicy, constraints.requireExplicitPolicy);
    if (constraints?.inhibitPolicyMapping !== undefined)
      policyMapping = Math.min(policyMapping, constraints.inhibitPolicyMapping);
    const inhibit = certificate.decoded.inhibitAnyPolicy;
    if (inhibit !== undefined) inhibitAnyPolicy = Math.min(inhibitAnyPolicy, inhibit);
  }
  // §6.1.5 (a)-(b)
  const leaf = certificates[n - 1];
  if (explicitPolicy > 0) explicitPolicy--;
  if (leaf?.decoded.policyConstraints?.requireExplicitPolicy === 0) explicitPolicy = 0;
  // §6.1.5 (g)(i): with user-initial-policy-set = {anyPolicy} the tree is unchanged.
  if (explicitPolicy <= 0 && level === undefined) {
    return {
      code: 'NO_EXPLICIT_POLICY',
      depth: 0,
      message: 'no acceptable certificate policy, but one is required (RFC 5280 §6.1.5)',
    };
  }
  return undefined;
}

function isAttached(node: PolicyNode, root: PolicyNode): boolean {
  let current: PolicyNode | undefined = node;
  while (current?.parent !== undefined) {
    if (!current.parent.children.includes(current)) return false;
    current = current.parent;
  }
  return current === root;
}
