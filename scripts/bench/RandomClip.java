import ai.djl.Device;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a randomly initialised CLIP of a preset as safetensors (OpenAI names, config in the metadata), for
 * scripts/bench-gateway.sh. Run as a single-file program on a classpath with eagle-core and DJL:
 * {@code java -cp 'demo/target/lib/*' scripts/bench/RandomClip.java ViT-B-16 7 out.safetensors}.
 */
public final class RandomClip {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: RandomClip PRESET SEED OUT");
            System.exit(2);
        }
        Path out = Path.of(args[2]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Path part = out.resolveSibling(out.getFileName() + ".part");
        try (ClipModel m = ClipModel.create(ClipConfig.preset(args[0]), Device.cpu(), Long.parseLong(args[1]))) {
            m.save(part);
        }
        Files.move(part, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        System.out.println("wrote " + out + " (" + Files.size(out) + " bytes)");
    }
}
