package eagle.scenes.cli;

import eagle.scenes.Scene;
import eagle.scenes.SceneGenerator;
import eagle.scenes.SeedRanges;
import eagle.scenes.coco.CocoExport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ExportCoco --seed S --count N --size 64 --out DIR}: writes the scenes of seeds S … S+N−1
 * as a COCO instance data set (DIR/annotations.json and PNGs beside it). Seeds must be training
 * seeds (&lt; 2^40), so an export can never leak the held-out suite.
 */
public final class ExportCoco {

    private ExportCoco() {}

    public static void main(String[] args) {
        try {
            Path out = run(args);
            System.out.println("wrote " + out);
        } catch (IllegalArgumentException e) {
            System.err.println("ExportCoco: " + e.getMessage());
            System.err.println("usage: ExportCoco --seed S --count N [--size 64] --out DIR");
            System.exit(2);
        }
    }

    /** Parses the arguments, writes the data set and returns the JSON's path. */
    public static Path run(String[] args) {
        Long seed = null;
        Integer count = null;
        int size = 64;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            String v = args[++i];
            try {
                switch (a) {
                    case "--seed" -> seed = Long.parseLong(v);
                    case "--count" -> count = Integer.parseInt(v);
                    case "--size" -> size = Integer.parseInt(v);
                    case "--out" -> out = Path.of(v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "option " + a + " needs a number, got '" + v + "'");
            }
        }
        if (seed == null || count == null || out == null) {
            throw new IllegalArgumentException("--seed, --count and --out are required");
        }
        if (count < 1) {
            throw new IllegalArgumentException("--count must be positive");
        }
        SeedRanges.requireTraining(seed);
        SeedRanges.requireTraining(seed + count - 1);
        SceneGenerator gen = SceneGenerator.standard(size);
        List<Scene> scenes = new ArrayList<>();
        for (long s = seed; s < seed + count; s++) {
            scenes.add(gen.generate(s));
        }
        return CocoExport.write(scenes, gen.taxonomy(), out);
    }
}
