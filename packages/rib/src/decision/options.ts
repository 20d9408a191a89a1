import { InvalidAttributeError } from '../errors';

/**
 * The configurable steps of the decision process (RFC 4271 9.1.2.2 plus the knobs routers expose). Every field is
 * optional; {@link resolveDecisionOptions} fills in the defaults noted on each.
 *
 * @example
 * const rib = new Rib({ localAs: 65000, decision: { deterministicMed: true, maximumPaths: 4 } });
 */
export interface DecisionOptions {
  /** LOCAL_PREF assumed for a path without one (RFC 4271 5.1.5 leaves it to policy). Default 100. */
  readonly defaultLocalPreference?: number;
  /** Prefer locally originated paths right after LOCAL_PREF, as routers do. Default true. */
  readonly preferLocallyOriginated?: boolean;
  /** Skip the AS_PATH length step (`bgp bestpath as-path ignore`). Default false. */
  readonly ignoreAsPathLength?: boolean;
  /** Compare MED between paths from different neighbouring ASes too (`always-compare-med`). Default false. */
  readonly alwaysCompareMed?: boolean;
  /** Group paths by neighbouring AS, pick each group's best with MED, then compare the winners (`deterministic-med`). Default false. */
  readonly deterministicMed?: boolean;
  /** A path without MED counts as the worst MED, 2^32-1 (`missing-as-worst`), instead of 0 (RFC 4271). Default false. */
  readonly missingMedAsWorst?: boolean;
  /** Skip the IGP cost step. Default false. */
  readonly ignoreIgpCost?: boolean;
  /** Compare BGP Identifiers (or ORIGINATOR_ID, RFC 4456 9). Default true. */
  readonly compareRouterId?: boolean;
  /** Prefer the shorter CLUSTER_LIST (RFC 4456 9). Default true. */
  readonly compareClusterListLength?: boolean;
  /** Most paths installed for ECMP (1 means no multipath). Default 1, at most 256. */
  readonly maximumPaths?: number;
  /**
   * Let multipath members have a different AS_PATH of the same length (`as-path multipath-relax`). When false, every
   * member has the best path's AS_PATH exactly. Default false.
   */
  readonly multipathRelax?: boolean;
}

/** {@link DecisionOptions} with every default filled in. */
export type ResolvedDecisionOptions = Required<DecisionOptions>;

/**
 * Fills in defaults and checks ranges.
 *
 * @throws {@link InvalidAttributeError} for a default local preference that is not a uint32 or a path count out of 1-256
 */
export function resolveDecisionOptions(options: DecisionOptions = {}): ResolvedDecisionOptions {
  const defaultLocalPreference = options.defaultLocalPreference ?? 100;
  if (!Number.isInteger(defaultLocalPreference) || defaultLocalPreference < 0 || defaultLocalPreference > 0xffffffff) {
    throw new InvalidAttributeError(
      'LOCAL_PREF',
      String(defaultLocalPreference),
      'default must be a uint32',
      'defaultLocalPreference',
    );
  }
  const maximumPaths = options.maximumPaths ?? 1;
  if (!Number.isInteger(maximumPaths) || maximumPaths < 1 || maximumPaths > 256) {
    throw new InvalidAttributeError('maximumPaths', String(maximumPaths), 'must be an integer 1-256', 'maximumPaths');
  }
  return {
    defaultLocalPreference,
    preferLocallyOriginated: options.preferLocallyOriginated ?? true,
    ignoreAsPathLength: options.ignoreAsPathLength ?? false,
    alwaysCompareMed: options.alwaysCompareMed ?? false,
    deterministicMed: options.deterministicMed ?? false,
    missingMedAsWorst: options.missingMedAsWorst ?? false,
    ignoreIgpCost: options.ignoreIgpCost ?? false,
    compareRouterId: options.compareRouterId ?? true,
    compareClusterListLength: options.compareClusterListLength ?? true,
    maximumPaths,
    multipathRelax: options.multipathRelax ?? false,
  };
}
