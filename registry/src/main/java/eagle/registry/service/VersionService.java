package eagle.registry.service;

import eagle.contracts.OffsetRange;
import eagle.registry.RegistrySettings;
import eagle.registry.api.CreateModelRequest;
import eagle.registry.api.RegisterVersionRequest;
import eagle.registry.api.TrainingRun;
import eagle.registry.model.EncoderModel;
import eagle.registry.model.ModelVersion;
import eagle.registry.model.VersionStatus;
import eagle.registry.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Models and their immutable versions (docs/ARCHITECTURE.md, Registry). Version numbers are
 * assigned per model under the model row's lock, so concurrent registrations get consecutive
 * numbers; registering a digest the model already has returns the existing version (idempotent); a
 * version whose architecture differs from its parent's ({@link ArchitectureComparison}) is refused
 * with 409 and nothing is stored.
 */
@ApplicationScoped
public class VersionService {

    /** Artifact formats the registry accepts. */
    public static final Set<String> FORMATS = Set.of("safetensors");

    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    @Inject Outbox outbox;

    @Inject RegistryMetrics metrics;

    @Inject RegistrySettings settings;

    /** A registration's outcome: the version, and whether this call created it. */
    public record Registration(ModelVersion version, boolean created) {}

    @Transactional
    public EncoderModel createModel(CreateModelRequest req, String actor) {
        if (req == null) {
            throw RegistryException.badRequest(
                    "MISSING_BODY", "a JSON body {name, description} is required");
        }
        String name = Names.model(req.name());
        String description =
                Names.optionalText("description", req.description(), Names.MAX_DESCRIPTION);
        if (EncoderModel.byName(name).isPresent()) {
            throw RegistryException.conflict("MODEL_EXISTS", "model '" + name + "' already exists");
        }
        EncoderModel m = new EncoderModel();
        m.name = name;
        m.description = description;
        m.createdBy = actor;
        m.createdAt = Now.micros();
        m.persist();
        EncoderModel.flush(); // a concurrent creator fails here on the unique name, mapped to 409
        outbox.modelCreated(m);
        return m;
    }

    @Transactional
    public EncoderModel model(String name) {
        return find(name);
    }

    @Transactional
    public List<EncoderModel> models() {
        return EncoderModel.list("order by name");
    }

    @Transactional
    public Registration register(String modelName, RegisterVersionRequest req, String actor) {
        if (req == null) {
            throw RegistryException.badRequest(
                    "MISSING_BODY", "a JSON body describing the version is required");
        }
        String sha256 = Names.sha256(req.sha256());
        if (req.sizeBytes() == null || req.sizeBytes() < 0) {
            throw RegistryException.badRequest(
                    "INVALID_SIZE", "sizeBytes is required and must be >= 0");
        }
        long maxArtifactBytes = settings.artifact().maxBytes();
        if (req.sizeBytes() > maxArtifactBytes) {
            throw RegistryException.tooLarge(
                    "ARTIFACT_TOO_LARGE",
                    "sizeBytes "
                            + req.sizeBytes()
                            + " exceeds the registry's limit of "
                            + maxArtifactBytes);
        }
        if (req.format() == null || !FORMATS.contains(req.format())) {
            throw RegistryException.badRequest(
                    "INVALID_FORMAT",
                    "format must be one of " + FORMATS + ", got '" + req.format() + "'");
        }
        if (req.architecture() == null || req.architecture().isEmpty()) {
            throw RegistryException.badRequest(
                    "MISSING_FIELD", "architecture (a non-empty JSON object) is required");
        }
        Map<String, Object> trainingRun = trainingRun(req.trainingRun());

        EncoderModel m =
                EncoderModel.byNameLocked(Names.model(modelName))
                        .orElseThrow(() -> unknownModel(modelName));
        var existing = ModelVersion.bySha256(m, sha256);
        if (existing.isPresent()) {
            ModelVersion v = existing.get();
            if (v.sizeBytes != req.sizeBytes()
                    || !v.format.equals(req.format())
                    || !Objects.equals(v.parentNumber, req.parentVersion())) {
                throw RegistryException.conflict(
                        "DIGEST_REGISTERED_DIFFERENTLY",
                        "sha256 "
                                + sha256
                                + " is already version "
                                + v.number
                                + " of '"
                                + m.name
                                + "' with sizeBytes "
                                + v.sizeBytes
                                + ", format "
                                + v.format
                                + ", parentVersion "
                                + v.parentNumber);
            }
            return new Registration(v, false);
        }
        if (req.parentVersion() != null) {
            ModelVersion parent =
                    ModelVersion.of(m, req.parentVersion())
                            .orElseThrow(
                                    () ->
                                            RegistryException.unprocessable(
                                                    "UNKNOWN_PARENT",
                                                    "parentVersion "
                                                            + req.parentVersion()
                                                            + " does not exist in model '"
                                                            + m.name
                                                            + "'"));
            ArchitectureComparison.firstDifference(req.architecture(), parent.architecture)
                    .ifPresent(
                            difference -> {
                                throw RegistryException.conflict(
                                        "ARCHITECTURE_MISMATCH",
                                        "the architecture differs from parent version "
                                                + parent.number
                                                + "'s (this version's value != the parent's): "
                                                + difference
                                                + "; a version keeps"
                                                + " its parent's family, config and tokenizer");
                            });
        }
        ModelVersion v = new ModelVersion();
        v.model = m;
        v.number = ModelVersion.nextNumber(m);
        v.parentNumber = req.parentVersion();
        v.sha256 = sha256;
        v.sizeBytes = req.sizeBytes();
        v.format = req.format();
        v.architecture = req.architecture();
        v.trainingRun = trainingRun;
        v.status = VersionStatus.PENDING_ARTIFACT;
        v.createdBy = actor;
        v.createdAt = Now.micros();
        v.persist();
        outbox.versionRegistered(v);
        metrics.versionRegistered();
        return new Registration(v, true);
    }

    @Transactional
    public ModelVersion version(String modelName, int number) {
        return find(find(modelName), number);
    }

    @Transactional
    public List<ModelVersion> versions(String modelName) {
        return ModelVersion.listOf(find(modelName));
    }

    static EncoderModel find(String modelName) {
        return EncoderModel.byName(Names.model(modelName))
                .orElseThrow(() -> unknownModel(modelName));
    }

    static ModelVersion find(EncoderModel m, int number) {
        return ModelVersion.of(m, number)
                .orElseThrow(
                        () ->
                                RegistryException.notFound(
                                        "UNKNOWN_VERSION",
                                        "model '" + m.name + "' has no version " + number));
    }

    static RegistryException unknownModel(String name) {
        return RegistryException.notFound("UNKNOWN_MODEL", "no model named '" + name + "'");
    }

    private static Map<String, Object> trainingRun(TrainingRun run) {
        if (run == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("runId", Names.optionalText("trainingRun.runId", run.runId(), 256));
        out.put("parameters", run.parameters() == null ? Map.of() : run.parameters());
        List<Map<String, Object>> manifest = new ArrayList<>();
        List<OffsetRange> ranges = run.dataManifest() == null ? List.of() : run.dataManifest();
        for (int i = 0; i < ranges.size(); i++) {
            OffsetRange r = ranges.get(i);
            String at = "trainingRun.dataManifest[" + i + "]";
            if (r == null || r.topic() == null || !TOPIC.matcher(r.topic()).matches()) {
                throw RegistryException.badRequest(
                        "INVALID_MANIFEST", at + ".topic must be a Kafka topic name");
            }
            if (r.partition() == null || r.partition() < 0) {
                throw RegistryException.badRequest(
                        "INVALID_MANIFEST", at + ".partition must be >= 0");
            }
            if (r.fromOffset() == null
                    || r.untilOffset() == null
                    || r.fromOffset() < 0
                    || r.untilOffset() < r.fromOffset()) {
                throw RegistryException.badRequest(
                        "INVALID_MANIFEST",
                        at
                                + " needs 0 <= fromOffset <= untilOffset, got ["
                                + r.fromOffset()
                                + ", "
                                + r.untilOffset()
                                + ")");
            }
            Map<String, Object> range = new LinkedHashMap<>();
            range.put("topic", r.topic());
            range.put("partition", r.partition());
            range.put("fromOffset", r.fromOffset());
            range.put("untilOffset", r.untilOffset());
            manifest.add(range);
        }
        out.put("dataManifest", manifest);
        return out;
    }
}
