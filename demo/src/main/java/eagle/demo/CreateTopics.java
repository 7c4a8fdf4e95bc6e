package eagle.demo;

import eagle.contracts.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the platform's topics on the demo broker before the services start (ingest waits for its
 * four; the samples topics must be compacted, docs/ARCHITECTURE.md, Events): annotations, samples
 * and held-out samples (compacted), dead letters, registry events and trainer candidates, one
 * partition each. Existing topics are left as they are, so a resumed demo can run it again.
 *
 * <pre>java -cp ... eagle.demo.CreateTopics localhost:19092</pre>
 */
public final class CreateTopics {

    /** Topic name → compacted. */
    static final Map<String, Boolean> TOPICS =
            Map.of(
                    Topics.ANNOTATIONS, false,
                    Topics.SAMPLES, true,
                    Topics.HELD_OUT_SAMPLES, true,
                    Topics.ANNOTATIONS_DLQ, false,
                    Topics.REGISTRY_EVENTS, false,
                    Topics.TRAINER_CANDIDATES, false);

    private CreateTopics() {}

    public static void main(String[] args) throws InterruptedException {
        String bootstrap = args.length > 0 ? args[0] : "localhost:19092";
        try {
            for (String created : create(bootstrap)) {
                System.out.println(
                        "created topic " + created + (TOPICS.get(created) ? " (compacted)" : ""));
            }
        } catch (ExecutionException e) {
            System.err.println("create topics: " + e.getCause());
            System.exit(1);
        }
    }

    /**
     * Creates the platform's topics (one partition each) that do not exist yet.
     *
     * @return the topics created by this call
     * @throws ExecutionException when the broker is unreachable or refuses a topic (its cause says
     *     why)
     */
    public static List<String> create(String bootstrap)
            throws InterruptedException, ExecutionException {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        List<String> created = new ArrayList<>();
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get();
            for (Map.Entry<String, Boolean> t : TOPICS.entrySet()) {
                if (existing.contains(t.getKey())) {
                    continue;
                }
                NewTopic topic = new NewTopic(t.getKey(), Optional.of(1), Optional.empty());
                if (t.getValue()) {
                    topic.configs(Map.of("cleanup.policy", "compact"));
                }
                try {
                    admin.createTopics(List.of(topic)).all().get();
                    created.add(t.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
        return created;
    }
}
