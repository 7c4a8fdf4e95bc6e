package eagle.registry.migration;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/** Adds the registry's Flyway callbacks to those of the migration Quarkus runs at start. */
@Singleton
public class RegistryMigrations implements FlywayConfigurationCustomizer {

    @Override
    public void customize(FluentConfiguration configuration) {
        List<Callback> callbacks = new ArrayList<>(List.of(configuration.getCallbacks()));
        callbacks.add(ChecksumMove.V1_COMMENT);
        configuration.callbacks(callbacks.toArray(Callback[]::new));
    }
}
