package eagle.evaluator.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.core.io.Safetensors;
import eagle.core.model.ClipConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way a candidate's artifact is refused before any weights are loaded, with its reason code. */
class EncoderLoaderTest {

    @TempDir
    Path dir;

    private static String sha(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    private static Path write(Path f, ClipConfig cfg, boolean withMetadata, String dropTensor) throws Exception {
        Map<String, Safetensors.Tensor> t = new LinkedHashMap<>();
        cfg.parameterShapes().forEach((n, s) -> {
            if (!n.equals(dropTensor)) {
                t.put(n, Safetensors.Tensor.f32(s, new float[(int) Safetensors.elementCount(s)]));
            }
        });
        Safetensors.writeTensors(f, t, withMetadata ? Map.of(EncoderLoader.CONFIG_METADATA_KEY, cfg.toJson()) : Map.of());
        return f;
    }

    @Test
    void aDigestThatDoesNotMatchIsRejectedBeforeAnythingElse() throws Exception {
        Path f = write(dir.resolve("a.safetensors"), ClipConfig.tiny(), true, null);
        String other = "0".repeat(64);
        EncoderLoader.Outcome o = EncoderLoader.load(f, "safetensors", other, ClipConfig.tiny(), null);
        assertFalse(o.loaded());
        assertEquals(Rejection.Code.DIGEST_MISMATCH, o.rejection().code());
        assertTrue(o.rejection().reason().contains(sha(f)), o.rejection().reason());
    }

    @Test
    void anotherFormatIsRejected() throws Exception {
        Path f = write(dir.resolve("a.safetensors"), ClipConfig.tiny(), true, null);
        EncoderLoader.Outcome o = EncoderLoader.load(f, "onnx", sha(f), ClipConfig.tiny(), null);
        assertEquals(Rejection.Code.UNSUPPORTED_FORMAT, o.rejection().code());
    }

    @Test
    void bytesThatAreNotSafetensorsAreRejected() throws Exception {
        Path f = dir.resolve("junk");
        Files.write(f, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        EncoderLoader.Outcome o = EncoderLoader.load(f, "safetensors", sha(f), ClipConfig.tiny(), null);
        assertEquals(Rejection.Code.UNREADABLE_ARTIFACT, o.rejection().code());
    }

    @Test
    void aDeclaredConfigOtherThanTheBaseIsTheWrongArchitecture() throws Exception {
        ClipConfig wide = new ClipConfig(ClipConfig.tiny().vision(), ClipConfig.tiny().text(), 64);
        Path f = write(dir.resolve("a.safetensors"), wide, true, null);
        EncoderLoader.Outcome o = EncoderLoader.load(f, "safetensors", sha(f), ClipConfig.tiny(), null);
        assertEquals(Rejection.Code.WRONG_ARCHITECTURE, o.rejection().code());
        assertTrue(o.rejection().reason().contains("\"embedDim\":64") || o.rejection().reason().contains("64"));
    }

    @Test
    void aMissingTensorWithoutConfigMetadataIsTheWrongArchitectureNamingIt() throws Exception {
        Path f = write(dir.resolve("a.safetensors"), ClipConfig.tiny(), false, "visual.proj");
        EncoderLoader.Outcome o = EncoderLoader.load(f, "safetensors", sha(f), ClipConfig.tiny(), null);
        assertEquals(Rejection.Code.WRONG_ARCHITECTURE, o.rejection().code());
        assertTrue(o.rejection().reason().contains("visual.proj"), o.rejection().reason());
    }
}
