package eagle.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import eagle.contracts.AnnotationEvent;
import eagle.contracts.SampleEvent;
import eagle.ingest.blob.FileBlobStore;
import eagle.ingest.validate.AnnotationParser;
import eagle.ingest.validate.AnnotationValidator;
import eagle.ingest.validate.ImageSource;
import eagle.ingest.validate.ParsedAnnotation;
import eagle.ingest.validate.ValidatedAnnotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark, not a timed test (runs only with {@code -Deagle.benchmark=true}): the processor's
 * steps one by one, outside Kafka, in a JVM that has nothing else to compile, so each figure is
 * what the step costs once the JIT is done with it. Same events as {@link IngestBenchmark} (64×64
 * PNG by file claim check, RLE columns, 10 instances per image). Prints µs per record for each
 * step, and per new image for the image's resolution (read, sha-256, decodability check, blob
 * write), in a few rounds (the first ones warm up). {@code -Deagle.benchmark.images=6000
 * -Deagle.benchmark.instances=10 -Deagle.benchmark.rounds=4}.
 */
@EnabledIfSystemProperty(named = "eagle.benchmark", matches = "true")
class IngestStepsBenchmark {

    @TempDir Path dir;

    @Test
    void stepsOfTheProcessor() throws Exception {
        int images = Integer.getInteger("eagle.benchmark.images", 6000);
        int k = Integer.getInteger("eagle.benchmark.instances", 10);
        int rounds = Integer.getInteger("eagle.benchmark.rounds", 4);
        byte[][] events = new byte[images * k][];
        for (int i = 0; i < images; i++) {
            AnnotationEvent.ImageRef image =
                    TestImages.file(dir, i + ".png", TestImages.png(64, 64, i));
            for (int j = 0; j < k; j++) {
                events[i * k + j] =
                        JsonSerde.MAPPER.writeValueAsBytes(
                                TestImages.event(
                                        "img-" + i,
                                        "inst-" + j,
                                        j % 2 == 0 ? "cat" : "dog",
                                        TestImages.column(64, 64, j % 64),
                                        image));
            }
        }
        IngestConfig config = IngestConfig.defaults();
        AnnotationParser parser = new AnnotationParser(config, JsonSerde.MAPPER);
        JsonSerde<ImageAggregate> aggregates =
                JsonSerde.of(ImageAggregate.class, StreamingJson::writeAggregate);
        JsonSerde<SampleEvent> samples =
                JsonSerde.of(SampleEvent.class, StreamingJson::writeSample);
        for (int round = 0; round < rounds; round++) {
            // a fresh blob folder each round: every image is new to the store
            FileBlobStore blobs =
                    new FileBlobStore(Files.createDirectories(dir.resolve("blobs-" + round)));
            AnnotationValidator validator =
                    new AnnotationValidator(config, new ImageSource(config.fetchTimeout()), blobs);
            long parse = 0;
            long newImage = 0;
            long knownImage = 0;
            long update = 0;
            long write = 0;
            long emit = 0;
            long append = 0;
            int instances = 0;
            // the parts of a new image's resolution, timed again on their own (a second fresh
            // store)
            FileBlobStore parts =
                    new FileBlobStore(Files.createDirectories(dir.resolve("parts-" + round)));
            ImageSource source = new ImageSource(config.fetchTimeout());
            long read = 0;
            long hash = 0;
            long put = 0;
            for (int i = 0; i < images; i++) {
                ImageAggregate aggregate = null;
                StoredAggregate stored = null;
                for (int j = 0; j < k; j++) {
                    long t0 = System.nanoTime();
                    ParsedAnnotation parsed = parser.parse("img-" + i, events[i * k + j]);
                    long t1 = System.nanoTime();
                    ValidatedAnnotation accepted =
                            validator.validate(
                                    parsed, aggregate == null ? null : aggregate.image());
                    long t2 = System.nanoTime();
                    if (aggregate != null && aggregate.holds(accepted)) {
                        throw new IllegalStateException("a duplicate in the benchmark's events");
                    }
                    aggregate =
                            (aggregate == null
                                            ? ImageAggregate.empty("img-" + i, accepted.image())
                                            : aggregate)
                                    .updateFrom(accepted);
                    long t3 = System.nanoTime();
                    byte[] whole = aggregates.serializer().serialize("images", aggregate);
                    long t4 = System.nanoTime();
                    // what the processor does instead: the new instance appended to the stored JSON
                    stored =
                            (stored == null
                                            ? StoredAggregate.of(
                                                    ImageAggregate.empty(
                                                            "img-" + i, accepted.image()))
                                            : stored)
                                    .updateFrom(accepted);
                    long t5 = System.nanoTime();
                    append += t5 - t4 + (stored.json().length == whole.length ? 0 : 1);
                    parse += t1 - t0;
                    if (j == 0) {
                        newImage += t2 - t1;
                        String uri = ((ParsedAnnotation.UriImage) parsed.image()).uri();
                        long p0 = System.nanoTime();
                        byte[] bytes = source.fetch(uri, config.maxImageBytes());
                        long p1 = System.nanoTime();
                        String sha = AnnotationEvent.sha256Hex(bytes);
                        long p2 = System.nanoTime();
                        parts.put(sha, bytes);
                        read += p1 - p0;
                        hash += p2 - p1;
                        put += System.nanoTime() - p2;
                    } else {
                        knownImage += t2 - t1;
                    }
                    update += t3 - t2;
                    write += t4 - t3 + (whole.length == 0 ? 1 : 0);
                }
                long t6 = System.nanoTime();
                byte[] sample = samples.serializer().serialize("samples", aggregate.toSample());
                List<ClassDelta> deltas = ClassDelta.between(Map.of(), aggregate.classCounts());
                emit += System.nanoTime() - t6;
                instances +=
                        aggregate.instances().size()
                                + (sample.length == 0 || deltas.isEmpty() ? 1 : 0);
            }
            assertEquals(images * k, instances);
            double n = images * k;
            System.out.printf(
                    "STEPS round %d: per record parse %.1f us, new image %.1f us (%.0f us per image), known image %.1f us,"
                            + " aggregate update %.1f us, whole aggregate JSON %.1f us (before),"
                            + " aggregate update with its instance appended to the stored JSON %.1f us (now),"
                            + " sample JSON + deltas %.1f us%n",
                    round,
                    parse / 1e3 / n,
                    newImage / 1e3 / n,
                    newImage / 1e3 / images,
                    knownImage / 1e3 / n,
                    update / 1e3 / n,
                    write / 1e3 / n,
                    append / 1e3 / n,
                    emit / 1e3 / n);
            System.out.printf(
                    "STEPS round %d: per new image read %.0f us, sha-256 %.0f us, blob write %.0f us,"
                            + " the rest of its resolution (decodability check: PngCheck, or the full javax.imageio decode before it) %.0f us%n",
                    round,
                    read / 1e3 / images,
                    hash / 1e3 / images,
                    put / 1e3 / images,
                    (newImage - read - hash - put) / 1e3 / images);
        }
    }
}
