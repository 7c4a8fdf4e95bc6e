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
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One append-only entry of an alias's history: from which version to which, who, why, on which
 * evaluation, when. "What did alias A point at, at time T?" is the latest entry with {@code movedAt
 * <= T}. The table has a trigger that rejects updates and deletes.
 */
@Entity
@Table(name = "alias_history")
public class AliasHistoryEntry extends PanacheEntityBase {

    /** How the entry came about. */
    public enum Action {
        MOVE,
        ROLLBACK
    }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "alias_id")
    public Alias alias;

    @Column(name = "from_number")
    public Integer fromNumber;

    @Column(name = "to_number", nullable = false)
    public int toNumber;

    @Column(nullable = false, length = 16)
    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    public Action action;

    @Column(name = "moved_by", nullable = false, length = 128)
    public String movedBy;

    @Column(nullable = false, length = 1024)
    public String reason;

    @Column(name = "evaluation_id")
    public UUID evaluationId;

    @Column(name = "moved_at", nullable = false)
    public Instant movedAt;

    /** Oldest first. */
    public static List<AliasHistoryEntry> of(Alias alias) {
        return list("alias = ?1 order by id", alias);
    }

    /**
     * The entry in force at {@code at}: the latest with movedAt <= at (ties broken by insertion
     * order).
     */
    public static Optional<AliasHistoryEntry> inForceAt(Alias alias, Instant at) {
        return find("alias = ?1 and movedAt <= ?2 order by movedAt desc, id desc", alias, at)
                .firstResultOptional();
    }
}
