package eagle.scenes.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import eagle.core.model.ClipConfig;
import eagle.core.model.ClipConfig.Activation;
import org.junit.jupiter.api.Test;

/**
 * The training-FLOP estimate: a small config counted by hand, and ViT-B/16's image tower against
 * its published forward cost.
 */
class TrainingFlopsTest {

    @Test
    void aSmallConfigIsCountedTermByTerm() {
        // 16 px in 8 px patches: 4 patches, 5 tokens; both towers 4 wide, one block, MLP ratio 2;
        // joint embedding D = 3
        ClipConfig config =
                new ClipConfig(
                        new ClipConfig.VisionConfig(
                                16, 8, 4, 1, 1, 2.0, Activation.QUICK_GELU, 1e-5),
                        new ClipConfig.TextConfig(8, 10, 4, 1, 1, 2.0, Activation.QUICK_GELU, 1e-5),
                        3);
        double patchEmbedding = 4 * (3 * 8 * 8) * 4; // patches × (3·p·p) × width
        double visionBlock =
                5 * 4 * 12 // q, k, v projections
                        + 2 * 5 * 5 * 4 // scores and their weighted sum
                        + 5 * 4 * 4 // output projection
                        + 2 * 5 * 4 * 8; // the MLP's two matrices, 8 wide
        double visionHead = 5 * 4 * 3; // every token projected to D
        double textBlock = 3 * 4 * 12 + 2 * 3 * 3 * 4 + 3 * 4 * 4 + 2 * 3 * 4 * 8;
        double textPerClass = textBlock + 4 * 3;
        int classes = 2;
        int batch = 2;
        double expected =
                6 * (patchEmbedding + visionBlock + visionHead + classes * textPerClass / batch);
        assertEquals(expected, TrainingFlops.perImage(config, classes, 3, batch), 1e-9);
    }

    @Test
    void vitB16sImageTowerCostsWhatIsPublished() {
        // ViT-B/16 at 224 px: 17.6 G multiply-adds forward (DeiT-B, Touvron et al. 2021, Table 1,
        // counted as fvcore counts them); ours adds only the projection of every token to D
        ClipConfig b16 = ClipConfig.preset("ViT-B-16");
        double forwardMacs = TrainingFlops.perImage(b16, 0, 1, 1) / 6;
        assertEquals(17.6e9, forwardMacs, 0.015 * 17.6e9);
    }
}
