package eagle.registry.service;

import eagle.registry.model.AliasHistoryEntry;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.Locale;

/**
 * The registry's domain counters (Prometheus at {@code /q/metrics}; docs/ARCHITECTURE.md,
 * Registry), counted when the transaction that made the change commits (a refused or rolled-back
 * change counts nothing): {@code registry.versions.registered} and {@code registry.alias.moves}
 * tagged {@code alias} and {@code action} (move, rollback). The outbox's meters are {@link
 * eagle.registry.outbox.OutboxRelay}'s.
 */
@ApplicationScoped
public class RegistryMetrics {

    public static final String VERSIONS_REGISTERED = "registry.versions.registered";
    public static final String ALIAS_MOVES = "registry.alias.moves";

    private final MeterRegistry meters;
    private final TransactionSynchronizationRegistry transactions;

    public RegistryMetrics(MeterRegistry meters, TransactionSynchronizationRegistry transactions) {
        this.meters = meters;
        this.transactions = transactions;
        meters.counter(VERSIONS_REGISTERED);
    }

    /** A new version was written in the current transaction. */
    void versionRegistered() {
        afterCommit(() -> meters.counter(VERSIONS_REGISTERED).increment());
    }

    /** An alias was moved in the current transaction. */
    void aliasMoved(String alias, AliasHistoryEntry.Action action) {
        String a = action.name().toLowerCase(Locale.ROOT);
        afterCommit(() -> meters.counter(ALIAS_MOVES, "alias", alias, "action", a).increment());
    }

    private void afterCommit(Runnable count) {
        transactions.registerInterposedSynchronization(
                new Synchronization() {
                    @Override
                    public void beforeCompletion() {}

                    @Override
                    public void afterCompletion(int status) {
                        if (status == Status.STATUS_COMMITTED) {
                            count.run();
                        }
                    }
                });
    }
}
