package eagle.registry.service;

import eagle.registry.api.AliasView;
import eagle.registry.api.MoveAliasRequest;
import eagle.registry.api.RollbackRequest;
import eagle.registry.model.Alias;
import eagle.registry.model.AliasHistoryEntry;
import eagle.registry.model.EncoderModel;
import eagle.registry.model.Evaluation;
import eagle.registry.model.ModelVersion;
import eagle.registry.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Aliases and their append-only history (docs/ARCHITECTURE.md, Registry): promotion and rollback
 * are alias moves.
 *
 * <p>Rules, each refused with a 409 and a reason:
 *
 * <ul>
 *   <li>an alias points only at a READY version;
 *   <li>{@code production} points only at a version with a passing evaluation (blessed);
 *   <li>a move that names the version it expects the alias to point at now ({@code
 *       ifCurrentVersion}) fails when the alias points elsewhere, so of two writers that read the
 *       same state only one wins; every move takes the model row's lock, so moves of one model are
 *       serial and each history entry's {@code from} is the previous entry's {@code to};
 *   <li>rollback re-points to the most recent earlier entry whose version is blessed, skipping the
 *       current version and every version an earlier rollback moved away from.
 * </ul>
 */
@ApplicationScoped
public class AliasService {

    /**
     * The expectation of a guarded move: no guard, "the alias must not exist yet", or a version
     * number.
     */
    public record Expectation(boolean guarded, Integer version) {
        public static final Expectation NONE = new Expectation(false, null);
        public static final Expectation ABSENT = new Expectation(true, null);

        public static Expectation at(int version) {
            return new Expectation(true, version);
        }
    }

    @Inject Outbox outbox;

    @Inject RegistryMetrics metrics;

    @Transactional
    public AliasView move(
            String modelName,
            String aliasName,
            MoveAliasRequest req,
            Expectation expected,
            String actor) {
        if (req == null) {
            throw RegistryException.badRequest(
                    "MISSING_BODY", "a JSON body {version, reason, evaluationId} is required");
        }
        String name = Names.alias(aliasName);
        if (req.version() == null) {
            throw RegistryException.badRequest("MISSING_FIELD", "version is required");
        }
        String reason = Names.text("reason", req.reason(), Names.MAX_REASON);
        UUID evaluationId =
                req.evaluationId() == null ? null : EvaluationService.parseId(req.evaluationId());

        EncoderModel m = lockModel(modelName);
        ModelVersion target = VersionService.find(m, req.version());
        if (!target.isReady()) {
            throw RegistryException.conflict(
                    "VERSION_NOT_READY",
                    "version "
                            + target.number
                            + " of '"
                            + m.name
                            + "' has no verified artifact; an alias can only point at a READY version");
        }
        Evaluation evaluation = evaluation(m, name, target, evaluationId);

        Optional<Alias> existing = Alias.of(m, name);
        Integer current = existing.map(a -> a.version.number).orElse(null);
        if (expected.guarded() && !java.util.Objects.equals(expected.version(), current)) {
            throw RegistryException.conflict(
                    "ALIAS_CHANGED",
                    "alias '"
                            + name
                            + "' points at "
                            + (current == null
                                    ? "nothing (it does not exist)"
                                    : "version " + current)
                            + ", not at "
                            + (expected.version() == null
                                    ? "nothing"
                                    : "version " + expected.version())
                            + " as the request expected; another move won; re-read and retry");
        }
        if (current != null && current == target.number) {
            throw RegistryException.conflict(
                    "ALIAS_UNCHANGED", "alias '" + name + "' already points at version " + current);
        }
        return repoint(
                m,
                existing.orElse(null),
                name,
                target,
                AliasHistoryEntry.Action.MOVE,
                reason,
                evaluation == null ? null : evaluation.id,
                actor);
    }

    @Transactional
    public AliasView rollback(
            String modelName, String aliasName, RollbackRequest req, String actor) {
        if (req == null) {
            throw RegistryException.badRequest(
                    "MISSING_BODY", "a JSON body {reason, toVersion} is required");
        }
        String name = Names.alias(aliasName);
        String reason = Names.text("reason", req.reason(), Names.MAX_REASON);
        EncoderModel m = lockModel(modelName);
        Alias alias = Alias.of(m, name).orElseThrow(() -> unknownAlias(m, name));
        int current = alias.version.number;

        List<AliasHistoryEntry> history = AliasHistoryEntry.of(alias);
        Set<Integer> excluded = new HashSet<>();
        excluded.add(current);
        for (int i = history.size() - 1; i >= 0; i--) {
            AliasHistoryEntry e = history.get(i);
            if (!excluded.contains(e.toNumber)
                    && (req.toVersion() == null || req.toVersion() == e.toNumber)) {
                ModelVersion candidate = VersionService.find(m, e.toNumber);
                Optional<Evaluation> blessing =
                        e.evaluationId != null
                                ? Evaluation.<Evaluation>findByIdOptional(e.evaluationId)
                                        .filter(ev -> ev.passed)
                                : Evaluation.latestPassing(candidate);
                if (blessing.isEmpty()) {
                    blessing = Evaluation.latestPassing(candidate);
                }
                if (blessing.isPresent() && candidate.isReady()) {
                    return repoint(
                            m,
                            alias,
                            name,
                            candidate,
                            AliasHistoryEntry.Action.ROLLBACK,
                            reason,
                            blessing.get().id,
                            actor);
                }
            }
            if (e.action == AliasHistoryEntry.Action.ROLLBACK && e.fromNumber != null) {
                excluded.add(
                        e.fromNumber); // never roll "back" onto a version that was rolled back from
            }
        }
        throw RegistryException.conflict(
                "NO_ROLLBACK_TARGET",
                req.toVersion() == null
                        ? "alias '"
                                + name
                                + "' has no earlier blessed entry in its history to roll back to"
                        : "version "
                                + req.toVersion()
                                + " is not an earlier blessed entry of alias '"
                                + name
                                + "' (current version "
                                + current
                                + ", versions rolled back from are skipped)");
    }

    /** Where the alias points now. */
    @Transactional
    public AliasView current(String modelName, String aliasName) {
        EncoderModel m = VersionService.find(modelName);
        String name = Names.alias(aliasName);
        Alias alias = Alias.of(m, name).orElseThrow(() -> unknownAlias(m, name));
        List<AliasHistoryEntry> history = AliasHistoryEntry.of(alias);
        return view(m, alias, history.get(history.size() - 1));
    }

    /**
     * Where the alias pointed at time {@code at}: the latest history entry made at or before it.
     */
    @Transactional
    public AliasView at(String modelName, String aliasName, Instant at) {
        EncoderModel m = VersionService.find(modelName);
        String name = Names.alias(aliasName);
        Alias alias = Alias.of(m, name).orElseThrow(() -> unknownAlias(m, name));
        AliasHistoryEntry entry =
                AliasHistoryEntry.inForceAt(alias, at)
                        .orElseThrow(
                                () ->
                                        RegistryException.notFound(
                                                "ALIAS_NOT_SET_AT",
                                                "alias '"
                                                        + name
                                                        + "' of '"
                                                        + m.name
                                                        + "' did not point anywhere at "
                                                        + at));
        return view(m, alias, entry);
    }

    @Transactional
    public List<AliasHistoryEntry> history(String modelName, String aliasName) {
        EncoderModel m = VersionService.find(modelName);
        String name = Names.alias(aliasName);
        return AliasHistoryEntry.of(Alias.of(m, name).orElseThrow(() -> unknownAlias(m, name)));
    }

    @Transactional
    public List<AliasView> aliases(String modelName) {
        EncoderModel m = VersionService.find(modelName);
        return Alias.listOf(m).stream()
                .map(
                        a -> {
                            List<AliasHistoryEntry> h = AliasHistoryEntry.of(a);
                            return view(m, a, h.get(h.size() - 1));
                        })
                .toList();
    }

    private Evaluation evaluation(
            EncoderModel m, String alias, ModelVersion target, UUID evaluationId) {
        Evaluation evaluation = null;
        if (evaluationId != null) {
            evaluation = Evaluation.findById(evaluationId);
            if (evaluation == null || !evaluation.version.id.equals(target.id)) {
                throw RegistryException.conflict(
                        "EVALUATION_MISMATCH",
                        "evaluation "
                                + evaluationId
                                + " is not an evaluation of version "
                                + target.number
                                + " of '"
                                + m.name
                                + "'");
            }
        }
        if (Alias.PRODUCTION.equals(alias)) {
            if (evaluation != null && !evaluation.passed) {
                throw RegistryException.conflict(
                        "NOT_BLESSED",
                        "evaluation "
                                + evaluationId
                                + " of version "
                                + target.number
                                + " did not pass; only a version with a passing evaluation can become "
                                + Alias.PRODUCTION);
            }
            if (evaluation == null) {
                evaluation =
                        Evaluation.latestPassing(target)
                                .orElseThrow(
                                        () ->
                                                RegistryException.conflict(
                                                        "NOT_BLESSED",
                                                        "version "
                                                                + target.number
                                                                + " of '"
                                                                + m.name
                                                                + "' has no passing evaluation;"
                                                                + " only a version with a passing evaluation can become "
                                                                + Alias.PRODUCTION));
            }
        }
        return evaluation;
    }

    private AliasView repoint(
            EncoderModel m,
            Alias alias,
            String name,
            ModelVersion target,
            AliasHistoryEntry.Action action,
            String reason,
            UUID evaluationId,
            String actor) {
        Instant now = Now.micros();
        Integer from = null;
        if (alias == null) {
            alias = new Alias();
            alias.model = m;
            alias.name = name;
        } else {
            from = alias.version.number;
        }
        alias.version = target;
        alias.updatedBy = actor;
        alias.updatedAt = now;
        alias.persist();

        AliasHistoryEntry entry = new AliasHistoryEntry();
        entry.alias = alias;
        entry.fromNumber = from;
        entry.toNumber = target.number;
        entry.action = action;
        entry.movedBy = actor;
        entry.reason = reason;
        entry.evaluationId = evaluationId;
        entry.movedAt = now;
        entry.persist();
        AliasHistoryEntry.flush(); // optimistic-lock and unique-name failures surface here as 409s
        outbox.aliasMoved(alias, entry);
        metrics.aliasMoved(name, action);
        return view(m, alias, entry);
    }

    private static AliasView view(EncoderModel m, Alias alias, AliasHistoryEntry entry) {
        ModelVersion v = VersionService.find(m, entry.toNumber);
        return new AliasView(
                m.name,
                alias.name,
                v.number,
                v.sha256,
                entry.id,
                entry.movedAt,
                entry.movedBy,
                entry.reason,
                entry.evaluationId == null ? null : entry.evaluationId.toString());
    }

    private static EncoderModel lockModel(String modelName) {
        return EncoderModel.byNameLocked(Names.model(modelName))
                .orElseThrow(() -> VersionService.unknownModel(modelName));
    }

    private static RegistryException unknownAlias(EncoderModel m, String name) {
        return RegistryException.notFound(
                "UNKNOWN_ALIAS", "model '" + m.name + "' has no alias '" + name + "'");
    }
}
