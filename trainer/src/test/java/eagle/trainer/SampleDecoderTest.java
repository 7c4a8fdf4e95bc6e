package eagle.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.core.image.ImagePreprocessor;
import java.awt.Color;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleDecoderTest {

    @TempDir Path blobs;

    @Test
    void decodesPixelsAndPatchCoverageFromTheBlobStore() throws Exception {
        // a red rectangle over x in [0,16), y in [0,8): exactly patches (0,0) and (0,1) of the 8×8
        // grid of 8 px
        String sha = TestWorld.store(blobs, TestWorld.png(Color.RED, 0, 0, 16, 8));
        String json = TestWorld.sampleJson("img-1", "red square", sha, TestWorld.rect(0, 0, 16, 8));
        SampleDecoder.Outcome o =
                new SampleDecoder(new BlobReader(blobs), 64, 8).decode("img-1", json);
        assertTrue(o.ok(), o.problem());
        float[] expected = new float[64];
        expected[0] = 1f;
        expected[1] = 1f;
        assertArrayEquals(expected, o.sample().instances().get(0).coverage(), 1e-6f);
        assertEquals("red square", o.sample().instances().get(0).className());
        // pixel (0,0) is red: channel 0 = (1 − mean) / std, channel 2 = (0 − mean) / std
        float[] px = o.sample().pixels();
        assertEquals((1f - ImagePreprocessor.MEAN[0]) / ImagePreprocessor.STD[0], px[0], 1e-5f);
        assertEquals(
                (0f - ImagePreprocessor.MEAN[2]) / ImagePreprocessor.STD[2],
                px[2 * 64 * 64],
                1e-5f);
    }

    @Test
    void missingAndCorruptBlobsAndBadJsonAreSkippedWithAReason() throws Exception {
        SampleDecoder decoder = new SampleDecoder(new BlobReader(blobs), 64, 8);
        String missing =
                TestWorld.sampleJson(
                        "m", "red square", "ab".repeat(32), TestWorld.rect(0, 0, 8, 8));
        SampleDecoder.Outcome o = decoder.decode("m", missing);
        assertFalse(o.ok());
        assertTrue(o.problem().contains("missing"), o.problem());

        o = decoder.decode("c", TestWorld.corruptSample(blobs, "c"));
        assertFalse(o.ok());
        assertTrue(o.problem().contains("corrupt"), o.problem());

        o = decoder.decode("j", "{not json");
        assertFalse(o.ok());
        assertTrue(o.problem().contains("not a sample.v1 JSON"), o.problem());

        String sha = TestWorld.store(blobs, TestWorld.png(Color.BLUE, 0, 0, 8, 8));
        o =
                decoder.decode(
                        "other-key",
                        TestWorld.sampleJson("k", "blue circle", sha, TestWorld.rect(0, 0, 8, 8)));
        assertFalse(o.ok());
        assertTrue(o.problem().contains("differs from imageId"), o.problem());
    }
}
