package eagle.registry.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One immutable version of an encoder model (docs/ARCHITECTURE.md, Registry): number per model,
 * parent version, artifact sha256 and size, format, architecture config, training run with its data
 * manifest, who registered it and when. Only {@link #status} changes, once, from PENDING_ARTIFACT
 * to READY (a database trigger rejects any other update).
 */
@Entity
@Table(name = "model_version")
public class ModelVersion extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "model_id")
    public EncoderModel model;

    @Column(nullable = false)
    public int number;

    @Column(name = "parent_number")
    public Integer parentNumber;

    @Column(nullable = false, length = 64)
    public String sha256;

    @Column(name = "size_bytes", nullable = false)
    public long sizeBytes;

    @Column(nullable = false, length = 32)
    public String format;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public Map<String, Object> architecture;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "training_run", columnDefinition = "jsonb")
    public Map<String, Object> trainingRun;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 24)
    public VersionStatus status;

    @Column(name = "created_by", nullable = false, length = 128)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "artifact_stored_at")
    public Instant artifactStoredAt;

    public boolean isReady() {
        return status == VersionStatus.READY;
    }

    public static Optional<ModelVersion> of(EncoderModel model, int number) {
        return find("model = ?1 and number = ?2", model, number).firstResultOptional();
    }

    public static Optional<ModelVersion> bySha256(EncoderModel model, String sha256) {
        return find("model = ?1 and sha256 = ?2", model, sha256).firstResultOptional();
    }

    public static List<ModelVersion> listOf(EncoderModel model) {
        return list("model = ?1 order by number", model);
    }

    public static int nextNumber(EncoderModel model) {
        Integer max =
                getEntityManager()
                        .createQuery(
                                "select max(v.number) from ModelVersion v where v.model = ?1",
                                Integer.class)
                        .setParameter(1, model)
                        .getSingleResult();
        return max == null ? 1 : max + 1;
    }
}
