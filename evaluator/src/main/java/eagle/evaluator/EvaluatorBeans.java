package eagle.evaluator;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.client.RegistryClient;
import eagle.client.Sha256;
import eagle.core.model.EncoderSpec;
import eagle.evaluator.gate.GateConfig;
import eagle.evaluator.gate.GateConfigJson;
import eagle.evaluator.service.BaseEncoder;
import eagle.evaluator.service.EvaluationMetrics;
import eagle.evaluator.service.EvaluationPipeline;
import eagle.evaluator.service.EvaluationRecorder;
import eagle.evaluator.service.HeldOutSuite;
import eagle.evaluator.service.ReportWriter;
import eagle.evaluator.service.VersionScorer;
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

/** Wires the framework-free pipeline from {@link EvaluatorConfig}. */
@ApplicationScoped
public class EvaluatorBeans {

    @Produces
    @Singleton
    EvaluationPipeline pipeline(EvaluatorConfig cfg, ObjectMapper json, MeterRegistry meters) {
        RegistryClient registry =
                new RegistryClient(
                        cfg.registry().url(), cfg.registry().token(), cfg.registry().timeout());
        Path work = Path.of(cfg.workDir());
        HeldOutSuite suite = heldOut(cfg.suite(), work.resolve("metric-cache"));
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
                new EvaluationRecorder(registry, reports, json, metrics),
                reports,
                gate(cfg),
                metrics);
    }

    /**
     * The synthetic suite, or the COCO-format set {@code suite.coco.*} names when {@code
     * suite.source=coco}.
     */
    static HeldOutSuite heldOut(EvaluatorConfig.Suite s, Path cacheDir) {
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
                CocoSuiteConfig c =
                        new CocoSuiteConfig(
                                s.coco().calibrationFraction(),
                                s.mmvpPairsPerKind(),
                                s.coco().minInstancePixels(),
                                CocoSuiteConfig.defaults().cropMargin(),
                                s.coco().seed(),
                                CocoSuiteConfig.defaults().template());
                return HeldOutSuite.coco(annotations, images, c, s.bootstrapResamples(), cacheDir);
            }
            default ->
                    throw new IllegalStateException(
                            "eagle.evaluator.suite.source must be synthetic or coco, got '"
                                    + s.source()
                                    + "'");
        }
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
