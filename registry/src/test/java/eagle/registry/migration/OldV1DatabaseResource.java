package eagle.registry.migration;

import eagle.infra.SharedInfra;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points a {@code @QuarkusTest} registry at a database migrated with the old V1. */
public class OldV1DatabaseResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return SharedInfra.postgresConfig(OldV1Database.beforeTheCommentChange("registry_old_v1"));
    }

    @Override
    public void stop() {
        // the shared server stays up for the JVM's other tests
    }
}
