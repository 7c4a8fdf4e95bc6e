package eagle.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * One change in the model registry (docs/ARCHITECTURE.md, Registry and Events), published on {@link
 * Topics#REGISTRY_EVENTS} with the model name as key, so the changes of one model arrive in the
 * order they were made. Schema: {@code schemas/registry-event.v1.json}.
 *
 * <p>Delivery is at least once (the registry's outbox relay may publish an event again after a
 * crash); consumers deduplicate on {@link #eventId()}. Fields that do not apply to a type are
 * absent (null).
 *
 * @param eventId unique id of this event (UUID), stable across redeliveries
 * @param type what changed
 * @param model model name (also the record key)
 * @param version the version concerned (VERSION_REGISTERED, ARTIFACT_STORED, EVALUATION_RECORDED)
 * @param sha256 artifact digest of {@code version} or of {@code to} (hex, 64 characters)
 * @param alias alias name (ALIAS_MOVED)
 * @param from version the alias pointed at before the move; null when it was created
 * @param to version the alias points at after the move
 * @param rollback true when an ALIAS_MOVED was a rollback to an earlier blessed entry
 * @param evaluationId evaluation recorded, or the evaluation a move relied on (UUID)
 * @param passed the overall verdict of an EVALUATION_RECORDED
 * @param actor the authenticated principal who made the change
 * @param at when the registry made the change, ISO-8601 UTC ({@code Instant.toString()})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegistryEvent(
        String eventId,
        Type type,
        String model,
        Integer version,
        String sha256,
        String alias,
        Integer from,
        Integer to,
        Boolean rollback,
        String evaluationId,
        Boolean passed,
        String actor,
        String at) {

    /** Kinds of registry change. */
    public enum Type {
        /** a model name was created */
        MODEL_CREATED,
        /** a version's metadata was registered; its artifact is not stored yet */
        VERSION_REGISTERED,
        /** the version's artifact is stored whole and its digest verified: the version is usable */
        ARTIFACT_STORED,
        /** an evaluation (metrics, thresholds, per-slice verdicts) was recorded for a version */
        EVALUATION_RECORDED,
        /**
         * an alias was created or re-pointed (promotion, or rollback when {@code rollback} is true)
         */
        ALIAS_MOVED
    }

    public RegistryEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(at, "at");
    }
}
