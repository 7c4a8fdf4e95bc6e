package eagle.registry.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A movable name ({@code production}, {@code candidate}, ...) that points at one version of a
 * model. Every move appends an {@link AliasHistoryEntry}; {@link #lockVersion} makes a lost update
 * impossible even outside the model row lock the moves take.
 */
@Entity
@Table(name = "alias")
public class Alias extends PanacheEntityBase {

    /** The alias whose target must have a passing evaluation. */
    public static final String PRODUCTION = "production";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "model_id")
    public EncoderModel model;

    @Column(nullable = false, length = 64)
    public String name;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "version_id")
    public ModelVersion version;

    @Version
    @Column(name = "lock_version", nullable = false)
    public long lockVersion;

    @Column(name = "updated_by", nullable = false, length = 128)
    public String updatedBy;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static Optional<Alias> of(EncoderModel model, String name) {
        return find("model = ?1 and name = ?2", model, name).firstResultOptional();
    }

    public static List<Alias> listOf(EncoderModel model) {
        return list("model = ?1 order by name", model);
    }
}
