package eagle.trainer;

import eagle.infra.DevJwt;
import eagle.infra.KafkaTestResource;
import eagle.infra.RegistryProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The real registry for the end-to-end test ({@link RegistryProcess}: its packaged fast-jar on the
 * shared test PostgreSQL, database {@code registry}, and Kafka); a DEV-ONLY token minted with the
 * registry's dev key pair; a tiny base encoder and a blob store for the trainer.
 */
public class RegistryProcessResource implements QuarkusTestResourceLifecycleManager {

    static final String TOPIC = "e2e-samples";
    static final String CANDIDATES = "e2e-candidates";
    static final String MODEL = "e2e-encoder";

    private static RegistryProcess registry;
    static String url;
    static String token;
    static Path work;

    @Override
    public Map<String, String> start() {
        try {
            work = Path.of("target", "e2e-" + System.nanoTime()).toAbsolutePath();
            TestWorld.writeBase(work.resolve("base"));
            String kafka = KafkaTestResource.bootstrapServers();
            KafkaTestResource.createTopic(TOPIC, 2, false);
            registry = RegistryProcess.start("registry", work.resolve("registry.log"));
            url = registry.url();
            token = DevJwt.mint("eagle-trainer", "registry.read", "registry.register");
            Map<String, String> config = new HashMap<>();
            config.put("eagle.trainer.registry.url", url);
            config.put("eagle.trainer.registry.token", token);
            config.put("eagle.trainer.registry.model", MODEL);
            config.put("eagle.trainer.topic", TOPIC);
            config.put("eagle.trainer.candidates-topic", CANDIDATES);
            config.put("eagle.trainer.group-id", "e2e-trainer");
            config.put("eagle.trainer.state-dir", work.resolve("state").toString());
            config.put("eagle.trainer.blob-root", work.resolve("blobs").toString());
            config.put("eagle.trainer.base-dir", work.resolve("base").toString());
            config.put("eagle.trainer.round.min-samples", "6");
            config.put("eagle.trainer.round.min-classes", "2");
            config.put("eagle.trainer.round.steps", "3");
            config.put("eagle.trainer.round.batch", "4");
            config.put("eagle.trainer.round.rank", "8");
            config.put("eagle.trainer.poll-ms", "100");
            config.put("kafka.bootstrap.servers", kafka);
            return config;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (registry != null) {
            registry.close();
        }
    }
}
