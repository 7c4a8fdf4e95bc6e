package eagle.registry.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * An evaluation of one version against a versioned suite (docs/METHOD.md §6 and
 * docs/ARCHITECTURE.md, Registry): every metric value, the thresholds applied, the baseline version
 * they were compared with, a verdict per slice and the overall verdict (false when any slice
 * failed). Append-only.
 */
@Entity
@Table(name = "evaluation")
public class Evaluation extends PanacheEntityBase {

    @Id public UUID id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "version_id")
    public ModelVersion version;

    @Column(name = "suite_id", nullable = false, length = 128)
    public String suiteId;

    @Column(name = "baseline_number")
    public Integer baselineNumber;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public Map<String, Object> metrics;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public Map<String, Object> thresholds;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public List<Map<String, Object>> slices;

    @Column(nullable = false)
    public boolean passed;

    @Column(name = "report_url", length = 2048)
    public String reportUrl;

    @Column(name = "created_by", nullable = false, length = 128)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public static List<Evaluation> of(ModelVersion version) {
        return list("version = ?1 order by createdAt, id", version);
    }

    /** The most recent passing evaluation of the version: what "blessed" means. */
    public static Optional<Evaluation> latestPassing(ModelVersion version) {
        return find("version = ?1 and passed = true order by createdAt desc", version)
                .firstResultOptional();
    }
}
