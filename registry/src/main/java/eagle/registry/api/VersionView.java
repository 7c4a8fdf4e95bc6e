package eagle.registry.api;

import eagle.registry.model.ModelVersion;
import eagle.registry.model.VersionStatus;
import java.time.Instant;
import java.util.Map;

/** A version as the API shows it; {@code status} READY means its artifact is whole and verified. */
public record VersionView(
        String model,
        int version,
        Integer parentVersion,
        String sha256,
        long sizeBytes,
        String format,
        Map<String, Object> architecture,
        Map<String, Object> trainingRun,
        VersionStatus status,
        String createdBy,
        Instant createdAt,
        Instant artifactStoredAt) {

    public static VersionView of(ModelVersion v) {
        return new VersionView(
                v.model.name,
                v.number,
                v.parentNumber,
                v.sha256,
                v.sizeBytes,
                v.format,
                v.architecture,
                v.trainingRun,
                v.status,
                v.createdBy,
                v.createdAt,
                v.artifactStoredAt);
    }
}
