// Helper for scripts/eva-check/check.sh and platform's EvaEncoderPlatformTest (NOT part of the Maven build:
// both run it with Java's single-file source launcher against core's classpath). It makes the small random
// models the check needs, writes them in the layouts EAGLE produces, and runs EAGLE's own Java encoder on one
// synthetic image, writing what check.py compares with its independent PyTorch towers.
//
//   EvaCheckDump random-eva OUT       an EVA-shaped model (48 px, patch 8, W 96, 3 blocks of 3 heads, MLP
//                                     int(96 · 2.6667) = 256, D 48) with every tensor perturbed (non-zero
//                                     q/v/proj/MLP/patch biases, non-unit norms), saved as OUT/model.safetensors;
//                                     OUT/eva-clip.safetensors (EvaClipFile.export: EVA-CLIP's names) and
//                                     OUT/visual_encoder.safetensors (LavisEvaFile.export: what the gateway serves
//                                     at /lavis/visual_encoder.safetensors); then `dump`
//   EvaCheckDump random-openclip OUT  an OpenAI-structured GELU model written as an OpenCLIP hub folder
//                                     OUT/openclip/{open_clip_config.json, open_clip_model.safetensors} (quick_gelu
//                                     false), read back by EAGLE's OpenClipCheckpoint into OUT/model.safetensors;
//                                     then `dump` of that
//   EvaCheckDump dump MODEL OUT       OUT/java.json: config (EAGLE's ClipConfig JSON), pixels (1,3,S,S) after our
//                                     ImagePreprocessor, cls (1,D) and patches (1,P,D) (ImageFeatures), and for an
//                                     EVA model blip2_tokens (1,P+1,W), the tokens after blocks 0..L-2
//                                     (EvaVisionTransformer.tokens(pixels, L-1), what BLIP-2 reads)
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import eagle.core.hf.EvaClipFile;
import eagle.core.hf.LavisEvaFile;
import eagle.core.hf.OpenClipCheckpoint;
import eagle.core.image.ImagePreprocessor;
import eagle.core.io.Safetensors;
import eagle.core.model.ClipConfig;
import eagle.core.model.ClipModel;
import eagle.core.model.EvaVisionTransformer;
import eagle.core.model.ImageFeatures;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

public final class EvaCheckDump {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    if (args.length != 2 && args.length != 3) {
      System.err.println("usage: EvaCheckDump random-eva OUT | random-openclip OUT | dump MODEL OUT");
      System.exit(2);
    }
    switch (args[0]) {
      case "random-eva" -> randomEva(Path.of(args[1]));
      case "random-openclip" -> randomOpenClip(Path.of(args[1]));
      case "dump" -> dump(Path.of(args[1]), Path.of(args[2]));
      default -> {
        System.err.println("unknown mode " + args[0]);
        System.exit(2);
      }
    }
  }

  static void randomEva(Path out) throws Exception {
    Files.createDirectories(out);
    ClipConfig config = new ClipConfig(
        new ClipConfig.VisionConfig(48, 8, 96, 3, 3, 2.6667, ClipConfig.Activation.GELU, 1e-6),
        new ClipConfig.TextConfig(16, 256, 32, 1, 2, 4.0, ClipConfig.Activation.GELU, 1e-5),
        48, ClipConfig.EVA01_CLIP);
    Path model = out.resolve("model.safetensors");
    randomPerturbed(config, model);
    EvaClipFile.export(model, out.resolve("eva-clip.safetensors"));
    LavisEvaFile.export(model, out.resolve("visual_encoder.safetensors"));
    dump(model, out);
  }

  static void randomOpenClip(Path out) throws Exception {
    Path folder = out.resolve("openclip");
    Files.createDirectories(folder);
    ClipConfig config = new ClipConfig(
        new ClipConfig.VisionConfig(48, 16, 128, 2, 2, 4.0, ClipConfig.Activation.GELU, 1e-5),
        new ClipConfig.TextConfig(16, 256, 64, 1, 1, 4.0, ClipConfig.Activation.GELU, 1e-5),
        32);
    Path ours = out.resolve("random-ours.safetensors");
    randomPerturbed(config, ours);
    // OpenCLIP's hub layout: OpenAI's state-dict names, format pt, the architecture in open_clip_config.json
    Safetensors.writeTensors(folder.resolve(OpenClipCheckpoint.WEIGHTS_FILE), Safetensors.readAll(ours),
        Map.of("format", "pt"));
    Files.delete(ours);
    ObjectNode root = JSON.createObjectNode();
    ObjectNode model = root.putObject("model_cfg");
    model.put("embed_dim", 32);
    model.put("quick_gelu", false);
    ObjectNode vision = model.putObject("vision_cfg");
    vision.put("image_size", 48).put("patch_size", 16).put("width", 128).put("layers", 2).put("head_width", 64);
    ObjectNode text = model.putObject("text_cfg");
    text.put("context_length", 16).put("vocab_size", 256).put("width", 64).put("heads", 1).put("layers", 1);
    ObjectNode preprocess = root.putObject("preprocess_cfg");
    preprocess.putArray("mean").add(0.48145466).add(0.4578275).add(0.40821073);
    preprocess.putArray("std").add(0.26862954).add(0.26130258).add(0.27577711);
    Files.writeString(folder.resolve(OpenClipCheckpoint.CONFIG_FILE),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    Path model2 = out.resolve("model.safetensors");
    OpenClipCheckpoint.convert(folder, model2);
    dump(model2, out);
  }

  /** A seeded random model with every tensor moved by N(0, 0.05²), so no bias is zero and no norm is unit. */
  static void randomPerturbed(ClipConfig config, Path file) throws Exception {
    try (ClipModel random = ClipModel.create(config, Device.cpu(), 7)) {
      random.save(file);
    }
    Map<String, String> metadata = Safetensors.readHeader(file).metadata();
    Map<String, Safetensors.Tensor> tensors = Safetensors.readAll(file);
    Random noise = new Random(11);
    Map<String, Safetensors.Tensor> moved = new LinkedHashMap<>();
    tensors.forEach((name, t) -> {
      float[] v = t.values().clone();
      if (!name.equals("logit_scale")) {
        for (int i = 0; i < v.length; i++) {
          v[i] += (float) (0.05 * noise.nextGaussian());
        }
      }
      moved.put(name, Safetensors.Tensor.f32(t.shape(), v));
    });
    Safetensors.writeTensors(file, moved, metadata);
  }

  static void dump(Path modelFile, Path out) throws Exception {
    Files.createDirectories(out);
    // A deterministic, non-square 97x71 image (resize and centre crop): gradients, a disc and stripes.
    int w = 97, h = 71;
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int r = (x * 255) / (w - 1);
        int g = (y * 255) / (h - 1);
        int b = ((x / 6 + y / 6) % 2 == 0) ? 40 : 200;
        double dx = x - 55.0, dy = y - 30.0;
        if (dx * dx + dy * dy < 15 * 15) {
          r = 250;
          g = 220;
          b = 30;
        }
        image.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    ImageIO.write(image, "png", out.resolve("image.png").toFile());

    Map<String, Object> result = new LinkedHashMap<>();
    try (ClipModel clip = ClipModel.load(modelFile, Device.cpu());
        NDManager manager = NDManager.newBaseManager()) {
      ClipConfig config = clip.config();
      int size = config.vision().imageSize();
      float[] pixels = new ImagePreprocessor(size).preprocess(image);
      NDArray batch = manager.create(pixels, new Shape(1, 3, size, size));
      ImageFeatures features = clip.encodeImage(batch);
      result.put("model", modelFile.toString());
      result.put("config", JSON.readTree(config.toJson()));
      result.put("family", config.family());
      result.put("pixels_shape", new long[] {1, 3, size, size});
      result.put("pixels", pixels);
      result.put("cls_shape", features.cls().getShape().getShape());
      result.put("cls", features.cls().toFloatArray());
      result.put("patches_shape", features.patches().getShape().getShape());
      result.put("patches", features.patches().toFloatArray());
      if (config.isEva()) {
        EvaVisionTransformer eva = (EvaVisionTransformer) clip.imageTower();
        NDArray tokens = eva.tokens(batch, config.vision().layers() - 1); // (1, P+1, W)
        result.put("blip2_tokens_shape", tokens.getShape().getShape());
        result.put("blip2_tokens", tokens.toFloatArray());
      }
    }
    Files.writeString(out.resolve("java.json"), JSON.writeValueAsString(result));
    System.out.println("wrote " + out.resolve("java.json"));
  }
}
