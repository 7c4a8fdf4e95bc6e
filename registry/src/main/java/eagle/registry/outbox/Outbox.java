package eagle.registry.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.contracts.RegistryEvent;
import eagle.contracts.Topics;
import eagle.registry.model.Alias;
import eagle.registry.model.AliasHistoryEntry;
import eagle.registry.model.EncoderModel;
import eagle.registry.model.Evaluation;
import eagle.registry.model.ModelVersion;
import eagle.registry.model.OutboxEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;

/**
 * The writing side of the transactional outbox (docs/ARCHITECTURE.md, Registry): every change of
 * the registry calls one of these methods inside the transaction that makes the change, so the
 * event exists exactly when the change does. {@link OutboxRelay} publishes the rows to {@link
 * Topics#REGISTRY_EVENTS}, key = model name.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Outbox {

    @Inject ObjectMapper mapper;

    public RegistryEvent modelCreated(EncoderModel m) {
        return write(
                new RegistryEvent(
                        newId(),
                        RegistryEvent.Type.MODEL_CREATED,
                        m.name,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        m.createdBy,
                        m.createdAt.toString()));
    }

    public RegistryEvent versionRegistered(ModelVersion v) {
        return write(
                new RegistryEvent(
                        newId(),
                        RegistryEvent.Type.VERSION_REGISTERED,
                        v.model.name,
                        v.number,
                        v.sha256,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        v.createdBy,
                        v.createdAt.toString()));
    }

    public RegistryEvent artifactStored(ModelVersion v, String actor) {
        return write(
                new RegistryEvent(
                        newId(),
                        RegistryEvent.Type.ARTIFACT_STORED,
                        v.model.name,
                        v.number,
                        v.sha256,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        actor,
                        v.artifactStoredAt.toString()));
    }

    public RegistryEvent evaluationRecorded(Evaluation e) {
        return write(
                new RegistryEvent(
                        newId(),
                        RegistryEvent.Type.EVALUATION_RECORDED,
                        e.version.model.name,
                        e.version.number,
                        e.version.sha256,
                        null,
                        null,
                        null,
                        null,
                        e.id.toString(),
                        e.passed,
                        e.createdBy,
                        e.createdAt.toString()));
    }

    public RegistryEvent aliasMoved(Alias alias, AliasHistoryEntry entry) {
        return write(
                new RegistryEvent(
                        newId(),
                        RegistryEvent.Type.ALIAS_MOVED,
                        alias.model.name,
                        null,
                        alias.version.sha256,
                        alias.name,
                        entry.fromNumber,
                        entry.toNumber,
                        entry.action == AliasHistoryEntry.Action.ROLLBACK,
                        entry.evaluationId == null ? null : entry.evaluationId.toString(),
                        null,
                        entry.movedBy,
                        entry.movedAt.toString()));
    }

    private RegistryEvent write(RegistryEvent event) {
        OutboxEvent row = new OutboxEvent();
        row.eventId = UUID.fromString(event.eventId());
        row.topic = Topics.REGISTRY_EVENTS;
        row.key = event.model();
        row.createdAt = Instant.now();
        try {
            row.payload = mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + event, e);
        }
        row.persist();
        return event;
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
