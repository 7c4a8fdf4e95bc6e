package eagle.evaluator;

import eagle.core.io.Safetensors;
import eagle.core.model.ClipConfig;
import eagle.core.model.EncoderSpec;
import eagle.core.model.TokenizerSpec;
import eagle.core.text.ClipBpeTokenizer;
import eagle.core.text.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Encoder artifacts for the tests, written as safetensors without DJL (plain float arrays): the
 * base (the project's second embedded base, kept as a test resource, else a seeded random tiny CLIP
 * with a word tokenizer over the class prompts), a copy with other metadata (same weights, other
 * digest), a collapsed copy, one of another architecture, and a small explicit config that reads
 * CLIP's BPE. Each carries its encoder spec.
 */
public final class TestEncoders {

    private TestEncoders() {}

    /** The second embedded base, a test resource. */
    static final String SECOND_BASE = "/bases/every-object/model.safetensors";

    /**
     * Writes the model.safetensors of a base encoder (its spec in the metadata) into {@code dir};
     * returns dir.
     */
    public static Path base(Path dir) throws IOException {
        Files.createDirectories(dir);
        // the second embedded base (every object named in its captions), kept as a test resource:
        // the stories here need zero-shot answers on multi-object scenes that depend on the prompt
        // words (src/test/resources/bases/every-object/README.md)
        try (var kept = TestEncoders.class.getResourceAsStream(SECOND_BASE)) {
            if (kept == null) {
                throw new IOException(SECOND_BASE + " is not on the test classpath");
            }
            Files.copy(kept, dir.resolve("model.safetensors"), StandardCopyOption.REPLACE_EXISTING);
        }
        return dir;
    }

    /**
     * CLIP-style initialisation: LayerNorm weights 1, biases 0, logit scale ln(1/0.07), others N(0,
     * 0.02²)·√(64/fan).
     */
    static Map<String, Safetensors.Tensor> random(ClipConfig cfg, long seed) {
        Random r = new Random(seed);
        Map<String, Safetensors.Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : cfg.parameterShapes().entrySet()) {
            String n = e.getKey();
            float[] v = new float[(int) Safetensors.elementCount(e.getValue())];
            boolean ln = n.contains("ln_") || n.contains(".ln");
            for (int i = 0; i < v.length; i++) {
                if (n.equals("logit_scale")) {
                    v[i] = (float) Math.log(1 / 0.07);
                } else if (ln && n.endsWith(".weight")) {
                    v[i] = 1f;
                } else if (n.endsWith(".bias") || n.endsWith("_bias")) {
                    v[i] = 0f;
                } else {
                    v[i] = (float) (r.nextGaussian() * 0.05);
                }
            }
            out.put(n, Safetensors.Tensor.f32(e.getValue(), v));
        }
        return out;
    }

    /** The same tensors with an extra metadata entry: identical weights, a different sha256. */
    public static Path relabelled(Path base, Path out, String label) throws IOException {
        Safetensors.Header h = Safetensors.readHeader(base);
        Map<String, String> meta = new LinkedHashMap<>(h.metadata());
        meta.put("eagle.label", label);
        Safetensors.writeTensors(out, Safetensors.readAll(base), meta);
        return out;
    }

    /**
     * A destroyed encoder: ln_post's weight 0 and bias 1, so every image token after the last
     * LayerNorm is the same vector and every image looks alike (what a destructive learning rate
     * ends in): zero-shot falls to one class, no MMVP pair can be told apart.
     */
    public static Path collapsed(Path base, Path out) throws IOException {
        Map<String, Safetensors.Tensor> t = new LinkedHashMap<>(Safetensors.readAll(base));
        Safetensors.Tensor w = t.get("visual.ln_post.weight");
        t.put(
                "visual.ln_post.weight",
                Safetensors.Tensor.f32(w.shape(), new float[w.values().length]));
        float[] ones = new float[w.values().length];
        java.util.Arrays.fill(ones, 1f);
        t.put("visual.ln_post.bias", Safetensors.Tensor.f32(w.shape(), ones));
        Safetensors.writeTensors(out, t, Safetensors.readHeader(base).metadata());
        return out;
    }

    /**
     * The base with the token embeddings of two words swapped (e.g. "red" and "blue"): every prompt
     * naming one is read as naming the other, prompts naming neither are encoded exactly as before,
     * and image features do not change. On a suite without either word this encoder scores exactly
     * as the base; on one with them, its zero-shot classification of those classes fails.
     */
    public static Path swappedWords(Path base, Path out, String a, String b) throws IOException {
        Tokenizer tok = EncoderSpec.read(base).createTokenizer();
        int ia = tok.encode(a)[1];
        int ib = tok.encode(b)[1];
        Map<String, Safetensors.Tensor> t = new LinkedHashMap<>(Safetensors.readAll(base));
        Safetensors.Tensor e = t.get("token_embedding.weight");
        int width = (int) e.shape()[1];
        float[] v = e.values().clone();
        System.arraycopy(e.values(), ia * width, v, ib * width, width);
        System.arraycopy(e.values(), ib * width, v, ia * width, width);
        t.put("token_embedding.weight", Safetensors.Tensor.f32(e.shape(), v));
        Map<String, String> meta = new LinkedHashMap<>(Safetensors.readHeader(base).metadata());
        meta.put("eagle.label", "swapped " + a + " and " + b);
        Safetensors.writeTensors(out, t, meta);
        return out;
    }

    /**
     * The base's spec with another joint width D = 64: a different architecture, the same
     * tokenizer.
     */
    public static Path otherArchitecture(Path base, Path out) throws IOException {
        EncoderSpec b = EncoderSpec.read(base);
        ClipConfig cfg = new ClipConfig(b.config().vision(), b.config().text(), 64);
        EncoderSpec spec = EncoderSpec.of(cfg, b.tokenizer(), b.promptTemplates());
        Safetensors.writeTensors(out, random(cfg, 3), spec.metadata());
        return out;
    }

    /**
     * Two class-prompt templates of the CLIP-BPE test encoder: each class's text feature averages
     * both.
     */
    public static final List<String> BPE_TEMPLATES =
            List.of("a photo of a {}.", "a rendering of a {c}.");

    /**
     * An explicit small config that reads CLIP's BPE (V = 49408, L = 32) with narrow towers (W =
     * 32, one layer, 32 px images in 8 px patches, D = 32), random weights, and {@link
     * #BPE_TEMPLATES}: fast to score.
     */
    public static Path clipBpe(Path out) throws IOException {
        ClipConfig cfg =
                new ClipConfig(
                        new ClipConfig.VisionConfig(
                                32, 8, 32, 1, 1, 4.0, ClipConfig.Activation.QUICK_GELU, 1e-5),
                        new ClipConfig.TextConfig(
                                32,
                                ClipBpeTokenizer.VOCAB_SIZE,
                                32,
                                1,
                                1,
                                4.0,
                                ClipConfig.Activation.QUICK_GELU,
                                1e-5),
                        32);
        EncoderSpec spec = EncoderSpec.of(cfg, TokenizerSpec.clipBpe(32), BPE_TEMPLATES);
        Safetensors.writeTensors(out, random(cfg, 11), spec.metadata());
        return out;
    }
}
