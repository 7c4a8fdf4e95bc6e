// Throwaway helper for scripts/hf-check/check.sh (NOT part of the Maven build: check.sh compiles it into a
// temporary folder against core's classes). It runs EAGLE's own Java encoder on one synthetic image and a few
// captions and writes what check.py compares with Hugging Face transformers:
//   OUT/image.png                the image (check.py also runs CLIPImageProcessor on it, for information)
//   OUT/java.json                pixels (1,3,S,S) after our ImagePreprocessor, image features cls (1,D) and
//                                patches (1,P,D), text token ids (C,L) and text features (C,D), logit_scale
// Usage: java -cp core/target/classes:<core classpath>:TMP HfCheckDump MODEL.safetensors TOKENIZER.json OUT
//    or  ... HfCheckDump preset:NAME TOKENIZER.json OUT   a randomly initialised ClipModel of that preset (seed 7),
//        saved as OUT/model.safetensors (with its config metadata) for check.sh to convert; the word ids are
//        kept, except start/end which become V-2/V-1 (the end token must be the highest id, as in CLIP's BPE)
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import eagle.core.image.ImagePreprocessor;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import eagle.core.model.ImageFeatures;
import eagle.core.text.WordTokenizer;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

public final class HfCheckDump {
  public static void main(String[] args) throws Exception {
    Path tokenizerFile = Path.of(args[1]);
    Path out = Path.of(args[2]);
    Files.createDirectories(out);
    Path model = Path.of(args[0]);
    if (args[0].startsWith("preset:")) {
      model = out.resolve("model.safetensors");
      try (ClipModel random = ClipModel.create(ClipConfig.preset(args[0].substring(7)), Device.cpu(), 7)) {
        random.save(model);
      }
    }

    // A deterministic, non-square 97x71 image (exercises resize and centre crop): smooth gradients, a disc
    // and stripes, so every patch sees different content.
    int w = 97, h = 71;
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r = (x * 255) / (w - 1);
        int g = (y * 255) / (h - 1);
        int b = ((x / 6 + y / 6) % 2 == 0) ? 40 : 200;
        double dx = x - 55.0, dy = y - 30.0;
        if (dx * dx + dy * dy < 15 * 15) {
          r = 250; g = 220; b = 30;
        }
        image.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    ImageIO.write(image, "png", out.resolve("image.png").toFile());

    List<String> captions = List.of("a red disc on green grass", "three blue squares",
        "this is an image of two yellow stars on plain water");
    Map<String, Object> result = new LinkedHashMap<>();
    try (ClipModel clip = ClipModel.load(model, Device.cpu()); NDManager manager = NDManager.newBaseManager()) {
      int size = clip.config().vision().imageSize();
      ImagePreprocessor pre = new ImagePreprocessor(size);
      float[] pixels = pre.preprocess(image);
      NDArray batch = manager.create(pixels, new Shape(1, 3, size, size));
      ImageFeatures features = clip.encodeImage(batch);
      WordTokenizer tokenizer = WordTokenizer.fromJson(Files.readString(tokenizerFile));
      int[][] tokens = tokenizer.encodeBatch(captions);
      int vocab = clip.config().text().vocabSize();
      int context = clip.config().text().contextLength();
      if (vocab != tokenizer.vocabSize() || context != tokenizer.contextLength()) {
        for (int c = 0; c < tokens.length; c++) {
          int[] row = java.util.Arrays.copyOf(tokens[c], context);
          for (int t = 0; t < context; t++) {
            row[t] = row[t] == tokenizer.startToken() ? vocab - 2 : row[t] == tokenizer.endToken() ? vocab - 1 : row[t];
          }
          tokens[c] = row;
        }
      }
      NDArray text = clip.encodeText(tokens, manager);

      result.put("image_size", size);
      result.put("pixels_shape", new long[] {1, 3, size, size});
      result.put("pixels", pixels);
      result.put("cls_shape", features.cls().getShape().getShape());
      result.put("cls", features.cls().toFloatArray());
      result.put("patches_shape", features.patches().getShape().getShape());
      result.put("patches", features.patches().toFloatArray());
      result.put("captions", captions);
      result.put("tokens", tokens);
      result.put("text_shape", text.getShape().getShape());
      result.put("text", text.toFloatArray());
      result.put("logit_scale", clip.logitScale().toFloatArray()[0]);
    }
    Gson gson = new GsonBuilder().serializeSpecialFloatingPointValues().create();
    Files.writeString(out.resolve("java.json"), gson.toJson(result));
    System.out.println("wrote " + out.resolve("java.json") + " and " + out.resolve("image.png"));
  }
}
