package eagle.core.hf;

import eagle.core.io.Safetensors;
import eagle.core.model.ClipConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The EVA01 image tower as LAVIS's BLIP-2 and InstructBLIP hold it (core/EVA.md): LAVIS's {@code
 * eva_vit.py} builds the tower with one block fewer than EVA01-CLIP-g-14 has (39 of 40, so the last
 * block's output is dropped and the penultimate one's is what the Q-Former reads), without the
 * final {@code norm} and {@code head} (BLIP-2 applies its own {@code ln_vision}), and BLIP-2 keeps
 * it under {@code visual_encoder.}:
 *
 * <pre>
 * ours (EVA-CLIP names)                     LAVIS
 * visual.patch_embed.proj.{weight,bias}     visual_encoder.patch_embed.proj.{weight,bias}
 * visual.cls_token (1,1,W)                  visual_encoder.cls_token (1,1,W)
 * visual.pos_embed (1,P+1,W)                visual_encoder.pos_embed (1,P+1,W)
 * visual.blocks.{i}.* for i < layers − 1    visual_encoder.blocks.{i}.*   (same suffixes, same shapes)
 * visual.blocks.{layers − 1}.*, visual.norm.*, visual.head.*, the text tower, logit_scale   not written
 * </pre>
 *
 * <p>Reading a LAVIS file therefore gives only part of a model; {@link #overlay} puts it over a
 * base model of the same architecture, which supplies the last block, the norm, the head and the
 * text tower. Tensors are written float32; LAVIS casts its Linear and convolution weights to fp16
 * itself when {@code vit_precision} is {@code fp16}.
 */
public final class LavisEvaFile {

    /** The prefix BLIP-2 and InstructBLIP keep the image tower under. */
    public static final String PREFIX = "visual_encoder.";

    private static final String OURS = "visual.";
    private static final Pattern BLOCK = Pattern.compile("visual\\.blocks\\.(\\d+)\\..+");

    private LavisEvaFile() {}

    /**
     * LAVIS's names and shapes for an EVA01-CLIP config, in our parameter order (see the class
     * comment).
     */
    public static Map<String, long[]> lavisShapes(ClipConfig config) {
        requireEva(config, "the config");
        Map<String, long[]> shapes = new LinkedHashMap<>();
        config.parameterShapes()
                .forEach(
                        (name, shape) -> {
                            if (carried(name, config)) {
                                shapes.put(PREFIX + name.substring(OURS.length()), shape);
                            }
                        });
        return shapes;
    }

    /** Whether one of our names is carried by LAVIS's layout. */
    static boolean carried(String ours, ClipConfig config) {
        if (!ours.startsWith(OURS)
                || ours.startsWith("visual.norm.")
                || ours.startsWith("visual.head.")) {
            return false;
        }
        Matcher block = BLOCK.matcher(ours);
        return !block.matches() || Integer.parseInt(block.group(1)) < config.vision().layers() - 1;
    }

    /**
     * LAVIS's tensors from ours (the same arrays, renamed).
     *
     * @throws IllegalArgumentException when {@code ours} does not hold exactly the config's tensors
     */
    public static Map<String, Safetensors.Tensor> toLavis(
            Map<String, Safetensors.Tensor> ours, ClipConfig config) {
        requireEva(config, "the config");
        Safetensors.requireShapes("our tensors", config.parameterShapes(), shapes(ours));
        Map<String, Safetensors.Tensor> lavis = new LinkedHashMap<>();
        config.parameterShapes()
                .keySet()
                .forEach(
                        name -> {
                            if (carried(name, config)) {
                                lavis.put(PREFIX + name.substring(OURS.length()), ours.get(name));
                            }
                        });
        return lavis;
    }

    /**
     * Our tensors from LAVIS's: the part of the model they carry, in our names.
     *
     * @throws IllegalArgumentException naming every missing, unknown and misshaped tensor (a block
     *     the layout drops, e.g. {@code visual_encoder.blocks.39.*} for g-14, is unknown)
     */
    public static Map<String, Safetensors.Tensor> fromLavis(
            Map<String, Safetensors.Tensor> lavis, ClipConfig config, String source) {
        Safetensors.requireShapes(source, lavisShapes(config), shapes(lavis));
        Map<String, Safetensors.Tensor> ours = new LinkedHashMap<>();
        lavisShapes(config)
                .keySet()
                .forEach(name -> ours.put(OURS + name.substring(PREFIX.length()), lavis.get(name)));
        return ours;
    }

    /**
     * Writes our EVA01-CLIP file's image tower in LAVIS's layout, float32, with {@code format: pt}
     * as the only metadata.
     *
     * @return the architecture
     */
    public static ClipConfig export(Path ourFile, Path lavisFile) throws IOException {
        ClipConfig config = OpenAiClipFile.configOf(ourFile);
        requireEva(config, ourFile.toString());
        Safetensors.writeTensors(
                lavisFile, toLavis(Safetensors.readAll(ourFile), config), Map.of("format", "pt"));
        return config;
    }

    /**
     * Writes our file holding a LAVIS file's tensors over a base model's (an EVA01-CLIP file of
     * ours, which supplies the last block, the final norm, the head and the text tower), with the
     * base's metadata.
     *
     * @return the architecture
     * @throws IllegalArgumentException when the base is not an EVA01-CLIP model or the LAVIS
     *     tensors do not fit its architecture
     */
    public static ClipConfig overlay(Path lavisFile, Path baseFile, Path ourFile)
            throws IOException {
        ClipConfig config = OpenAiClipFile.configOf(baseFile);
        requireEva(config, baseFile.toString());
        Map<String, Safetensors.Tensor> tensors = Safetensors.readAll(baseFile);
        tensors.putAll(fromLavis(Safetensors.readAll(lavisFile), config, lavisFile.toString()));
        Safetensors.writeTensors(ourFile, tensors, Safetensors.readHeader(baseFile).metadata());
        return config;
    }

    private static void requireEva(ClipConfig config, String source) {
        if (!config.isEva()) {
            throw new IllegalArgumentException(
                    source
                            + " describes an "
                            + config.family()
                            + " image tower; LAVIS's "
                            + "visual_encoder layout holds EVA01 ("
                            + ClipConfig.EVA01_CLIP
                            + ") towers only");
        }
    }

    private static Map<String, long[]> shapes(Map<String, Safetensors.Tensor> tensors) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        tensors.forEach((name, tensor) -> shapes.put(name, tensor.shape()));
        return shapes;
    }
}
