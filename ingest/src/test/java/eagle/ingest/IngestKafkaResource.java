package eagle.ingest;

import eagle.contracts.Topics;
import eagle.infra.KafkaTestResource;
import java.util.Map;

/** The shared real broker, with ingest's three topics created before the service starts. */
public class IngestKafkaResource extends KafkaTestResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        createTopic(Topics.ANNOTATIONS, 2, false);
        createTopic(Topics.SAMPLES, 2, true);
        createTopic(Topics.HELD_OUT_SAMPLES, 2, true);
        createTopic(Topics.ANNOTATIONS_DLQ, 1, false);
        return config;
    }
}
