package eagle.evaluator.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.core.io.Safetensors;
import eagle.core.model.ClipConfig;
import eagle.core.model.EncoderSpec;
import eagle.core.model.MetadataKeys;
import eagle.core.model.TokenizerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an artifact says it is, and each way it is refused before any weights are loaded, with its
 * reason code.
 */
class EncoderLoaderTest {

    @TempDir Path dir;

    private static final EncoderSpec WORDS =
            EncoderSpec.of(
                    ClipConfig.tiny(),
                    TokenizerSpec.words(List.of("red", "square"), 16),
                    List.of("This is an image of a {c}"));

    private static Path write(
            Path f, ClipConfig cfg, Map<String, String> metadata, String dropTensor)
            throws Exception {
        Map<String, Safetensors.Tensor> t = new LinkedHashMap<>();
        cfg.parameterShapes()
                .forEach(
                        (n, s) -> {
                            if (!n.equals(dropTensor)) {
                                t.put(
                                        n,
                                        Safetensors.Tensor.f32(
                                                s, new float[(int) Safetensors.elementCount(s)]));
                            }
                        });
        Safetensors.writeTensors(f, t, metadata);
        return f;
    }

    @Test
    void theSpecComesFromTheArtifactItself() throws Exception {
        Path f = write(dir.resolve("a.safetensors"), WORDS.config(), WORDS.metadata(), null);
        EncoderLoader.Inspected i = EncoderLoader.inspect(f, "safetensors");
        assertNull(i.rejection());
        assertEquals(WORDS, i.spec());
        assertEquals(
                List.of("This is an image of a red square"),
                i.spec().prompts().prompts("red square"));
    }

    @Test
    void anotherFormatIsRejected() throws Exception {
        Path f = write(dir.resolve("a.safetensors"), WORDS.config(), WORDS.metadata(), null);
        assertEquals(
                Rejection.Code.UNSUPPORTED_FORMAT,
                EncoderLoader.inspect(f, "onnx").rejection().code());
    }

    @Test
    void bytesThatAreNotSafetensorsAreRejected() throws Exception {
        Path f = dir.resolve("junk");
        Files.write(f, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        assertEquals(
                Rejection.Code.UNREADABLE_ARTIFACT,
                EncoderLoader.inspect(f, "safetensors").rejection().code());
    }

    @Test
    void aMissingTensorIsTheWrongArchitectureNamingIt() throws Exception {
        Path f =
                write(
                        dir.resolve("a.safetensors"),
                        WORDS.config(),
                        WORDS.metadata(),
                        "visual.proj");
        Rejection r = EncoderLoader.inspect(f, "safetensors").rejection();
        assertEquals(Rejection.Code.WRONG_ARCHITECTURE, r.code());
        assertTrue(r.reason().contains("visual.proj"), r.reason());
    }

    @Test
    void aSmallVocabularyWithoutTokenizerMetadataCannotBeTold() throws Exception {
        Path f =
                write(
                        dir.resolve("a.safetensors"),
                        WORDS.config(),
                        Map.of(MetadataKeys.CLIP_CONFIG, WORDS.config().toJson()),
                        null);
        Rejection r = EncoderLoader.inspect(f, "safetensors").rejection();
        assertEquals(Rejection.Code.WRONG_ARCHITECTURE, r.code());
        assertTrue(r.reason().contains(MetadataKeys.TOKENIZER), r.reason());
    }

    @Test
    void aBpeVocabularyOtherThanTheBundledOneIsAnUnknownTokenizer() throws Exception {
        ClipConfig cfg =
                new ClipConfig(
                        ClipConfig.tiny().vision(),
                        new ClipConfig.TextConfig(
                                16, 49408, 32, 1, 1, 4.0, ClipConfig.Activation.QUICK_GELU, 1e-5),
                        128);
        EncoderSpec other =
                EncoderSpec.of(
                        cfg,
                        new TokenizerSpec(TokenizerSpec.CLIP_BPE, "ab".repeat(32), null, 16),
                        List.of());
        Path f = write(dir.resolve("a.safetensors"), cfg, other.metadata(), null);
        EncoderLoader.Inspected i = EncoderLoader.inspect(f, "safetensors");
        EncoderLoader.Loaded l = EncoderLoader.load(f, i.spec(), null);
        assertFalse(l.loaded());
        assertEquals(Rejection.Code.UNKNOWN_TOKENIZER, l.rejection().code());
        assertTrue(l.rejection().reason().contains("ab".repeat(32)), l.rejection().reason());
    }
}
