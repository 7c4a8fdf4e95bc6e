package eagle.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.contracts.AnnotationEvent;
import eagle.contracts.Topics;
import eagle.core.mask.CocoRle;
import eagle.scenes.Instance;
import eagle.scenes.Scene;
import eagle.scenes.SceneGenerator;
import eagle.scenes.SeedRanges;
import eagle.scenes.experiment.FineTuningScenes;
import eagle.scenes.pretrain.CountedScenes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.LongFunction;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The demo's synthetic annotation source: renders scenes of the synthetic world from training seeds
 * ({@link SceneGenerator}, seeds {@code [seed, seed + images)}, all inside {@link
 * SeedRanges#isTraining}; a fraction {@code counted} of them, spread evenly, counted scenes of two
 * to four objects of one class, {@link CountedScenes}, drawn as the experiment's {@link
 * FineTuningScenes} draws them), writes each image as a PNG under {@code <out>/images/}, and
 * publishes one {@link AnnotationEvent} per instance to {@link Topics#ANNOTATIONS} (key = image id;
 * image by claim check, a {@code file://} URI and the PNG's sha256; mask as COCO compressed RLE at
 * the image's size, {@link CocoRle}). Then it publishes a few malformed records the ingest service
 * must dead-letter: one that is not JSON ({@code UNPARSABLE}), one with a wrong schema version
 * ({@code SCHEMA}) and one whose declared digest is not its image's ({@code DIGEST_MISMATCH}).
 *
 * <pre>
 * java -cp "demo/target/eagle-demo-*.jar:demo/target/lib/*" eagle.demo.AnnotationSource \
 *      --bootstrap localhost:19092 --out .eagle/demo/source [--images 24] [--seed 1000000] [--malformed true]
 *      [--counted 0.25]
 * </pre>
 *
 * Prints one line per published record kind and a final line {@code published <images> images,
 * <instances> instances, <malformed> malformed}.
 */
public final class AnnotationSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Command line options.
     *
     * @param bootstrap Kafka bootstrap servers
     * @param out folder for the PNGs
     * @param images number of scenes
     * @param seed first training seed
     * @param malformed whether to publish the malformed records
     * @param annotator annotator name written in every event
     * @param counted fraction of the images that are counted scenes, in [0, 1]
     */
    public record Options(
            String bootstrap,
            Path out,
            int images,
            long seed,
            boolean malformed,
            String annotator,
            double counted) {

        public Options {
            if (!(counted >= 0 && counted <= 1)) {
                throw new IllegalArgumentException(
                        "--counted must be a fraction in [0, 1], got " + counted);
            }
        }

        public static Options parse(String[] args) {
            String bootstrap = "localhost:19092";
            Path out = Path.of(".eagle/demo/source");
            int images = 24;
            long seed = 1_000_000L;
            boolean malformed = true;
            String annotator = "demo-source";
            double counted = CountedScenes.FINE_TUNING_FRACTION;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--bootstrap" -> bootstrap = v;
                    case "--out" -> out = Path.of(v);
                    case "--images" -> images = Integer.parseInt(v);
                    case "--seed" -> seed = Long.parseLong(v);
                    case "--malformed" -> malformed = Boolean.parseBoolean(v);
                    case "--annotator" -> annotator = v;
                    case "--counted" -> counted = Double.parseDouble(v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (images < 1) {
                throw new IllegalArgumentException("--images must be at least 1");
            }
            SeedRanges.requireTraining(seed);
            SeedRanges.requireTraining(seed + images - 1);
            return new Options(bootstrap, out, images, seed, malformed, annotator, counted);
        }
    }

    private AnnotationSource() {}

    /** What {@link #publish} sent: counts, and the image ids of the good scenes in seed order. */
    public record Published(int images, int instances, int malformed, List<String> imageIds) {}

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("annotation source: " + e.getMessage());
            System.exit(2);
            return;
        }
        Published p;
        try {
            p = publish(o);
        } catch (ExecutionException e) {
            System.err.println("annotation source: send failed: " + e.getCause());
            System.exit(1);
            return;
        }
        System.out.printf(
                "published %d images, %d instances, %d malformed to %s%n",
                p.images(), p.instances(), p.malformed(), Topics.ANNOTATIONS);
    }

    /**
     * Renders the scenes, writes the PNGs and publishes their annotations (and the malformed
     * records when asked); returns once the broker acknowledged every record.
     *
     * @throws ExecutionException when a record could not be delivered (its cause says why)
     */
    public static Published publish(Options o)
            throws IOException, InterruptedException, ExecutionException {
        Path imageDir = o.out().resolve("images").toAbsolutePath();
        Files.createDirectories(imageDir);
        LongFunction<Scene> scenes =
                new FineTuningScenes(null, o.counted())
                        .from(SceneGenerator.standard(), o.seed()); // scene i of seed seed + i

        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "eagle-demo-source");
        int instances = 0;
        int malformed = 0;
        List<String> imageIds = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            List<Future<?>> sent = new ArrayList<>();
            String firstImageId = null;
            String firstSha = null;
            for (int i = 0; i < o.images(); i++) {
                long seed = o.seed() + i;
                Scene scene = scenes.apply(i);
                byte[] png = png(scene);
                String sha = AnnotationEvent.sha256Hex(png);
                String imageId = "demo-" + seed;
                imageIds.add(imageId);
                Path file = imageDir.resolve(imageId + ".png");
                Files.write(file, png);
                AnnotationEvent.ImageRef ref =
                        AnnotationEvent.ImageRef.of(file.toUri().toString(), sha);
                if (firstImageId == null) {
                    firstImageId = imageId;
                    firstSha = sha;
                }
                for (Instance inst : scene.instances()) {
                    CocoRle rle = CocoRle.encode(inst.mask());
                    AnnotationEvent e =
                            new AnnotationEvent(
                                    AnnotationEvent.SCHEMA_VERSION,
                                    imageId,
                                    inst.instanceId(),
                                    inst.className(),
                                    AnnotationEvent.Mask.rle(
                                            rle.height(), rle.width(), rle.toCompressedString()),
                                    ref,
                                    o.annotator(),
                                    Instant.now().toString());
                    sent.add(send(producer, e));
                    instances++;
                }
            }
            if (o.malformed()) {
                // UNPARSABLE: not a JSON object
                sent.add(
                        producer.send(
                                new ProducerRecord<>(
                                        Topics.ANNOTATIONS,
                                        "demo-bad-1",
                                        "this is not JSON".getBytes(StandardCharsets.UTF_8))));
                // SCHEMA: schemaVersion 2 is not a v1 event
                String image = imageDir.resolve(firstImageId + ".png").toUri().toString();
                sent.add(send(producer, badEvent(2, "demo-bad-2", image, firstSha, o)));
                // DIGEST_MISMATCH: the declared sha256 is not the file's
                sent.add(send(producer, badEvent(1, "demo-bad-3", image, "0".repeat(64), o)));
                malformed = 3;
            }
            for (Future<?> f : sent) {
                f.get();
            }
        }
        return new Published(o.images(), instances, malformed, List.copyOf(imageIds));
    }

    /** An event the ingest must dead-letter: a circle on the first image, as {@code schema}. */
    private static AnnotationEvent badEvent(
            int schema, String imageId, String imageUri, String sha256, Options o) {
        return new AnnotationEvent(
                schema,
                imageId,
                imageId + "/0",
                "circle",
                AnnotationEvent.Mask.rle(2, 2, new long[] {1, 2, 1}),
                AnnotationEvent.ImageRef.of(imageUri, sha256),
                o.annotator(),
                Instant.now().toString());
    }

    /** Sends {@code e} keyed by its image. */
    private static Future<?> send(KafkaProducer<String, byte[]> producer, AnnotationEvent e)
            throws IOException {
        return producer.send(
                new ProducerRecord<>(Topics.ANNOTATIONS, e.imageId(), JSON.writeValueAsBytes(e)));
    }

    private static byte[] png(Scene scene) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(scene.image(), "png", bytes)) {
            throw new IOException("no PNG writer for the scene image");
        }
        return bytes.toByteArray();
    }
}
