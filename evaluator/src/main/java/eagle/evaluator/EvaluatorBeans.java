package eagle.evaluator;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.core.io.Safetensors;
import eagle.core.model.ClipConfig;
import eagle.core.text.WordTokenizer;
import eagle.evaluator.gate.GateConfig;
import eagle.evaluator.gate.GateConfigJson;
import eagle.evaluator.registry.RegistryClient;
import eagle.evaluator.service.BaseEncoder;
import eagle.evaluator.service.EncoderLoader;
import eagle.evaluator.service.EvaluationRecorder;
import eagle.evaluator.service.EvaluationPipeline;
import eagle.evaluator.service.HeldOutSuite;
import eagle.evaluator.service.ReportWriter;
import eagle.evaluator.service.VersionScorer;
import eagle.scenes.suite.SuiteConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/** Wires the framework-free pipeline from {@link EvaluatorConfig}. */
@ApplicationScoped
public class EvaluatorBeans {

    @Produces
    @Singleton
    EvaluationPipeline pipeline(EvaluatorConfig cfg, ObjectMapper json) {
        RegistryClient registry = new RegistryClient(URI.create(cfg.registry().url()), cfg.registry().token(), json,
                cfg.registry().timeout());
        Path work = Path.of(cfg.workDir());
        EvaluatorConfig.Suite s = cfg.suite();
        HeldOutSuite suite = new HeldOutSuite(new SuiteConfig(s.zeroShotImages(), s.popeImages(),
                s.calibrationImages(), s.mmvpPairsPerKind(), s.statsScenes()), s.bootstrapResamples(),
                work.resolve("metric-cache"));
        VersionScorer scorer = new VersionScorer(registry, suite, base(Path.of(cfg.baseDir())),
                work.resolve("artifacts"), Engine.getInstance().defaultDevice());
        ReportWriter reports = new ReportWriter(work.resolve("reports"), cfg.publicUrl());
        return new EvaluationPipeline(registry, suite, scorer, new EvaluationRecorder(registry, reports, json), reports,
                gate(cfg));
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

    /** The base encoder folder: config from the weights' metadata, the word tokenizer beside them. */
    static BaseEncoder base(Path dir) {
        Path model = dir.resolve("model.safetensors");
        Path tok = dir.resolve("tokenizer.json");
        try {
            String config = Safetensors.readHeader(model).metadata().get("eagle.clip_config");
            if (config == null) {
                throw new IllegalStateException(model + " carries no eagle.clip_config metadata");
            }
            return new BaseEncoder(model, EncoderLoader.sha256(model), ClipConfig.fromJson(config),
                    WordTokenizer.fromJson(Files.readString(tok)));
        } catch (IOException e) {
            throw new UncheckedIOException("no usable base encoder in " + dir.toAbsolutePath()
                    + " (model.safetensors + tokenizer.json; run ./eagle pretrain): " + e.getMessage(), e);
        }
    }
}
