package eagle.gateway;

import ai.djl.Device;
import com.fasterxml.jackson.databind.node.MissingNode;
import eagle.client.Sha256;
import eagle.client.Version;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The encoder is built from the spec its weights carry (SPEC16, Gateway); one whose spec cannot be told is refused. */
class LoadedEncoderTest {

    @TempDir
    Path dir;

    private static Version version(Path file) throws Exception {
        return new Version("m", 1, null, Sha256.of(file), Files.size(file), "safetensors", MissingNode.getInstance(),
                Version.READY, null, MissingNode.getInstance());
    }

    @Test
    void buildsTheEncoderFromItsSpec() throws Exception {
        Path file = RegistryApi.tinyModel(dir, 5);
        try (LoadedEncoder e = LoadedEncoder.load(version(file), MissingNode.getInstance(), file, dir.resolve("hf"))) {
            assertEquals(RegistryApi.tinySpec(), e.spec());
            assertEquals(ClipConfig.tiny(), e.clipConfig());
        }
    }

    @Test
    void aFileWhoseTokenizerCannotBeToldIsUnusable() throws Exception {
        Path file = dir.resolve("no-tokenizer.safetensors");
        try (ClipModel m = ClipModel.create(ClipConfig.tiny(), Device.cpu(), 6)) {
            m.save(file); // the config only: a 256-word text tower with no eagle.tokenizer
        }
        GatewayException e = assertThrows(GatewayException.class,
                () -> LoadedEncoder.load(version(file), MissingNode.getInstance(), file, dir.resolve("hf")));
        assertEquals("ARTIFACT_UNUSABLE", e.code());
        assertTrue(e.getMessage().contains("eagle.tokenizer"), e.getMessage());
    }
}
