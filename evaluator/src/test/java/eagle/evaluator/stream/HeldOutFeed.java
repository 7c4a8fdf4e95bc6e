package eagle.evaluator.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.contracts.AnnotationEvent;
import eagle.contracts.SampleEvent;
import eagle.core.mask.CocoRle;
import eagle.scenes.Instance;
import eagle.scenes.Scene;
import eagle.scenes.SceneGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import javax.imageio.ImageIO;

/**
 * What ingest puts on the held-out topic, for the tests: generated scenes as {@code sample.v1} JSON
 * (masks as compressed COCO RLE), their PNG bytes stored in a blob folder ({@code root/h[0:2]/h})
 * as ingest's blob store does.
 */
public final class HeldOutFeed {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One held-out sample: its key (image id) and value. */
    public record Sample(String imageId, String json) {}

    private HeldOutFeed() {}

    /**
     * The first {@code n} scenes from seed {@code fromSeed} on whose every object passes {@code
     * keep}.
     */
    public static List<Scene> scenes(long fromSeed, int n, Predicate<Instance> keep) {
        SceneGenerator gen = SceneGenerator.standard();
        List<Scene> out = new ArrayList<>();
        for (long seed = fromSeed; out.size() < n; seed++) {
            Scene s = gen.generate(seed);
            if (!s.instances().isEmpty() && s.instances().stream().allMatch(keep)) {
                out.add(s);
            }
        }
        return out;
    }

    /** The scene as a held-out sample whose image is stored under {@code blobRoot}. */
    public static Sample sample(Scene s, Path blobRoot) {
        try {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(s.image(), "png", png);
            byte[] bytes = png.toByteArray();
            String sha = AnnotationEvent.sha256Hex(bytes);
            Path blob = blobRoot.resolve(sha.substring(0, 2)).resolve(sha);
            Files.createDirectories(blob.getParent());
            Files.write(blob, bytes);
            List<SampleEvent.Instance> instances = new ArrayList<>();
            for (Instance i : s.instances()) {
                CocoRle rle = CocoRle.encode(i.mask());
                instances.add(
                        new SampleEvent.Instance(
                                i.instanceId(),
                                i.className(),
                                new SampleEvent.Mask(
                                        List.of(rle.height(), rle.width()),
                                        rle.toCompressedString()),
                                "tester"));
            }
            String id = "img-" + s.seed();
            SampleEvent e =
                    new SampleEvent(
                            SampleEvent.SCHEMA_VERSION,
                            id,
                            new SampleEvent.Image(
                                    sha,
                                    s.image().getWidth(),
                                    s.image().getHeight(),
                                    blob.toUri().toString()),
                            instances,
                            List.of("tester"),
                            "2026-12-01T00:00:00Z");
            return new Sample(id, JSON.writeValueAsString(e));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
