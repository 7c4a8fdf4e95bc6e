package eagle.ingest;

import static eagle.ingest.TestImages.event;
import static eagle.ingest.TestImages.file;
import static eagle.ingest.TestImages.png;
import static org.junit.jupiter.api.Assertions.assertEquals;

import eagle.contracts.AnnotationEvent;
import eagle.contracts.Topics;
import eagle.infra.LocalKafka;
import eagle.ingest.blob.FileBlobStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Benchmark, not a timed test (runs only with {@code -Deagle.benchmark=true}): validated
 * instances/s of the ingest topology (exactly_once_v2) against a plain Kafka consumer reading the
 * same records on the same broker in the same run. Rate = timed items / (time the last arrived −
 * time the first timed one did), measured on the annotations topic for the consumer (an item = a
 * record) and on the committed samples topic for ingest (an item = a validated instance: what a
 * sample adds to its image's earlier samples). {@code -Deagle.benchmark.images=2000
 * -Deagle.benchmark.instances=10 -Deagle.benchmark.size=64}; {@code
 * -Deagle.benchmark.topology=both} also runs a pass-through topology with the same settings on the
 * same broker before ingest and prints the ratio of the two; {@code -Deagle.benchmark.partitions=2
 * -Deagle.benchmark.streams-instances=2} runs two ingest instances on two partitions; {@code
 * -Deagle.benchmark.rounds=3} repeats the whole run three times in this JVM, each round on its own
 * broker, blobs and state, and prints the ratio's spread (the first round's pass-through runs on
 * code the JIT has not compiled yet, so its ratio flatters ingest).
 */
@EnabledIfSystemProperty(named = "eagle.benchmark", matches = "true")
class IngestBenchmark {

    @TempDir Path dir;

    /** The figures of one topology's run. */
    record Side(String topology, double perSecond, Cpu cpu) {}

    /** The figures of one run: the plain consumer, then each topology on the same broker. */
    record Result(
            int records, int timed, double consumerPerSecond, Cpu consumerCpu, List<Side> sides) {}

    /** Topic the pass-through copies the annotations to (compacted, like the samples topic). */
    static final String PASSTHROUGH_TOPIC = "eagle.benchmark.passthrough";

    @Test
    void validatedInstancesPerSecondAgainstAPlainConsumer() {
        int images = Integer.getInteger("eagle.benchmark.images", 2000);
        int instances = Integer.getInteger("eagle.benchmark.instances", 10);
        int size = Integer.getInteger("eagle.benchmark.size", 64);
        // -Deagle.benchmark.topology=ingest (default) | passthrough | both (the pass-through, then
        // ingest, on the same broker in the same run)
        String topology = System.getProperty("eagle.benchmark.topology", "ingest");
        List<String> topologies =
                switch (topology) {
                    case "ingest", "passthrough" -> List.of(topology);
                    case "both" -> List.of("passthrough", "ingest");
                    default ->
                            throw new IllegalArgumentException(
                                    "eagle.benchmark.topology: ingest, passthrough or both, not "
                                            + topology);
                };
        // -Deagle.benchmark.rounds=R: the whole run R times, each on a broker, topics, blobs and
        // state of its own, so the sides are interleaved and their ratio has a spread
        int rounds = Integer.getInteger("eagle.benchmark.rounds", 1);
        List<Double> ratios = new java.util.ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            Path base = rounds == 1 ? dir : dir.resolve("round-" + round);
            Result r = run(base, images, instances, size, topologies);
            print(r, images, instances, size);
            if (r.sides().size() == 2) {
                ratios.add(r.sides().get(1).perSecond() / r.sides().get(0).perSecond());
            }
            assertEquals(images * instances, r.records());
        }
        if (ratios.size() > 1) {
            List<Double> sorted = ratios.stream().sorted().toList();
            System.out.printf(
                    "RATIO ingest / pass-through over %d rounds: min %.3f, median %.3f, max %.3f%n",
                    sorted.size(),
                    sorted.get(0),
                    sorted.get(sorted.size() / 2),
                    sorted.get(sorted.size() - 1));
        }
    }

    /** The BENCHMARK lines of one run, and its RATIO line when both sides ran. */
    private static void print(Result r, int images, int instances, int size) {
        for (Side side : r.sides()) {
            System.out.printf(
                    "BENCHMARK %s: records=%d timed=%d images=%d instances/image=%d image=%dx%d"
                            + " partitions=%d streams instances=%d consumer=%.0f/s %s=%.0f/s"
                            + " ratio=%.3f cpu/record: consumer %.1f us (process), %s %.1f us"
                            + " (process) %.1f us (stream threads)%n",
                    side.topology(),
                    r.records(),
                    r.timed(),
                    images,
                    instances,
                    size,
                    size,
                    partitions(),
                    streamsInstances(),
                    r.consumerPerSecond(),
                    side.topology(),
                    side.perSecond(),
                    side.perSecond() / r.consumerPerSecond(),
                    r.consumerCpu().processMicros() / r.timed(),
                    side.topology(),
                    side.cpu().processMicros() / r.timed(),
                    side.cpu().streamMicros() / r.timed());
        }
        if (r.sides().size() == 2) {
            System.out.printf(
                    "RATIO ingest / pass-through: %.3f (%.0f / %.0f per second; stream threads"
                            + " %.1f / %.1f us per record)%n",
                    r.sides().get(1).perSecond() / r.sides().get(0).perSecond(),
                    r.sides().get(1).perSecond(),
                    r.sides().get(0).perSecond(),
                    r.sides().get(1).cpu().streamMicros() / r.timed(),
                    r.sides().get(0).cpu().streamMicros() / r.timed());
        }
    }

    static int partitions() {
        return Integer.getInteger("eagle.benchmark.partitions", 1);
    }

    /**
     * -Deagle.benchmark.streams-instances=N: N KafkaStreams instances with the same application id
     * (as N ingest processes would be), each with its own state folder, sharing the blob store.
     */
    static int streamsInstances() {
        return Integer.getInteger("eagle.benchmark.streams-instances", 1);
    }

    Result run(Path root, int images, int instances, int size, List<String> topologies) {
        try (LocalKafka kafka = LocalKafka.start(root.resolve("kafka"), 0)) {
            int partitions = partitions();
            kafka.createTopic(Topics.ANNOTATIONS, partitions, false);
            kafka.createTopic(Topics.SAMPLES, partitions, true);
            kafka.createTopic(Topics.HELD_OUT_SAMPLES, partitions, true);
            kafka.createTopic(Topics.ANNOTATIONS_DLQ, 1, false);
            kafka.createTopic(PASSTHROUGH_TOPIC, partitions, true);
            int n = images * instances;
            // the first records warm the JIT up (broker, clients, Streams and ingest share this
            // JVM) and are not timed
            int warmup =
                    Math.min(
                            n / 2,
                            Integer.getInteger("eagle.benchmark.warmup-images", 500) * instances);
            try (KafkaProducer<String, byte[]> producer =
                    KafkaRecords.producer(kafka.bootstrapServers())) {
                for (int i = 0; i < images; i++) {
                    AnnotationEvent.ImageRef image = file(root, i + ".png", png(size, size, i));
                    for (int j = 0; j < instances; j++) {
                        // instance j: column j % size, its own mask
                        KafkaRecords.send(
                                producer,
                                Topics.ANNOTATIONS,
                                event(
                                        "img-" + i,
                                        "inst-" + j,
                                        j % 2 == 0 ? "cat" : "dog",
                                        TestImages.column(size, size, j % size),
                                        image));
                    }
                }
            }
            Cpu[] consumerCpu = new Cpu[1];
            double consumer =
                    rate(
                            kafka.bootstrapServers(),
                            Topics.ANNOTATIONS,
                            "read_uncommitted",
                            n,
                            warmup,
                            List.of(),
                            consumerCpu,
                            r -> 1);
            List<Side> sides = new java.util.ArrayList<>();
            for (String topology : topologies) {
                sides.add(side(root, topology, kafka.bootstrapServers(), n, warmup));
            }
            return new Result(n, n - warmup, consumer, consumerCpu[0], sides);
        }
    }

    /** Runs one topology (its own application id) over all annotations and times it. */
    private Side side(Path root, String topology, String bootstrap, int n, int warmup) {
        boolean passthrough = topology.equals("passthrough");
        List<KafkaStreams> streams = new java.util.ArrayList<>();
        FileBlobStore blobs = new FileBlobStore(root.resolve("blobs"));
        try {
            for (int i = 0; i < streamsInstances(); i++) {
                Properties p =
                        streamsProperties(root, bootstrap, "ingest-benchmark-" + topology, i);
                // the pass-through: the ceiling of Kafka Streams itself with these settings, a
                // topology that copies each annotation record to a topic of its own (no parsing,
                // no state)
                streams.add(
                        new KafkaStreams(
                                passthrough
                                        ? passthrough()
                                        : TopologyProducer.topology(
                                                // every image to the samples topic, whose
                                                // records the rate counts
                                                IngestConfig.defaults()
                                                        .withHeldOut(new HeldOutSplit(0)),
                                                blobs),
                                p));
            }
            Cpu[] cpu = new Cpu[1];
            double rate =
                    rate(
                            bootstrap,
                            passthrough ? PASSTHROUGH_TOPIC : Topics.SAMPLES,
                            "read_committed",
                            n,
                            warmup,
                            streams,
                            cpu,
                            passthrough ? r -> 1 : newInstances());
            return new Side(topology, rate, cpu[0]);
        } finally {
            streams.forEach(s -> s.close(Duration.ofSeconds(30)));
        }
    }

    /**
     * The service's own Kafka Streams settings (application.properties, kafka-streams.*:
     * exactly_once_v2, commit interval, producer batch size), then the benchmark's overrides.
     */
    private static Properties streamsProperties(
            Path root, String bootstrap, String applicationId, int instance) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        serviceStreamsSettings().forEach(p::put);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        if (Integer.getInteger("eagle.benchmark.commit-ms") != null) {
            p.put(
                    StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
                    Integer.getInteger("eagle.benchmark.commit-ms"));
        }
        p.put(
                StreamsConfig.NUM_STREAM_THREADS_CONFIG,
                Integer.getInteger("eagle.benchmark.threads", 1));
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        p.put(
                StreamsConfig.STATE_DIR_CONFIG,
                root.resolve("state-" + applicationId + "-" + instance).toString());
        // -Deagle.benchmark.streams.<Kafka Streams property>=<value>, e.g.
        // ...streams.producer.batch.size=262144
        System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("eagle.benchmark.streams."))
                .forEach(
                        k ->
                                p.put(
                                        k.substring("eagle.benchmark.streams.".length()),
                                        System.getProperty(k)));
        return p;
    }

    /** Annotations copied to the samples topic as they are. */
    static org.apache.kafka.streams.Topology passthrough() {
        org.apache.kafka.streams.StreamsBuilder builder =
                new org.apache.kafka.streams.StreamsBuilder();
        builder.stream(
                        Topics.ANNOTATIONS,
                        org.apache.kafka.streams.kstream.Consumed.with(
                                org.apache.kafka.common.serialization.Serdes.String(),
                                org.apache.kafka.common.serialization.Serdes.ByteArray()))
                .to(
                        PASSTHROUGH_TOPIC,
                        org.apache.kafka.streams.kstream.Produced.with(
                                org.apache.kafka.common.serialization.Serdes.String(),
                                org.apache.kafka.common.serialization.Serdes.ByteArray()));
        return builder.build();
    }

    /**
     * {@code kafka-streams.*} of the service's application.properties (default profile), prefix
     * removed.
     */
    static Properties serviceStreamsSettings() {
        Properties all = new Properties();
        try (var in = IngestBenchmark.class.getResourceAsStream("/application.properties")) {
            all.load(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Properties out = new Properties();
        all.stringPropertyNames().stream()
                .filter(k -> k.startsWith("kafka-streams."))
                .filter(k -> !k.equals("kafka-streams.state.dir"))
                .forEach(k -> out.put(k.substring("kafka-streams.".length()), all.getProperty(k)));
        return out;
    }

    /**
     * CPU time spent between the first and the last record: the whole process (broker included, it
     * runs in this JVM) and the stream threads. Less sensitive than rates to other work on a shared
     * machine.
     */
    record Cpu(double processMicros, double streamMicros) {
        /** CPU ns per thread group (digits and ids dropped from thread names). */
        static java.util.Map<String, Long> byThread() {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            java.util.Map<String, Long> out = new java.util.TreeMap<>();
            for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (t != null) {
                    String name =
                            t.getThreadName()
                                    .replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "X")
                                    .replaceAll("\\d+", "N");
                    out.merge(
                            name,
                            Math.max(0, threads.getThreadCpuTime(t.getThreadId())),
                            Long::sum);
                }
            }
            return out;
        }

        static void printTop(
                java.util.Map<String, Long> from, java.util.Map<String, Long> to, int records) {
            to.entrySet().stream()
                    .map(
                            e ->
                                    java.util.Map.entry(
                                            e.getKey(),
                                            e.getValue() - from.getOrDefault(e.getKey(), 0L)))
                    .sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(8)
                    .forEach(
                            e ->
                                    System.out.printf(
                                            "CPU %8.1f us/record %s%n",
                                            e.getValue() / 1e3 / records, e.getKey()));
        }

        static long[] now() {
            long gc =
                    ManagementFactory.getGarbageCollectorMXBeans().stream()
                            .mapToLong(b -> Math.max(0, b.getCollectionTime()))
                            .sum();
            long jit = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            long process =
                    ((com.sun.management.OperatingSystemMXBean)
                                    ManagementFactory.getOperatingSystemMXBean())
                            .getProcessCpuTime();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long stream = 0;
            for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (t != null
                        && t.getThreadName().contains("StreamThread-")
                        && !t.getThreadName().contains("producer")) {
                    stream += Math.max(0, threads.getThreadCpuTime(t.getThreadId()));
                }
            }
            return new long[] {process, stream, gc, jit};
        }
    }

    /**
     * Validated instances a sample record brings: its instances beyond the most its image had in an
     * earlier sample (an image's sample is written at most once per emit interval, with everything
     * accepted so far).
     */
    static java.util.function.ToIntFunction<ConsumerRecord<String, byte[]>> newInstances() {
        java.util.Map<String, Integer> most = new java.util.HashMap<>();
        org.apache.kafka.common.serialization.Deserializer<eagle.contracts.SampleEvent> samples =
                JsonSerde.of(eagle.contracts.SampleEvent.class).deserializer();
        return r -> {
            int now = samples.deserialize(r.topic(), r.value()).instances().size();
            Integer before = most.put(r.key(), now);
            return Math.max(0, now - (before == null ? 0 : before));
        };
    }

    /**
     * Reads topic until it holds n counted items ({@code count} per record: 1 per annotation, the
     * new instances per sample); starts {@code streams} (none for the plain consumer) once
     * subscribed.
     */
    private static double rate(
            String bootstrap,
            String topic,
            String isolation,
            int n,
            int skip,
            List<KafkaStreams> streams,
            Cpu[] cpu,
            java.util.function.ToIntFunction<ConsumerRecord<String, byte[]>> count) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            streams.forEach(KafkaStreams::start);
            long first = 0;
            long last = 0;
            long[] cpuFirst = null;
            long[] cpuLast = null;
            java.util.Map<String, Long> threadsFirst = null;
            int seen = 0;
            int seenAtFirst = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (seen < n && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.value() == null) {
                        continue;
                    }
                    int before = seen;
                    seen += count.applyAsInt(r);
                    if (seen == before) {
                        continue;
                    }
                    long now = System.nanoTime();
                    if (before <= skip && seen > skip) {
                        first = now;
                        seenAtFirst = seen;
                        cpuFirst = Cpu.now();
                        threadsFirst = Cpu.byThread();
                    }
                    last = now;
                    if (seen >= n) {
                        cpuLast = Cpu.now();
                        if (!streams.isEmpty()) {
                            Cpu.printTop(threadsFirst, Cpu.byThread(), n - skip);
                            System.out.printf(
                                    "CPU %8.1f us/record GC (collection time, ms based)%nCPU %8.1f us/record JIT (compilation time)%n",
                                    (cpuLast[2] - cpuFirst[2]) * 1e3 / (n - skip),
                                    (cpuLast[3] - cpuFirst[3]) * 1e3 / (n - skip));
                        }
                    }
                }
                if (Boolean.getBoolean("eagle.benchmark.trace")) {
                    System.out.printf(
                            "TRACE %s %d %.2f%n", topic, seen, (System.nanoTime() - first) / 1e9);
                }
            }
            if (seen < n) {
                throw new IllegalStateException(
                        "only " + seen + " of " + n + " records on " + topic);
            }
            cpu[0] = new Cpu((cpuLast[0] - cpuFirst[0]) / 1e3, (cpuLast[1] - cpuFirst[1]) / 1e3);
            return (seen - seenAtFirst) / ((last - first) / 1e9);
        }
    }
}
