package eagle.scenes.pretrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import eagle.core.model.EncoderSpec;
import eagle.core.model.TokenizerSpec;
import eagle.core.text.WordTokenizer;
import eagle.scenes.SceneGenerator;
import eagle.scenes.experiment.EmbeddedBase;
import eagle.scenes.suite.Suite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Writes a pre-trained base into a folder: {@code model.safetensors} (with its {@link EncoderSpec}:
 * tokenizer and prompt template, docs/METHOD.md §1), {@code tokenizer.json} and {@code
 * pretrain.json} (the command, seeds, schedule, steps done, speed and zero-shot accuracies).
 *
 * @param argv the command's arguments, recorded as the command
 * @param seed initialisation and sampling seed
 * @param images training scenes rendered (seeds [0, images))
 * @param described fraction of them that are described scenes
 * @param counted fraction of the described scenes that are counted ones ({@link CountedScenes})
 * @param captionObjects most objects a caption names (0: every object)
 * @param captionClasses most classes a caption names, each with its count (0: every class)
 * @param hardNegatives whether each caption's {@link HardNegatives} joined the loss
 * @param negativeMargin m of the caption-negative hinge ({@code CaptionSeparation}); 1: off
 * @param steps steps done when written
 * @param batch images per step
 * @param lr peak learning rate
 * @param initialisedFrom the base these steps started from (its folder and its own record), or null
 *     for a random initialisation
 */
record PretrainRecord(
        String[] argv,
        long seed,
        int images,
        double described,
        double counted,
        int captionObjects,
        int captionClasses,
        boolean hardNegatives,
        double negativeMargin,
        int steps,
        int batch,
        double lr,
        JsonNode initialisedFrom) {

    void write(
            Path out,
            ClipModel model,
            WordTokenizer tokenizer,
            SceneGenerator generator,
            ClipConfig config,
            double trainSeconds,
            double[] zeroShot,
            Suite probe,
            List<Double> losses,
            int evalImages)
            throws IOException {
        Files.createDirectories(out);
        EncoderSpec spec =
                EncoderSpec.of(
                        config,
                        TokenizerSpec.of(tokenizer),
                        List.of(generator.taxonomy().template()));
        model.save(out.resolve(EmbeddedBase.MODEL), spec.metadata());
        Files.writeString(out.resolve(EmbeddedBase.TOKENIZER), tokenizer.toJson());
        ObjectMapper json = new ObjectMapper();
        ObjectNode record = json.createObjectNode();
        record.put("command", "./eagle pretrain " + String.join(" ", argv));
        record.put("created", Instant.now().toString());
        record.put("seed", seed);
        record.put("images", images);
        record.put("trainingSeeds", "[0, " + images + ")");
        record.put("describedFraction", described);
        record.put("countedFraction", counted);
        record.put("captionObjects", captionObjects);
        record.put("captionClasses", captionClasses);
        record.put("hardNegatives", hardNegatives);
        record.put("negativeMargin", negativeMargin);
        record.put("steps", steps);
        record.put("batch", batch);
        record.put("lr", lr);
        if (initialisedFrom != null) {
            record.set("initialisedFrom", initialisedFrom);
        }
        record.put("generator", SceneGenerator.VERSION);
        record.put("device", model.device().toString());
        record.put("trainSeconds", trainSeconds);
        record.put("imagesPerSecond", steps * (double) batch / trainSeconds);
        record.set("config", json.readTree(config.toJson()));
        record.put("zeroshotCls", zeroShot[0]);
        record.put("zeroshotSeq", zeroShot[1]);
        record.put("zeroshotImages", evalImages);
        record.put("zeroshotSuiteId", probe.id());
        List<Double> tail = losses.subList(Math.max(0, losses.size() - 50), losses.size());
        record.put(
                "finalLoss",
                tail.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
        json.writerWithDefaultPrettyPrinter()
                .writeValue(out.resolve(EmbeddedBase.RECORD).toFile(), record);
    }
}
