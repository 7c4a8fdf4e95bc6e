package eagle.registry.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/**
 * A named encoder model: the thing whose versions, evaluations and aliases the registry keeps
 * (docs/ARCHITECTURE.md, Registry).
 */
@Entity
@Table(name = "encoder_model")
public class EncoderModel extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, unique = true, length = 64)
    public String name;

    @Column(length = 1024)
    public String description;

    @Column(name = "created_by", nullable = false, length = 128)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public static Optional<EncoderModel> byName(String name) {
        return find("name", name).firstResultOptional();
    }

    /**
     * The model row locked FOR UPDATE: serialises version numbering and alias moves of one model.
     */
    public static Optional<EncoderModel> byNameLocked(String name) {
        return find("name", name).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }
}
