package eagle.evaluator.service;

import eagle.client.AliasTarget;
import eagle.client.RegistryClient;
import eagle.client.RegistryRefusedException;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Moves of the {@code production} alias (docs/ARCHITECTURE.md, Registry): a guarded promotion that
 * is refused when production moved since the baseline was resolved, a rollback after a failed
 * re-check, and the operator's rollback. Refusals of the registry become outcomes, except the
 * operator's (its caller reports them); an unavailable registry is an exception (the caller
 * retries).
 */
public final class ProductionAlias {

    private static final Logger LOG = Logger.getLogger(ProductionAlias.class);

    public static final String NAME = RegistryClient.PRODUCTION;

    private final RegistryClient registry;

    public ProductionAlias(RegistryClient registry) {
        this.registry = registry;
    }

    /** Where production points now; empty when it points nowhere yet. */
    public Optional<AliasTarget> current(String model) {
        return registry.alias(model, NAME);
    }

    /** Moves production to {@code version} only if it still points at {@code baselineVersion}. */
    public Outcome promote(
            String model, int version, Integer baselineVersion, String evaluationId) {
        try {
            AliasTarget t =
                    registry.moveAlias(
                            model,
                            NAME,
                            version,
                            baselineVersion,
                            "blessed by evaluation "
                                    + evaluationId
                                    + " against "
                                    + (baselineVersion == null
                                            ? "no baseline"
                                            : "baseline v" + baselineVersion),
                            evaluationId);
            LOG.infof("%s: production moved to v%d", model, t.version());
            return new Outcome(Outcome.Status.PROMOTED, evaluationId, t.version(), "blessed");
        } catch (RegistryRefusedException e) {
            return new Outcome(
                    Outcome.Status.BLESSED_NOT_PROMOTED,
                    evaluationId,
                    baselineVersion,
                    "blessed, but the move was refused: " + e.getMessage());
        }
    }

    /**
     * Rolls production back from {@code version} (a failed re-check) to the previous blessed
     * version.
     */
    public Outcome rollBackFrom(String model, int version, String evaluationId, String reason) {
        try {
            AliasTarget t = registry.rollback(model, NAME, reason, null);
            LOG.warnf(
                    "%s: production rolled back from v%d to v%d: %s",
                    model, version, t.version(), reason);
            return new Outcome(Outcome.Status.ROLLED_BACK, evaluationId, t.version(), reason);
        } catch (RegistryRefusedException e) {
            LOG.errorf(
                    "%s: re-check of v%d failed but rollback was refused: %s",
                    model, version, e.getMessage());
            return new Outcome(
                    Outcome.Status.ROLLBACK_REFUSED,
                    evaluationId,
                    version,
                    reason + "; rollback refused: " + e.getMessage());
        }
    }

    /**
     * The operator's rollback: to the previous blessed entry of the history, or to {@code
     * toVersion}.
     */
    public Outcome operatorRollback(String model, String reason, Integer toVersion) {
        AliasTarget t = registry.rollback(model, NAME, reason, toVersion);
        return new Outcome(Outcome.Status.ROLLED_BACK, null, t.version(), reason);
    }
}
