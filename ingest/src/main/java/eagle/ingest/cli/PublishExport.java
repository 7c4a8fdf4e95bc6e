package eagle.ingest.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.contracts.AnnotationEvent;
import eagle.contracts.Topics;
import eagle.ingest.convert.CocoInstancesConverter;
import eagle.ingest.convert.CvatConverter;
import eagle.ingest.convert.ExportDefaults;
import eagle.ingest.convert.FileImageResolver;
import eagle.ingest.convert.ImageResolver;
import eagle.ingest.convert.LabelStudioConverter;
import eagle.ingest.convert.OpenImagesConverter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes an annotation tool's export to {@code eagle.annotations.v1}, as the tool would:
 *
 * <pre>
 * PublishExport --format coco|labelstudio|cvat|openimages --bootstrap host:port
 *               [--topic eagle.annotations.v1] [--images dir] [--masks dir] [--classes csv]
 *               [--annotator name] [--id-prefix p] file
 * </pre>
 *
 * {@code --images}: where relative image references resolve (default: the export's folder); {@code
 * --masks}, {@code --classes}: OpenImages mask PNG folder (default {@code <images>/masks}) and
 * class-descriptions CSV. Exit status 0 with the number of published events on stdout; 2 for bad
 * usage.
 */
public final class PublishExport {

    private PublishExport() {}

    public static void main(String[] args) throws Exception {
        try {
            System.out.println(run(args) + " annotation events published");
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(
                    "usage: PublishExport --format coco|labelstudio|cvat|openimages --bootstrap host:port "
                            + "[--topic t] [--images dir] [--masks dir] [--classes csv] [--annotator name] [--id-prefix p] file");
            System.exit(2);
        } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
            // a missing export or image file: the path, not a stack trace; nothing was published
            System.err.println("no such file: " + e.getMessage() + " (nothing was published)");
            System.exit(2);
        }
    }

    /** Parses the arguments, converts the export and publishes it; returns the number of events. */
    public static int run(String[] args)
            throws IOException, InterruptedException, ExecutionException {
        Map<String, String> options = new HashMap<>();
        String file = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + args[i] + " needs a value");
                }
                options.put(args[i].substring(2), args[++i]);
            } else {
                file = args[i];
            }
        }
        if (file == null || !options.containsKey("format") || !options.containsKey("bootstrap")) {
            throw new IllegalArgumentException(
                    "--format, --bootstrap and the export file are required");
        }
        Path export = Path.of(file).toAbsolutePath();
        List<AnnotationEvent> events = convert(options.get("format"), export, options);
        try (KafkaProducer<String, byte[]> producer = producer(options.get("bootstrap"))) {
            publish(events, producer, options.getOrDefault("topic", Topics.ANNOTATIONS));
        }
        return events.size();
    }

    /** The events of an export, without publishing them. */
    public static List<AnnotationEvent> convert(
            String format, Path export, Map<String, String> options) throws IOException {
        Path images = Path.of(options.getOrDefault("images", export.getParent().toString()));
        ImageResolver resolver = new FileImageResolver(images);
        ExportDefaults defaults =
                new ExportDefaults(
                        options.getOrDefault("id-prefix", ""),
                        options.getOrDefault("annotator", format),
                        Instant.now().toString());
        return switch (format) {
            case "coco" -> new CocoInstancesConverter().convert(export, resolver, defaults);
            case "labelstudio" -> new LabelStudioConverter().convert(export, resolver, defaults);
            case "cvat" -> new CvatConverter().convert(export, resolver, defaults);
            case "openimages" ->
                    new OpenImagesConverter(
                                    Path.of(
                                            options.getOrDefault(
                                                    "masks", images.resolve("masks").toString())),
                                    options.containsKey("classes")
                                            ? Path.of(options.get("classes"))
                                            : null)
                            .convert(export, resolver, defaults);
            default -> throw new IllegalArgumentException("unknown format " + format);
        };
    }

    /** Sends every event keyed by its image id and waits until all are acknowledged. */
    public static void publish(
            List<AnnotationEvent> events, KafkaProducer<String, byte[]> producer, String topic)
            throws IOException, InterruptedException, ExecutionException {
        ObjectMapper json = new ObjectMapper();
        List<java.util.concurrent.Future<?>> acks = new java.util.ArrayList<>();
        for (AnnotationEvent e : events) {
            acks.add(
                    producer.send(
                            new ProducerRecord<>(topic, e.imageId(), json.writeValueAsBytes(e))));
        }
        producer.flush();
        for (java.util.concurrent.Future<?> ack : acks) {
            ack.get();
        }
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "eagle-publish-export");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }
}
