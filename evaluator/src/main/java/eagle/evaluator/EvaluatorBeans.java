package eagle.evaluator;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.client.RegistryClient;
import eagle.client.Sha256;
import eagle.contracts.Topics;
import eagle.core.model.EncoderSpec;
import eagle.evaluator.gate.GateConfig;
import eagle.evaluator.gate.GateConfigJson;
import eagle.evaluator.gate.SuitePrecision;
import eagle.evaluator.service.BaseEncoder;
import eagle.evaluator.service.EvaluationMetrics;
import eagle.evaluator.service.EvaluationPipeline;
import eagle.evaluator.service.EvaluationRecorder;
import eagle.evaluator.service.HeldOutSuite;
import eagle.evaluator.service.ReportWriter;
import eagle.evaluator.service.SuiteRechecks;
import eagle.evaluator.service.VersionScorer;
import eagle.evaluator.stream.HeldOutTopic;
import eagle.evaluator.stream.StreamSuiteSource;
import eagle.scenes.suite.CocoSuiteConfig;
import eagle.scenes.suite.SuiteConfig;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Wires the framework-free pipeline from {@link EvaluatorConfig}. */
@ApplicationScoped
public class EvaluatorBeans {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    Optional<String> bootstrapServers;

    @Produces
    @Singleton
    RegistryClient registry(EvaluatorConfig cfg) {
        return new RegistryClient(
                cfg.registry().url(), cfg.registry().token(), cfg.registry().timeout());
    }

    @Produces
    @Singleton
    SuiteRechecks rechecks(EvaluationPipeline pipeline) {
        return new SuiteRechecks(pipeline);
    }

    @Produces
    @Singleton
    EvaluationPipeline pipeline(
            EvaluatorConfig cfg, ObjectMapper json, MeterRegistry meters, RegistryClient registry) {
        Path work = Path.of(cfg.workDir());
        HeldOutSuite suite =
                heldOut(cfg.suite(), work.resolve("metric-cache"), bootstrapServers.orElse(null));
        VersionScorer scorer =
                new VersionScorer(
                        registry,
                        suite,
                        base(Path.of(cfg.baseDir())),
                        work,
                        Engine.getInstance().defaultDevice());
        ReportWriter reports = new ReportWriter(work.resolve("reports"), cfg.publicUrl());
        EvaluationMetrics metrics = new EvaluationMetrics(meters);
        return new EvaluationPipeline(
                registry,
                suite,
                scorer,
                new EvaluationRecorder(
                        registry, reports, json, metrics, precision(cfg.suite().precision())),
                reports,
                gate(cfg),
                metrics);
    }

    static SuitePrecision.Policy precision(String policy) {
        return switch (policy) {
            case "warn" -> SuitePrecision.Policy.WARN;
            case "block" -> SuitePrecision.Policy.BLOCK;
            default ->
                    throw new IllegalStateException(
                            "eagle.evaluator.suite.precision must be warn or block, got '"
                                    + policy
                                    + "'");
        };
    }

    /** {@link #heldOut(EvaluatorConfig.Suite, Path, String)} without a Kafka broker. */
    static HeldOutSuite heldOut(EvaluatorConfig.Suite s, Path cacheDir) {
        return heldOut(s, cacheDir, null);
    }

    /**
     * The synthetic suite, the COCO-format set {@code suite.coco.*} names when {@code
     * suite.source=coco}, or the stream's held-out split on {@code bootstrapServers} when {@code
     * suite.source=stream}.
     */
    static HeldOutSuite heldOut(EvaluatorConfig.Suite s, Path cacheDir, String bootstrapServers) {
        switch (s.source()) {
            case "synthetic" -> {
                return new HeldOutSuite(
                        new SuiteConfig(
                                s.zeroShotImages(),
                                s.popeImages(),
                                s.calibrationImages(),
                                s.mmvpPairsPerKind(),
                                s.statsScenes()),
                        s.bootstrapResamples(),
                        cacheDir);
            }
            case "coco" -> {
                Path annotations =
                        Path.of(
                                s.coco()
                                        .annotations()
                                        .orElseThrow(
                                                () ->
                                                        new IllegalStateException(
                                                                "eagle.evaluator.suite.source=coco needs eagle.evaluator.suite.coco.annotations")));
                Path images =
                        s.coco()
                                .images()
                                .map(Path::of)
                                .orElse(annotations.toAbsolutePath().getParent());
                return HeldOutSuite.coco(
                        annotations, images, cocoConfig(s), s.bootstrapResamples(), cacheDir);
            }
            case "stream" -> {
                if (bootstrapServers == null || bootstrapServers.isBlank()) {
                    throw new IllegalStateException(
                            "eagle.evaluator.suite.source=stream needs kafka.bootstrap.servers");
                }
                Properties p = new Properties();
                p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
                p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
                p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
                // ingest owns the topic (compacted): never create it by asking for its partitions
                p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
                HeldOutTopic topic =
                        new HeldOutTopic(
                                new KafkaConsumer<>(
                                        p, new StringDeserializer(), new StringDeserializer()),
                                Topics.HELD_OUT_SAMPLES,
                                s.stream().readTimeout());
                return HeldOutSuite.stream(
                        new StreamSuiteSource(
                                topic,
                                Path.of(s.stream().blobsDir()),
                                cocoConfig(s),
                                s.stream().growth()),
                        s.bootstrapResamples(),
                        cacheDir);
            }
            default ->
                    throw new IllegalStateException(
                            "eagle.evaluator.suite.source must be synthetic, coco or stream, got '"
                                    + s.source()
                                    + "'");
        }
    }

    private static CocoSuiteConfig cocoConfig(EvaluatorConfig.Suite s) {
        return new CocoSuiteConfig(
                s.coco().calibrationFraction(),
                s.mmvpPairsPerKind(),
                s.coco().minInstancePixels(),
                CocoSuiteConfig.defaults().cropMargin(),
                s.coco().seed(),
                CocoSuiteConfig.defaults().template());
    }

    static GateConfig gate(EvaluatorConfig cfg) {
        if (cfg.gateFile().isEmpty()) {
            return GateConfig.defaults();
        }
        try {
            return GateConfigJson.parse(Files.readString(Path.of(cfg.gateFile().get())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read gate file " + cfg.gateFile().get(), e);
        }
    }

    /**
     * The base encoder folder's {@code model.safetensors}, with the encoder spec its metadata
     * carries.
     */
    static BaseEncoder base(Path dir) {
        Path model = dir.resolve("model.safetensors");
        try {
            return new BaseEncoder(model, Sha256.of(model), EncoderSpec.read(model));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "no usable base encoder in "
                            + dir.toAbsolutePath()
                            + " (model.safetensors with its encoder spec; run ./eagle pretrain): "
                            + e.getMessage(),
                    e);
        }
    }
}
