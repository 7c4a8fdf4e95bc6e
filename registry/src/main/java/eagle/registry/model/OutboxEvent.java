package eagle.registry.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One row of the transactional outbox: an event written with the change, published later by the
 * relay.
 */
@Entity
@Table(name = "outbox")
public class OutboxEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "event_id", nullable = false, unique = true)
    public UUID eventId;

    @Column(nullable = false, length = 249)
    public String topic;

    @Column(name = "msg_key", nullable = false, length = 256)
    public String key;

    @Column(nullable = false, columnDefinition = "text")
    public String payload;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "sent_at")
    public Instant sentAt;

    /** Unsent rows in the order they were written. */
    public static List<OutboxEvent> unsent(int limit) {
        return find("sentAt is null order by id").page(0, limit).list();
    }

    public static long pending() {
        return count("sentAt is null");
    }

    /** When the oldest unsent row was written, null when every row was sent. */
    public static Instant oldestUnsent() {
        return find("sentAt is null order by id")
                .firstResultOptional()
                .map(e -> ((OutboxEvent) e).createdAt)
                .orElse(null);
    }
}
